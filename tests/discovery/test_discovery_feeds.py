"""RSS 2.0, RSS 1.0, Atom and JSON Feed entries; feed autodiscovery."""

from __future__ import annotations

import json

import lxml.html
import pytest

from newscrawl.discovery.feeds import FeedEntry, FeedError, feed_links, parse_feed

FEED_URL = "https://news.example/feed/"

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>News Example</title><link>https://news.example/</link>
  <item>
    <title>Council approves  budget </title>
    <link>https://news.example/2024/05/03/council-approves-budget/</link>
    <pubDate>Fri, 03 May 2024 18:45:00 +0200</pubDate>
    <category>Politics</category><category>City Hall</category><category>Politics</category>
  </item>
  <item>
    <title>Relative link</title>
    <link>/world/storm-hits-coast.html</link>
  </item>
  <item><title>No link at all</title><description>...</description></item>
  <item><title>Script link</title><link>javascript:void(0)</link></item>
  <item>
    <title>Duplicate of the first</title>
    <link>https://news.example/2024/05/03/council-approves-budget/</link>
  </item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>News Example</title>
  <link rel="self" href="https://news.example/atom.xml"/>
  <updated>2024-05-04T10:00:00Z</updated>
  <entry>
    <title type="html">Tram &amp;amp; bus</title>
    <link rel="alternate" type="text/html" href="https://news.example/2024/05/04/tram-and-bus/"/>
    <link rel="replies" href="https://news.example/2024/05/04/tram-and-bus/#comments"/>
    <id>tag:news.example,2024:tram</id>
    <published>2024-05-04T09:30:00+02:00</published>
    <updated>2024-05-04T11:00:00+02:00</updated>
    <category term="Transport"/><category term="City" label="The City"/>
  </entry>
</feed>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/"><title>News</title></channel>
  <item rdf:about="https://news.example/a/12345">
    <title>RDF story</title><link>https://news.example/a/12345</link>
    <dc:date>2024-05-02T08:00:00Z</dc:date>
  </item>
</rdf:RDF>"""


def test_rss2_entries():
    entries = parse_feed(RSS2, FEED_URL)
    assert entries == [
        FeedEntry(
            link="https://news.example/2024/05/03/council-approves-budget/",
            title="Council approves  budget",
            published_raw="Fri, 03 May 2024 18:45:00 +0200",
            tags=("Politics", "City Hall"),
        ),
        FeedEntry(link="https://news.example/world/storm-hits-coast.html", title="Relative link"),
    ]


def test_atom_entries():
    (entry,) = parse_feed(ATOM, "https://news.example/atom.xml")
    assert entry.link == "https://news.example/2024/05/04/tram-and-bus/"
    assert entry.title == "Tram & bus"
    assert entry.published_raw == "2024-05-04T09:30:00+02:00"
    assert entry.updated_raw == "2024-05-04T11:00:00+02:00"
    assert entry.tags == ("Transport", "City")


def test_rss1_dc_date_is_reported_as_updated():
    (entry,) = parse_feed(RSS1, FEED_URL)
    assert entry.link == "https://news.example/a/12345"
    assert entry.title == "RDF story"
    assert entry.published_raw is None
    assert entry.updated_raw == "2024-05-02T08:00:00Z"


def test_json_feed_entries():
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "News Example",
            "items": [
                {
                    "id": "1",
                    "url": "/2024/05/05/json-feed-story/",
                    "title": " JSON story ",
                    "date_published": "2024-05-05T07:00:00Z",
                    "date_modified": "2024-05-05T08:00:00Z",
                    "tags": ["Tech", "", "Tech", 7],
                },
                {"id": "2", "title": "no url"},
                "not an object",
            ],
        }
    ).encode()
    assert parse_feed(b"\xef\xbb\xbf " + body, FEED_URL) == [
        FeedEntry(
            link="https://news.example/2024/05/05/json-feed-story/",
            title="JSON story",
            published_raw="2024-05-05T07:00:00Z",
            updated_raw="2024-05-05T08:00:00Z",
            tags=("Tech",),
        )
    ]


def test_empty_but_valid_feed_has_no_entries():
    assert (
        parse_feed(b'<rss version="2.0"><channel><title>x</title></channel></rss>', FEED_URL) == []
    )


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>Not a feed</title></head><body><p>hello</p></body></html>",
        b"",
        b"{not json",
        b'{"version": "1.0", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1", "items": "nope"}',
    ],
)
def test_non_feeds_raise_feed_error(body: bytes):
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(body, FEED_URL)


def test_body_naming_a_local_file_is_not_opened(tmp_path):
    # feedparser opens a *string* that names a file; parse_feed must treat bytes as content.
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(RSS2)
    with pytest.raises(FeedError):
        parse_feed(str(feed_file).encode(), FEED_URL)


def _tree(head: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body></body></html>")


def test_feed_autodiscovery():
    tree = _tree(
        '<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">'
        '<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">'
        '<link rel="alternate" type="application/feed+json" href="https://cdn.example/f.json">'
        '<link rel="alternate" type="application/rss+xml" href="/feed/#dup">'
        '<link rel="alternate" type="application/rss+xml" title="Story » Comments Feed"'
        ' href="/2024/05/03/story/feed/">'
        '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">'
        '<link rel="alternate" type="text/html" hreflang="de" href="/de/">'
        '<link rel="stylesheet" type="text/css" href="/style.css">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">'
        '<link rel="alternate" type="application/rss+xml">'
    )
    assert feed_links(tree, "https://news.example/section/world/") == [
        "https://news.example/feed/",
        "https://news.example/section/world/atom.xml",
        "https://cdn.example/f.json",
    ]


def test_feed_autodiscovery_honours_base_href():
    tree = _tree(
        '<base href="https://static.news.example/en/">'
        '<link rel="alternate" type="application/rss+xml" href="rss.xml">'
    )
    assert feed_links(tree, "https://news.example/") == ["https://static.news.example/en/rss.xml"]


def test_no_feeds_announced():
    assert feed_links(_tree("<title>x</title>"), "https://news.example/") == []


def test_titles_are_plain_text():
    body = (
        b'<rss version="2.0"><channel>'
        b"<item><title>A &amp; B</title><link>https://x.example/1</link></item>"
        b"<item><title>C &lt;b&gt;D&lt;/b&gt; &amp;amp; E</title><link>https://x.example/2</link></item>"
        b"<item><title><![CDATA[F & <i>G</i>]]></title><link>https://x.example/3</link></item>"
        b"</channel></rss>"
    )
    assert [e.title for e in parse_feed(body, FEED_URL)] == ["A & B", "C D & E", "F & G"]
