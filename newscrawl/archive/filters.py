"""What to select from the archive: :class:`ArticleQuery`, and the parsing of user-given dates.

An ``ArticleQuery`` is validated when built, so the statement builders can trust it: limits are
non-negative, the sort order is known, and the date bounds are tz-aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Literal, get_args

from newscrawl.items import without_control_chars
from newscrawl.storage.records import MAX_SQL_INTEGER

SortOrder = Literal["published", "relevance", "first_seen"]
SORT_ORDERS: tuple[str, ...] = get_args(SortOrder)
DateBound = datetime | date | str

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_END_OF_DAY = time(23, 59, 59, 999_999)


class QueryError(ValueError):
    """A query criterion is invalid (a bad date, a negative limit, an unknown sort order)."""


def parse_when(text: str, *, end_of_day: bool = False) -> datetime:
    """Parse an ISO 8601 date or datetime given by a user into a tz-aware UTC datetime.

    A date alone means the start of that day in UTC, or its last microsecond with
    ``end_of_day`` (so that ``until 2024-11-05`` includes the whole day). A datetime without an
    offset is taken as UTC. Raises :class:`QueryError` with a readable message otherwise.
    """
    value = text.strip()
    try:
        if _DATE_ONLY.fullmatch(value):
            return _day_bound(date.fromisoformat(value), end_of_day=end_of_day)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(
            f"invalid date {text!r}: expected an ISO 8601 date or datetime, "
            "e.g. 2024-11-05 or 2024-11-05T14:30:00+01:00"
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is before the first representable instant
        raise QueryError(f"invalid date {text!r}: out of range once converted to UTC") from None


def date_bound(name: str, value: DateBound | None, *, end_of_day: bool = False) -> datetime | None:
    """Normalize a ``since``/``until`` argument to a tz-aware UTC datetime (None stays None).

    Strings are parsed with :func:`parse_when`; a :class:`~datetime.date` means its first (or,
    with ``end_of_day``, last) microsecond in UTC; a naive datetime raises :class:`QueryError`.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return parse_when(value, end_of_day=end_of_day)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise QueryError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
        return value.astimezone(UTC)
    if isinstance(value, date):
        return _day_bound(value, end_of_day=end_of_day)
    raise QueryError(f"{name} must be a datetime, a date or an ISO string, got {value!r}")


def _day_bound(day: date, *, end_of_day: bool) -> datetime:
    return datetime.combine(day, _END_OF_DAY if end_of_day else time(0), tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Filters, order and window of an article listing; every criterion is optional.

    ``site`` matches the site name exactly; ``tag`` and ``author`` match names case-insensitively
    (whitespace collapsed); ``section`` matches case-insensitively; ``lang`` matches the language
    or its regional variants (``en`` matches ``en-GB``). ``since``/``until`` bound the publication
    date, both inclusive (undated articles are then excluded). The text criteria lose their
    control characters as every stored string did (so a NUL, which PostgreSQL cannot bind,
    never reaches the database). ``search`` is full text over
    headline, summary and body. ``sort`` defaults to ``relevance`` when searching and
    ``published`` otherwise; every order is newest/best first, ties broken by id.
    """

    site: str | None = None
    tag: str | None = None
    section: str | None = None
    author: str | None = None
    lang: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None
    sort: SortOrder | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        for name in ("site", "tag", "section", "author", "lang"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, without_control_chars(value))
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
                raise QueryError(f"{name} must be a timezone-aware datetime, got {value!r}")
        if self.sort is not None and self.sort not in SORT_ORDERS:
            raise QueryError(
                f"unknown sort order {self.sort!r}: choose from {', '.join(SORT_ORDERS)}"
            )
        if self.limit is not None and not 0 <= self.limit <= MAX_SQL_INTEGER:
            raise QueryError(f"limit must be between 0 and {MAX_SQL_INTEGER}, got {self.limit}")
        if not 0 <= self.offset <= MAX_SQL_INTEGER:
            raise QueryError(f"offset must be between 0 and {MAX_SQL_INTEGER}, got {self.offset}")

    @classmethod
    def build(
        cls,
        *,
        site: str | None = None,
        tag: str | None = None,
        section: str | None = None,
        author: str | None = None,
        lang: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        search: str | None = None,
        sort: SortOrder | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> ArticleQuery:
        """A query from friendly arguments: dates may be ISO strings or dates (see
        :func:`date_bound`; a date-only ``until`` includes that whole day), and a blank
        ``search`` means no search."""
        return cls(
            site=site,
            tag=tag,
            section=section,
            author=author,
            lang=lang,
            since=date_bound("since", since),
            until=date_bound("until", until, end_of_day=True),
            search=search if search and search.strip() else None,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    @property
    def effective_sort(self) -> SortOrder:
        """The order actually used: relevance needs a search, otherwise publication date."""
        if self.sort == "relevance" and self.search is None:
            return "published"
        if self.sort is None:
            return "relevance" if self.search is not None else "published"
        return self.sort

    def unwindowed(self) -> ArticleQuery:
        """The same filters without limit and offset (what :meth:`Archive.count` counts)."""
        return replace(self, limit=None, offset=0)
