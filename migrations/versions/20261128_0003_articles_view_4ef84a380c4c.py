"""articles_view: one row per article with its site name and its tags and authors as JSON arrays

A plain SQL view for browsing tools (Datasette facets on site, section, language and tags; see
newscrawl/datasette/). It is not part of the ORM metadata, and autogenerate does not compare
views, so ``alembic check`` ignores it. Only the JSON aggregate differs per dialect: SQLite's
``json_group_array`` over an ordered subquery, PostgreSQL's ``json_agg(... ORDER BY ...)``.

Revision ID: 4ef84a380c4c
Revises: 600ab5ac5e3b
Create Date: 2026-11-28 00:03:23.982062+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4ef84a380c4c"
down_revision: str | Sequence[str] | None = "600ab5ac5e3b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_CREATE_VIEW = """
CREATE VIEW articles_view AS
SELECT
    a.id AS id,
    s.name AS site,
    a.published_at AS published_at,
    a.headline AS headline,
    a.section AS section,
    a.language AS language,
    (SELECT json_group_array(name) FROM (
        SELECT t.name AS name FROM article_tags AS l JOIN tags AS t ON t.id = l.tag_id
        WHERE l.article_id = a.id ORDER BY l.position
    )) AS tags,
    (SELECT json_group_array(name) FROM (
        SELECT w.name AS name FROM article_authors AS l JOIN authors AS w ON w.id = l.author_id
        WHERE l.article_id = a.id ORDER BY l.position
    )) AS authors,
    a.summary AS summary,
    a.canonical_url AS canonical_url,
    a.image_url AS image_url,
    a.first_seen_at AS first_seen_at,
    a.last_seen_at AS last_seen_at,
    a.last_changed_at AS last_changed_at
FROM articles AS a
JOIN sites AS s ON s.id = a.site_id
"""

POSTGRESQL_CREATE_VIEW = """
CREATE VIEW articles_view AS
SELECT
    a.id AS id,
    s.name AS site,
    a.published_at AS published_at,
    a.headline AS headline,
    a.section AS section,
    a.language AS language,
    (SELECT coalesce(json_agg(t.name ORDER BY l.position), '[]'::json)
        FROM article_tags AS l JOIN tags AS t ON t.id = l.tag_id
        WHERE l.article_id = a.id) AS tags,
    (SELECT coalesce(json_agg(w.name ORDER BY l.position), '[]'::json)
        FROM article_authors AS l JOIN authors AS w ON w.id = l.author_id
        WHERE l.article_id = a.id) AS authors,
    a.summary AS summary,
    a.canonical_url AS canonical_url,
    a.image_url AS image_url,
    a.first_seen_at AS first_seen_at,
    a.last_seen_at AS last_seen_at,
    a.last_changed_at AS last_changed_at
FROM articles AS a
JOIN sites AS s ON s.id = a.site_id
"""


def upgrade() -> None:
    """Create ``articles_view``."""
    dialect = op.get_context().dialect.name
    op.execute(SQLITE_CREATE_VIEW if dialect == "sqlite" else POSTGRESQL_CREATE_VIEW)


def downgrade() -> None:
    """Drop ``articles_view``."""
    op.execute("DROP VIEW IF EXISTS articles_view")
