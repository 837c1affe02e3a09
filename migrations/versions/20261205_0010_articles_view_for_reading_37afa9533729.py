"""articles_view for reading: ISO 8601 times without microseconds, headline first, versions count

Recreates the browsing view (see newscrawl/datasette/) with the columns a reader scans, in that
order: id, headline, site, published_at, section, tags, authors (JSON arrays, for Datasette's
array facets), canonical_url, language, versions (how many earlier versions are stored),
first_seen_at, last_changed_at. Times are UTC text ``YYYY-MM-DDTHH:MM:SSZ``; a publication
known only to the day is ``YYYY-MM-DD``. Both forms sort chronologically as text. The summary
and image URL left the view (the article page shows them). Only the date formatting and the
JSON aggregate differ per dialect.

Revision ID: 37afa9533729
Revises: 4ef84a380c4c
Create Date: 2026-12-05 00:10:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "37afa9533729"
down_revision: str | Sequence[str] | None = "4ef84a380c4c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_CREATE_VIEW = """
CREATE VIEW articles_view AS
SELECT
    a.id AS id,
    a.headline AS headline,
    s.name AS site,
    CASE WHEN a.published_has_time THEN strftime('%Y-%m-%dT%H:%M:%SZ', a.published_at)
        ELSE strftime('%Y-%m-%d', a.published_at) END AS published_at,
    a.section AS section,
    (SELECT json_group_array(name) FROM (
        SELECT t.name AS name FROM article_tags AS l JOIN tags AS t ON t.id = l.tag_id
        WHERE l.article_id = a.id ORDER BY l.position
    )) AS tags,
    (SELECT json_group_array(name) FROM (
        SELECT w.name AS name FROM article_authors AS l JOIN authors AS w ON w.id = l.author_id
        WHERE l.article_id = a.id ORDER BY l.position
    )) AS authors,
    a.canonical_url AS canonical_url,
    a.language AS language,
    (SELECT count(*) FROM article_versions AS v WHERE v.article_id = a.id) AS versions,
    strftime('%Y-%m-%dT%H:%M:%SZ', a.first_seen_at) AS first_seen_at,
    strftime('%Y-%m-%dT%H:%M:%SZ', a.last_changed_at) AS last_changed_at
FROM articles AS a
JOIN sites AS s ON s.id = a.site_id
"""

POSTGRESQL_CREATE_VIEW = """
CREATE VIEW articles_view AS
SELECT
    a.id AS id,
    a.headline AS headline,
    s.name AS site,
    CASE WHEN a.published_has_time
        THEN to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        ELSE to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS published_at,
    a.section AS section,
    (SELECT coalesce(json_agg(t.name ORDER BY l.position), '[]'::json)
        FROM article_tags AS l JOIN tags AS t ON t.id = l.tag_id
        WHERE l.article_id = a.id) AS tags,
    (SELECT coalesce(json_agg(w.name ORDER BY l.position), '[]'::json)
        FROM article_authors AS l JOIN authors AS w ON w.id = l.author_id
        WHERE l.article_id = a.id) AS authors,
    a.canonical_url AS canonical_url,
    a.language AS language,
    (SELECT count(*) FROM article_versions AS v WHERE v.article_id = a.id) AS versions,
    to_char(a.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS first_seen_at,
    to_char(a.last_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_changed_at
FROM articles AS a
JOIN sites AS s ON s.id = a.site_id
"""

# The view as revision 4ef84a380c4c created it, restored by downgrade().
SQLITE_PREVIOUS_VIEW = """
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

POSTGRESQL_PREVIOUS_VIEW = """
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
    """Replace ``articles_view`` with the reading form."""
    sqlite = op.get_context().dialect.name == "sqlite"
    op.execute("DROP VIEW IF EXISTS articles_view")
    op.execute(SQLITE_CREATE_VIEW if sqlite else POSTGRESQL_CREATE_VIEW)


def downgrade() -> None:
    """Restore the previous ``articles_view``."""
    sqlite = op.get_context().dialect.name == "sqlite"
    op.execute("DROP VIEW IF EXISTS articles_view")
    op.execute(SQLITE_PREVIOUS_VIEW if sqlite else POSTGRESQL_PREVIOUS_VIEW)
