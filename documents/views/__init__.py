"""The documents pages: attachments panels, contracts, client requests."""

from documents.views import attachments, contracts, requests

__all__ = ["attachments", "contracts", "requests"]
