"""``scrapy shell``: Scrapy's command, recording no crawl run."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.shell import Command as ScrapyCommand


class Command(ScrapyCommand):
    """Scrapy's ``shell`` with ``NEWSCRAWL_RUN_HISTORY`` off."""

    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyCommand.default_settings,
        "NEWSCRAWL_RUN_HISTORY": False,
    }
