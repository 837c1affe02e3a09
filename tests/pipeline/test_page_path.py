"""The one page path: every drop reason through :func:`newscrawl.page.process_page` and through
the item pipelines built by Scrapy's ``get_crawler``, storing into a real SQLite file."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.utils.test import get_crawler
from sqlalchemy import text

from newscrawl import drops
from newscrawl.database import CrawlDatabase, DatabaseUnavailable, crawl_database
from newscrawl.items import Article, FetchedPage
from newscrawl.page import page_outcome, page_record, process_page
from newscrawl.pipelines import ArticlePipeline, StorePipeline
from newscrawl.sites import SiteConfig
from newscrawl.spiders.news import NewsSpider
from newscrawl.storage import ArticleStore, make_engine, migrate

URL = "https://news.example/2024/05/01/storm-floods-the-harbour/"
FETCHED_AT = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
PROSE = "".join(
    f"<p>Paragraph {i} tells what the storm did to the harbour town on Tuesday night.</p>"
    for i in range(6)
)


def article_html(
    *, headline: str = "Storm floods the harbour", body: str = PROSE, published: str = "2024-05-01"
) -> str:
    title = f"<title>{headline}</title>" if headline else ""
    h1 = f"<h1>{headline}</h1>" if headline else ""
    return (
        f"<html lang='en'><head>{title}"
        f"<meta property='article:published_time' content='{published}T09:30:00+02:00'>"
        f"</head><body><article>{h1}{body}</article></body></html>"
    )


def fetched(html: str, url: str = URL) -> FetchedPage:
    return FetchedPage.of_html(html, url, site="news", fetched_at=FETCHED_AT)


LISTING = (
    "<html><body><h1>Politics</h1>"
    + "".join(
        f"<div class='teaser'><h2><a href='/2024/05/0{i}/story-{i}/'>Council votes on ferry timetable, part {i}</a></h2></div>"
        for i in range(1, 9)
    )
    + "</body></html>"
)

# (page, site, expected drop): one case per reason the page function can give.
DROP_CASES: dict[str, tuple[FetchedPage, SiteConfig | None, type[drops.NewscrawlDrop]]] = {
    "EmptyPage": (
        FetchedPage(URL, b"  \n", "news", FETCHED_AT, "text/html"),
        None,
        drops.EmptyPage,
    ),
    "NotHtml": (
        FetchedPage(URL, b"%PDF-1.7 ...", "news", FETCHED_AT, "application/pdf"),
        None,
        drops.NotHtml,
    ),
    "NotAnArticle": (
        fetched(LISTING, "https://news.example/tag/politics/"),
        None,
        drops.NotAnArticle,
    ),
    "MissingHeadline": (fetched(article_html(headline="")), None, drops.MissingHeadline),
    "MissingBody": (
        fetched(article_html(body="<p>Too short to be a story.</p>")),
        None,
        drops.MissingBody,
    ),
    "TooOld": (
        fetched(article_html(published="2020-01-01")),
        SiteConfig(name="news", max_article_age=timedelta(days=30)),
        drops.TooOld,
    ),
}


def test_a_real_article_becomes_an_article() -> None:
    article = process_page(fetched(article_html()))
    assert article.headline == "Storm floods the harbour"
    assert article.published == datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
    assert "Paragraph 5" in article.body


@pytest.mark.parametrize("name", sorted(DROP_CASES))
def test_each_drop_reason_is_raised_by_the_page_function(name: str) -> None:
    page, site, expected = DROP_CASES[name]
    with pytest.raises(expected) as raised:
        process_page(page, site)
    assert raised.value.reason == name


def test_validation_drops_carry_what_was_extracted() -> None:
    outcome = page_outcome(fetched(article_html(body="<p>Too short to be a story.</p>")))
    assert outcome.reason == "MissingBody"
    assert outcome.article is not None and outcome.article.headline == "Storm floods the harbour"
    record = page_record(fetched(article_html(body="<p>Too short.</p>")))
    assert record["dropped"] == "MissingBody" and record["headline"] == "Storm floods the harbour"


def test_too_old_is_measured_from_the_given_time_not_the_clock() -> None:
    site = SiteConfig(name="news", max_article_age=timedelta(days=30))
    page = fetched(article_html(published="2024-04-20"))
    assert process_page(page, site).headline  # 12 days before the fetch
    with pytest.raises(drops.TooOld):
        process_page(page, site, now=FETCHED_AT + timedelta(days=60))


def test_an_error_inside_extraction_is_extraction_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug on some page (any ValueError, TypeError, LookupError inside the stages) is a named
    drop, never an exception that ends the crawl."""

    def broken(_extracted: object) -> Article:
        raise LookupError("a bug on this page")

    monkeypatch.setattr("newscrawl.page.normalize_article", broken)
    with pytest.raises(drops.ExtractionFailed, match="a bug on this page"):
        process_page(fetched(article_html()))


