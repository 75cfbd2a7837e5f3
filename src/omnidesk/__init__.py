"""omnidesk: an open-source AI omnichannel contact center."""

__version__ = "0.1.0"
