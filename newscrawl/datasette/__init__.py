"""Datasette setup for browsing a newscrawl SQLite database (the optional "browse" extra).

Everything Datasette needs is in this folder (shipped as package data):

- ``metadata.json``: titles, descriptions, hidden link tables, facets, full-text search and
  canned queries for the database Datasette calls ``newscrawl`` (the file ``newscrawl.db``);
  :func:`metadata_for` renames that entry for another file, which is what ``newscrawl browse``
  does.
- ``plugin.py``: cells (links, tag lists, ISO times), the article page data, the stylesheet route.
- ``templates/``: the home page, database page and article page; ``static/newscrawl.css``.

Importing this package does not import Datasette; :func:`register_plugin` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

METADATA_FILE = Path(__file__).resolve().with_name("metadata.json")
TEMPLATE_DIR = Path(__file__).resolve().with_name("templates")
PLUGIN_NAME = "newscrawl"
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


def register_plugin() -> None:
    """Register :mod:`newscrawl.datasette.plugin` with Datasette (once per process)."""
    from datasette.plugins import pm

    from newscrawl.datasette import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN_NAME)