def test_the_item_is_plain_data_that_crosses_processes() -> None:
    page = fetched(article_html())
    assert pickle.loads(pickle.dumps(page)) == page


# --- the pipelines, built by Scrapy ---------------------------------------------------------------


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'news.db'}"


@pytest.fixture
def crawler(database_url: str) -> Iterator[Crawler]:
    crawler = get_crawler(
        NewsSpider,
        {
            "NEWSCRAWL_DATABASE_URL": database_url,
            "NEWSCRAWL_MIN_BODY_WORDS": 40,
        },
    )
    crawler.spider = crawler._create_spider(url="https://news.example/")
    yield crawler
    crawl_database(crawler).close()


@pytest.mark.parametrize("name", sorted(DROP_CASES))
def test_the_article_pipeline_raises_each_drop(crawler: Crawler, name: str) -> None:
    page, site, expected = DROP_CASES[name]
    if site is not None:
        crawler.spider.site = site  # type: ignore[union-attr]
    with pytest.raises(expected):
        ArticlePipeline.from_crawler(crawler).process_item(page)


def test_the_article_pipeline_reads_the_spiders_site(crawler: Crawler) -> None:
    """The site's language and day-first date order reach extraction (no hint on the page)."""
    html = (
        "<html><head><title>Sturm flutet den Hafen</title></head><body><article>"
        "<h1>Sturm flutet den Hafen</h1><p class='date'>03/04/2024</p>" + PROSE + "</article>"
        "</body></html>"
    )
    assert crawler.spider is not None
    crawler.spider.site = SiteConfig(name="news", language="de", date_order="DMY")  # type: ignore[attr-defined]
    article = ArticlePipeline.from_crawler(crawler).process_item(fetched(html))
    assert article.language == "de"
    assert article.published is not None and (article.published.month, article.published.day) == (
        4,
        3,
    )


def test_the_pipelines_store_an_article_once(crawler: Crawler, database_url: str) -> None:
    article = ArticlePipeline.from_crawler(crawler).process_item(fetched(article_html()))
    assert isinstance(article, Article)
    store_pipeline = StorePipeline.from_crawler(crawler)
    store_pipeline.open_spider()
    store_pipeline.process_item(article)
    store_pipeline.process_item(article)
    assert crawler.stats is not None
    assert crawler.stats.get_value("newscrawl/articles_new") == 1
    assert crawler.stats.get_value("newscrawl/articles_unchanged") == 1
    engine = make_engine(database_url)
    try:
        assert ArticleStore(engine).count_articles() == 1
    finally:
        engine.dispose()


def test_a_write_the_database_refuses_is_store_failed(crawler: Crawler, database_url: str) -> None:
    store_pipeline = StorePipeline.from_crawler(crawler)
    store_pipeline.open_spider()
    engine = make_engine(database_url)
    with engine.begin() as connection:  # the schema breaks under the running crawl
        connection.execute(text("DROP TABLE article_tags"))
    engine.dispose()
    article = process_page(fetched(article_html()))
    with pytest.raises(drops.StoreFailed):
        store_pipeline.process_item(article)
    assert crawler.stats is not None
    assert crawler.stats.get_value("newscrawl/store_errors") == 1


def test_all_components_share_one_database_handle(crawler: Crawler) -> None:
    from newscrawl.extensions import RunHistory
    from newscrawl.incremental import IncrementalMiddleware

    database = crawl_database(crawler)
    assert StorePipeline.from_crawler(crawler).database is database
    assert IncrementalMiddleware.from_crawler(crawler).database is database
    store = database.open()
    assert database.open() is store  # opened once
    history = RunHistory.from_crawler(crawler)
    assert crawler.spider is not None
    history.spider_opened(crawler.spider)
    assert history.store is store


# --- automatic migration is a setting --------------------------------------------------------------


