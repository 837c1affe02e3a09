"""PostgreSQL full-text search: a weighted ``tsvector`` column with a GIN index

PostgreSQL only (SQLite keeps its FTS5 index ``articles_fts``; this revision does nothing there).
``articles.search_vector`` is a stored generated column: headline weighted A, summary B, body C
(ranked by ``ts_rank`` with the same ratios as SQLite's bm25 weights, see
newscrawl/archive/search.py), under the text search configuration ``newscrawl``: ``simple``
(lower-casing, no stemming, no stop words, like FTS5's unicode61) plus ``unaccent`` when the
extension is available, so diacritics fold as with ``remove_diacritics 2``. Only the first
500,000 characters of a body are indexed (a tsvector must stay under 1 MB). The column is not in
the ORM metadata; ``migrations/env.py`` hides it from autogenerate.

Revision ID: 4ea10111c2dd
Revises: 37afa9533729
Create Date: 2026-12-05 00:30:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4ea10111c2dd"
down_revision: str | Sequence[str] | None = "37afa9533729"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain literals only (no SQL built from strings): the configuration is ``newscrawl``, bodies are
# indexed up to 500,000 characters, and the word token types of the default parser get unaccent.
UPGRADE = (
    "CREATE TEXT SEARCH CONFIGURATION newscrawl (COPY = pg_catalog.simple)",
    # One DO block, so offline SQL (``alembic upgrade --sql``) keeps the same condition.
    """
    DO $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
            CREATE EXTENSION IF NOT EXISTS unaccent;
            ALTER TEXT SEARCH CONFIGURATION newscrawl ALTER MAPPING FOR
                asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword
                WITH unaccent, simple;
        END IF;
    END
    $$
    """,
    """
    ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('newscrawl', coalesce(headline, '')), 'A')
        || setweight(to_tsvector('newscrawl', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('newscrawl', left(body, 500000)), 'C')
    ) STORED
    """,
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
)
DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS newscrawl",
)


def upgrade() -> None:
    """Add the search configuration, the generated ``search_vector`` column and its GIN index."""
    if op.get_context().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    """Drop the index, the column and the configuration (the extension stays: others may use it)."""
    if op.get_context().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
