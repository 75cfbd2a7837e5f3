"""Channel adapters: one sub-package per provider behind the protocol in ``base``."""