def test_sqlite_is_migrated_automatically_by_default(database_url: str) -> None:
    database = CrawlDatabase(database_url, auto_migrate=True)
    try:
        assert database.open().count_articles() == 0
    finally:
        database.close()


def test_without_automatic_migration_an_unmigrated_database_stops_the_crawl(
    database_url: str,
) -> None:
    database = CrawlDatabase(database_url, auto_migrate=False)
    store_pipeline = StorePipeline(get_crawler(), database)
    with pytest.raises(CloseSpider) as raised:
        store_pipeline.open_spider()
    assert "alembic upgrade head" in raised.value.reason
    with pytest.raises(DatabaseUnavailable):  # and stays unusable for every other component
        database.open()


def test_without_automatic_migration_a_migrated_database_is_used(database_url: str) -> None:
    migrate(database_url)
    database = CrawlDatabase(database_url, auto_migrate=False)
    try:
        assert database.open().count_articles() == 0
    finally:
        database.close()


@pytest.mark.parametrize(
    ("setting", "url", "expected"),
    [
        (None, "sqlite:///x.db", True),
        ("auto", "sqlite:///x.db", True),
        ("auto", "postgresql+psycopg://u@h/db", False),
        ("1", "postgresql+psycopg://u@h/db", True),
        ("off", "sqlite:///x.db", False),
        (False, "sqlite:///x.db", False),
    ],
)
def test_the_auto_migrate_setting(setting: str | bool | None, url: str, expected: bool) -> None:
    from newscrawl.database import auto_migrate_enabled

    assert auto_migrate_enabled(setting, url) is expected


RELATED = (
    "<aside><h3>More stories</h3>"
    + "".join(
        f"<div class='teaser'><h2><a href='/2024/05/0{i}/other-story-{i}/'>Harbour traders count the cost, part {i}</a></h2></div>"
        for i in range(1, 9)
    )
    + "</aside>"
)


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/archives/2012/11/12/storm-floods-the-harbour.php",  # "archives" + dated
        "https://news.example/blog/2024/05/01/storm-floods-the-harbour",  # "blog" + dated slug
        "https://news.example/archives/storm-floods-the-harbour/",  # WordPress /archives/%postname%
    ],
)
def test_an_article_url_under_a_listing_word_is_still_an_article(url: str) -> None:
    assert process_page(fetched(article_html(), url)).headline == "Storm floods the harbour"


def test_a_short_post_at_a_dated_story_url_beside_many_teasers_is_an_article() -> None:
    """No article markup, about 40 words of prose and a sidebar of eight teaser headlines:
    a dated slug is a story's address, so the teasers do not make the page a listing."""
    post = (
        "<html lang='en'><head><title>Harbour film night</title></head><body>"
        "<div class='post'><h1>Harbour film night</h1>"
        + SHORT_POST
        + SHORT_POST
        + "</div>"
        + RELATED
        + "</body></html>"
    )
    url = "https://news.example/2024/05/01/harbour-film-night/"
    assert "borrowed camera" in process_page(fetched(post, url)).body
    with pytest.raises(drops.NotAnArticle):
        process_page(fetched(post, "https://news.example/films/"))


@pytest.mark.parametrize(
    "path",
    [
        "/topic/environment/where-does-the-city-smog-come-from",
        "/page/Data_collection_as_a_challenge_for_media_education.html",
    ],
)
def test_one_story_filed_under_a_listing_word_is_an_article(path: str) -> None:
    """No article markup (JSON-LD, og:type or <article>) and a listing word in the path: a
    leaf slug of four words or more over 80+ words of prose and no teaser list names one story.
    The same words under a short leaf, or above a list of teasers, still make a listing."""
    long_prose = "".join(
        f"<p>Witness {i} told us how the smog settled over street {i} before the wind turned.</p>"
        for i in range(8)
    )
    page = (
        "<html lang='en'><head><title>Where does the smog come from</title></head><body>"
        f"<div class='text'><h1>Where does the smog come from</h1>{long_prose}</div></body></html>"
    )
    assert process_page(fetched(page, f"https://news.example{path}")).body
    with pytest.raises(drops.NotAnArticle):
        process_page(fetched(page, "https://news.example/topic/environment-smog"))
    teasers = page.replace("</body>", f"{RELATED}</body>")
    with pytest.raises(drops.NotAnArticle):
        process_page(fetched(teasers, f"https://news.example{path}"))


