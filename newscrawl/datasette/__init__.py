"""Datasette configuration for browsing a newscrawl SQLite database (the optional "browse" extra).

``metadata.json`` configures the database Datasette calls ``newscrawl`` (the file
``newscrawl.db``, the default database); :func:`metadata_for` renames it for another file, which
is what ``python -m newscrawl browse`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

METADATA_FILE = Path(__file__).resolve().with_name("metadata.json")
TEMPLATE_DATABASE = "newscrawl"


def datasette_name(database_file: Path) -> str:
    """The name Datasette gives a database file (its stem): the key in ``databases``."""
    return database_file.stem


def metadata_for(database_file: Path) -> dict[str, Any]:
    """The bundled metadata with its database entry keyed by ``database_file``'s Datasette name."""
    metadata: dict[str, Any] = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    databases = metadata["databases"]
    databases[datasette_name(database_file)] = databases.pop(TEMPLATE_DATABASE)
    return metadata
