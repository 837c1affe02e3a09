"""``scrapy parse``: Scrapy's command, recording no crawl run."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.parse import Command as ScrapyCommand


class Command(ScrapyCommand):
    """Scrapy's ``parse`` with ``NEWSCRAWL_RUN_HISTORY`` off."""

    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyCommand.default_settings,
        "NEWSCRAWL_RUN_HISTORY": False,
    }