def test_og_type_article_outweighs_a_listing_path() -> None:
    html = article_html().replace("<head>", "<head><meta property='og:type' content='article'>")
    assert process_page(fetched(html, "https://news.example/about/our-harbour/")).headline


def test_a_story_with_a_related_list_is_an_article_a_list_of_teasers_is_not() -> None:
    long_prose = "".join(
        f"<p>Witness {i} told us how the water rose in street {i} before the pumps arrived at dawn.</p>"
        for i in range(15)
    )
    story = (
        article_html(body=long_prose + RELATED)
        .replace("<article>", "<div>")
        .replace("</article>", "</div>")
    )
    assert process_page(fetched(story)).headline == "Storm floods the harbour"
    with pytest.raises(drops.NotAnArticle):
        process_page(fetched(LISTING, "https://news.example/politics/"))


def short_story_beside_teasers() -> str:
    """Six paragraphs (about 100 words) in a plain <div> above a list of eight teasers."""
    prose = "".join(
        f"<p>Witness {i} told us how the water rose in street {i} before the pumps came.</p>"
        for i in range(6)
    )
    return (
        article_html(body=prose + RELATED)
        .replace("<article>", "<div>")
        .replace("</article>", "</div>")
    )


def test_a_short_post_with_a_related_list_is_still_an_article() -> None:
    story = short_story_beside_teasers()
    assert process_page(fetched(story)).headline == "Storm floods the harbour"


SHORT_POST = (
    "<p>A short film about the harbour at night, made by a local student with a borrowed"
    " camera and no dialogue at all.</p>"
)  # 22 words: under the 40-word minimum, over half of it


def test_a_dated_short_post_in_article_markup_is_kept() -> None:
    article = process_page(fetched(article_html(body=SHORT_POST)))
    assert "borrowed camera" in article.body


def test_a_short_text_without_article_evidence_is_still_missing_its_body() -> None:
    undated = (
        article_html(body=SHORT_POST)
        .replace("<article>", "<div>")
        .replace("</article>", "</div>")
        .replace("article:published_time", "x-unrelated")
    )
    with pytest.raises(drops.MissingBody):
        process_page(fetched(undated, "https://news.example/harbour"))
    with pytest.raises(drops.MissingBody):  # dated and marked up, but not one prose sentence
        process_page(fetched(article_html(body="<p>Harbour.</p>" * 25)))


def test_a_lead_that_holds_the_whole_post_is_its_body() -> None:
    """The description shown under the headline is the post itself: it stays the body."""
    post = (
        "Great design on this little form: it asks which tomorrow you meant when you type"
        " a time just after midnight, and it guesses right most of the time, too."
    )
    html = article_html(body=f"<div class='entry'><p>{post}</p></div>").replace(
        "<head>", f"<head><meta name='description' content='{post}'>"
    )
    article = process_page(fetched(html))
    assert article.body == post
    assert article.summary is None


def test_a_saved_story_with_a_related_list_and_no_known_url_is_an_article() -> None:
    """A page read from disk: its file path says nothing, so the story's prose decides."""
    story = short_story_beside_teasers()
    saved = "file:///home/reader/saved/page.html"
    assert process_page(fetched(story, saved)).headline == "Storm floods the harbour"
    with pytest.raises(drops.NotAnArticle):
        process_page(fetched(story, "https://news.example/page.html"))


def test_a_story_of_long_paragraphs_beside_teasers_at_a_short_url_is_an_article() -> None:
    """No article markup, a two-word leaf and eight teasers: paragraphs of 60 words each are
    one story's text; the same teasers beside short paragraphs still make a listing."""
    paragraph = (
        "<p>The harbour hackathon brought {i} teams of students, fishermen and engineers"
        " together for a weekend in the old ferry hall, where they built tide sensors from spare"
        " parts, mapped the flooded streets with cheap drones and wrote a small app that warns"
        " the lower town an hour before the water reaches the wall, which the council now wants"
        " to test through the winter storms.</p>"
    )
    story = article_html(body="".join(paragraph.format(i=i) for i in range(3)) + RELATED)
    story = story.replace("<article>", "<div>").replace("</article>", "</div>")
    url = "https://news.example/harbour-hackathon"
    assert "tide sensors" in process_page(fetched(story, url)).body
    with pytest.raises(drops.NotAnArticle):
        process_page(fetched(short_story_beside_teasers(), url))
