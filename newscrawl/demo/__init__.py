"""The bundled demo news site ("WorldMag Demo") and the small HTTP server that serves it.

``build`` generates the static site from typed article data (the committed copy lives in
``site/``); ``server`` serves a site directory on 127.0.0.1, replacing the literal token
``__BASE_URL__`` in text responses with the request's own base URL (``http://127.0.0.1:PORT``).
"""

from __future__ import annotations

from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent / "site"
BASE_URL_TOKEN = "__BASE_URL__"

__all__ = ["BASE_URL_TOKEN", "SITE_DIR"]
