"""newscrawl's pipelines inside someone else's Scrapy project: the settings block from the
README ("Using newscrawl's pipelines in your own Scrapy project") in a minimal project written
to tmp_path, a real ``scrapy crawl`` of the demo site on 127.0.0.1, articles in a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.archive import open_archive
from newscrawl.demo import SITE_DIR
from newscrawl.demo.server import running_server
from newscrawl.storage import ArticleStore, make_engine

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_HEADLINE = "Russia’s implications from Vladimir Putin’s visit to China"

SETTINGS = """
BOT_NAME = "gazette"
SPIDER_MODULES = ["gazette.spiders"]
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 0
"""

SPIDER = '''
import scrapy

from newscrawl import fetched_page


class PagesSpider(scrapy.Spider):
    """Someone else's spider: every page of the site becomes a newscrawl FetchedPage."""

    name = "pages"

    def __init__(self, url, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [url]

    def parse(self, response):
        yield fetched_page(response, site="gazette")
        for href in response.css("a::attr(href)").getall():
            if "/2023/10/" in href:
                yield response.follow(href, self.parse)
'''


def readme_settings_block() -> str:
    """The Python block of the README section for foreign projects (what users copy)."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Using newscrawl's pipelines in your own Scrapy project", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_newscrawl_pipelines_in_a_foreign_scrapy_project(tmp_path: Path) -> None:
    block = readme_settings_block()
    assert "newscrawl.pipelines.StorePipeline" in block
    project = tmp_path / "project"
    (project / "gazette" / "spiders").mkdir(parents=True)
    (project / "scrapy.cfg").write_text("[settings]\ndefault = gazette.settings\n", "utf-8")
    (project / "gazette" / "__init__.py").write_text("", "utf-8")
    (project / "gazette" / "spiders" / "__init__.py").write_text("", "utf-8")
    (project / "gazette" / "spiders" / "pages.py").write_text(SPIDER, "utf-8")
    (project / "gazette" / "settings.py").write_text(
        SETTINGS + block.replace("sqlite:///articles.db", f"sqlite:///{tmp_path / 'news.db'}"),
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSCRAWL_", "SCRAPY_"))}
    with running_server(SITE_DIR) as server:
        crawled = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "pages", "-a", f"url={server.url}"],
            cwd=project, env={**env, "PYTHONPATH": str(REPO_ROOT)},
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert "'item_dropped_reasons_count/NotAnArticle': 1" in crawled.stderr  # the home page
    with open_archive(f"sqlite:///{tmp_path / 'news.db'}") as archive:
        articles = list(archive.articles())
    assert {article.site for article in articles} == {"gazette"}
    assert SEED_HEADLINE in {article.headline for article in articles}
    seed = next(article for article in articles if article.headline == SEED_HEADLINE)
    assert seed.tags == ("Asia", "Politics")
    engine = make_engine(f"sqlite:///{tmp_path / 'news.db'}")
    try:
        store = ArticleStore(engine)
        assert store.count_articles("gazette") == len(articles) == 2  # the two 2023/10 ones
        assert store.list_runs() == []  # no run history: not a newscrawl crawl
    finally:
        engine.dispose()
