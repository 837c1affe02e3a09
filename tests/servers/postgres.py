"""Session fixtures for a real postgres server on 127.0.0.1 (see tests/servers/__init__.py)."""

from __future__ import annotations
