"""Kurt's Python SDK: ``KurtClient(address, api_key)`` and ``KurtError``.

    from kurt_sdk import KurtClient
    with KurtClient("127.0.0.1:24081", api_key) as kurt:
        print(kurt.create_link("https://example.com").short_url)
"""

from .client import DEFAULT_TIMEOUT_S, KurtClient, Rule
from .errors import CODES, KurtError

__all__ = ["CODES", "DEFAULT_TIMEOUT_S", "KurtClient", "KurtError", "Rule"]
