"""The project's web app (an adapter): JSON API, the chat widget and its demo, the secure record form."""
from __future__ import annotations

import os


def cors_origins() -> list[str]:
    """Browser origins allowed to call Rasa and the API: SAFEGUARD_CORS, or the web app itself."""
    port = os.environ.get("WEB_PORT", "8000")
    raw = os.environ.get("SAFEGUARD_CORS") or f"http://localhost:{port},http://127.0.0.1:{port}"
    return sorted({o.strip() for o in raw.split(",") if o.strip()})
