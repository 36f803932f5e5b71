"""actiongate: a gateway for the legacy action-style RPC protocol."""
__version__ = "0.1.0"
