"""Named reasons for dropping a page. One ``DropItem`` subclass per reason, so Scrapy's core
stats count each as ``item_dropped_reasons_count/<ClassName>`` with no extra code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

if TYPE_CHECKING:
    from newscrawl.items import Article


class NewscrawlDrop(DropItem):
    """Base class of every newscrawl drop reason. Drops are expected; they log at INFO.

    ``article`` is what extraction made of the page when it got that far (a validation drop),
    so tools such as ``extract`` can still show it; None for drops before extraction.
    """

    log_level = "INFO"

    def __init__(self, message: str, article: Article | None = None) -> None:
        super().__init__(message, log_level=self.log_level)
        self.article = article

    @property
    def reason(self) -> str:
        """The drop reason's name, as counted in ``item_dropped_reasons_count/<reason>``."""
        return type(self).__name__


class NotHtml(NewscrawlDrop):
    """The response is not an HTML document (binary, feed, JSON, ...)."""


class EmptyPage(NewscrawlDrop):
    """The response had no usable markup."""


class ExtractionFailed(NewscrawlDrop):
    """The page could not be parsed at all."""


class NotAnArticle(NewscrawlDrop):
    """A home, section, tag, author, search, about or contact page: a page of links, not a story."""


class MissingHeadline(NewscrawlDrop):
    """No headline could be found."""


class MissingBody(NewscrawlDrop):
    """No body text, or too little to be an article."""


class TooOld(NewscrawlDrop):
    """Published before the site's configured maximum article age."""


class StoreFailed(NewscrawlDrop):
    """The database refused the write (logged at ERROR, counted in ``newscrawl/store_errors``)."""

    log_level = "ERROR"


ALL_DROPS: tuple[type[NewscrawlDrop], ...] = (
    NotHtml,
    EmptyPage,
    ExtractionFailed,
    NotAnArticle,
    MissingHeadline,
    MissingBody,
    TooOld,
    StoreFailed,
)
