"""The website chat widget as a channel kind (served by web/widget.py, no provider)."""
