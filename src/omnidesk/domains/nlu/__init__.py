"""NLU domain: language, intents (with out-of-scope detection), entities, sentiment, frustration.

Other domains import ``omnidesk.domains.nlu.service`` (functions) and ``.schemas`` (types) only.
Everything runs on CPU with scikit-learn and kiwipiepy; nothing is downloaded at run time.
"""
