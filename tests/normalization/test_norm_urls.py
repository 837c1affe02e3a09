"""canonicalize_url, same_site, registrable_domain, host_in_domains."""

from __future__ import annotations

import socket
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.normalization import urls as urls_module
from newscrawl.normalization.urls import (
    canonicalize_url,
    host_in_domains,
    is_tracking_param,
    points_home,
    registrable_domain,
    same_site,
    site_identity,
)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (
            "https://www.politico.eu/article/x/?utm_source=RSS_Feed&utm_medium=RSS&utm_campaign=RSS_Syndication",
            None,
            "https://www.politico.eu/article/x/",
        ),
        (
            "https://www.derstandard.at/story/3000000218734/nach?ref=rss",
            None,
            "https://www.derstandard.at/story/3000000218734/nach",
        ),
        (
            "https://www.kicker.de/interimstrainer-1019241/artikel#omrss",
            None,
            "https://www.kicker.de/interimstrainer-1019241/artikel",
        ),
        (
            "https://metro.co.uk/2024/07/17/king-21244172/?ico=mosaic_politics",
            None,
            "https://metro.co.uk/2024/07/17/king-21244172/",
        ),
        (
            "HTTPS://WWW.Example.COM:443/Path/To?id=5&fbclid=abc&gclid=x&p=2",
            None,
            "https://www.example.com/Path/To?id=5&p=2",
        ),
        ("http://example.com:80/a?", None, "http://example.com/a"),
        ("http://example.com:8080/a", None, "http://example.com:8080/a"),
        ("https://example.com", None, "https://example.com/"),
        ("https://user:secret@example.com/a", None, "https://example.com/a"),
        (
            "/news/a.html?page=2#comments",
            "https://example.com/section/",
            "https://example.com/news/a.html?page=2",
        ),
        ("b.html", "https://example.com/section/a.html", "https://example.com/section/b.html"),
        ("//cdn.example.com/img.jpg", "https://example.com/", "https://cdn.example.com/img.jpg"),
        (
            "https://example.com/a?WT.mc_id=x&at_medium=y&ns_source=z&xtor=RSS-1&mc_cid=1&id=7",
            None,
            "https://example.com/a?id=7",
        ),
        (
            "https://example.com/straße mit leerzeichen",
            None,
            "https://example.com/stra%C3%9Fe%20mit%20leerzeichen",
        ),
        ("https://example.com/a%2fb%c3%9f", None, "https://example.com/a%2Fb%C3%9F"),
        (" https://example.com/a\n", None, "https://example.com/a"),
        ("https://example.com/a?q=a+b&share=twitter&spm=1.2", None, "https://example.com/a?q=a+b"),
    ],
)
def test_canonicalize_url(url, base, expected):
    assert canonicalize_url(url, base) == expected


@pytest.mark.parametrize(
    "url",
    [
        "mailto:a@example.com",
        "javascript:void(0)",
        "ftp://example.com/a",
        "data:text/html,x",
        "",
        "   ",
        "https://",
        "http://exa mple.com/",
        "https://example.com:99999/",
        "not a url",
        "/relative/without/base",
    ],
)
def test_not_http_urls(url):
    assert canonicalize_url(url) is None


def test_tilde_and_its_escape_are_one_url():
    assert canonicalize_url("https://example.com/%7Ealice/a?x=%7e") == (
        "https://example.com/~alice/a?x=~"
    )
    assert canonicalize_url("https://example.com/~alice/a?x=~") == (
        "https://example.com/~alice/a?x=~"
    )


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://example.com/a/../b", None, "https://example.com/b"),
        ("https://example.com/a/./b/../../c/", None, "https://example.com/c/"),
        ("https://example.com/../../a", None, "https://example.com/a"),
        ("https://example.com/news/%2e%2e/a", None, "https://example.com/a"),
        (
            "x/../y.html",
            "https://example.com/section/page.html",
            "https://example.com/section/y.html",
        ),
    ],
)
def test_dot_segments_are_resolved(url, base, expected):
    assert canonicalize_url(url, base) == expected


def test_query_arguments_are_sorted():
    """The usual dedup choice: the order of query arguments does not make another URL."""
    assert canonicalize_url("https://example.com/a?page=2&id=5&utm_source=x") == (
        "https://example.com/a?id=5&page=2"
    )
    assert canonicalize_url("https://example.com/a?id=5&page=2") == (
        "https://example.com/a?id=5&page=2"
    )


def test_unicode_and_punycode_hosts_are_one_url():
    assert canonicalize_url("https://Bücher.example/a") == "https://xn--bcher-kva.example/a"
    assert canonicalize_url("https://xn--bcher-kva.example/a") == (
        "https://xn--bcher-kva.example/a"
    )


def test_a_host_idna_makes_invalid_is_refused():
    # IDNA maps U+00A8 to a space and a combining mark: "xn-- -ccb" would not round-trip.
    assert canonicalize_url("https://\u00a8/") is None


@pytest.mark.parametrize(
    ("host", "domains", "expected"),
    [
        ("news.example", ("www.news.example",), True),
        ("WWW.NEWS.EXAMPLE", ("news.example",), True),
        ("live.news.example", ("News.Example",), True),
        ("news.example", ("feeds.news.example", "news.example"), True),
        ("fakenews.example", ("news.example",), False),
        ("news.example.evil.test", ("news.example",), False),
        ("example", ("news.example",), False),
        ("news.example", (), False),
    ],
)
def test_host_in_domains(host, domains, expected):
    assert host_in_domains(host, domains) is expected


def test_tracking_param_names():
    assert is_tracking_param("utm_source")
    assert is_tracking_param("UTM_Campaign")
    assert is_tracking_param("utm%5Fmedium")
    assert not is_tracking_param("id")
    assert not is_tracking_param("page")
    assert not is_tracking_param("p")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.nytimes.com", "nytimes.com"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("politics.people.com.cn", "people.com.cn"),
        ("www.abc.net.au", "abc.net.au"),
        ("de.euronews.com", "euronews.com"),
        ("example.com", "example.com"),
        ("localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("WWW.Example.DE.", "example.de"),
        # the Public Suffix List, private suffixes included
        ("alice.github.io", "alice.github.io"),
        ("www.x.blogspot.com", "x.blogspot.com"),
        ("a.kyoto.jp", "a.kyoto.jp"),
        ("www.b.a.kyoto.jp", "a.kyoto.jp"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.city.kawasaki.jp", "city.kawasaki.jp"),  # an exception rule: !city.kawasaki.jp
        ("co.uk", "co.uk"),  # a public suffix itself
        ("github.io", "github.io"),
        # suffixes the list does not know: its default rule, the last two labels
        ("www.news.example", "news.example"),
        ("live.feeds.news.test", "news.test"),
        ("::1", "::1"),
        ("192.168.0.10", "192.168.0.10"),
    ],
)
def test_registrable_domain(host, expected):
    assert registrable_domain(host) == expected


def test_private_suffixes_separate_sites():
    assert not same_site("https://alice.github.io/a", "https://bob.github.io/b")
    assert not same_site("https://x.blogspot.com/", "https://y.blogspot.com/")
    assert same_site("https://alice.github.io/a", "https://www.alice.github.io/b")
    assert not same_site("https://a.kyoto.jp/", "https://b.kyoto.jp/")


def test_public_suffix_list_is_read_offline(monkeypatch):
    """The bundled snapshot is used: loading the list looks up no host (tldextract would
    swallow a failed download, so attempts are recorded rather than raised)."""
    attempts: list[object] = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    urls_module._public_suffix_list.cache_clear()
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    try:
        assert registrable_domain("www.bbc.co.uk") == "bbc.co.uk"
        assert registrable_domain("alice.github.io") == "alice.github.io"
    finally:
        urls_module._public_suffix_list.cache_clear()
    assert attempts == []


def test_same_site():
    assert same_site("https://www.nytimes.com/a", "https://nytimes.com/b")
    assert same_site("https://de.euronews.com/a", "https://www.euronews.com/b")
    assert same_site("https://www.bbc.co.uk/news", "bbc.co.uk")
    assert not same_site("https://www.bbc.co.uk/news", "https://www.itv.co.uk/")
    assert not same_site("https://example.com/", "https://example.org/")
    assert not same_site("https://a.example.com/", "")
    assert not same_site("not a url at all", "https://example.com/")


tracking_keys = st.sampled_from(
    [
        "utm_source",
        "UTM_Medium",
        "fbclid",
        "gclid",
        "at_campaign",
        "wt_mc",
        "ns_source",
        "xtor",
        "ref",
        "share",
        "spm",
        "_ga",
        "mc_eid",
    ]
)
real_keys = st.sampled_from(["id", "p", "page", "q", "article", "x"])
values = st.text(alphabet="abcXYZ019-_.~ %+/", max_size=6)
hosts = st.lists(
    st.sampled_from(["www", "News", "example", "co", "uk", "de", "xn--bcher-kva", "a-b"]),
    min_size=2,
    max_size=4,
).map(".".join)
paths = st.lists(st.text(alphabet="abcÄß-_.%20 ~/:@", max_size=8), max_size=4).map("/".join)


@st.composite
def urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    params = draw(st.lists(st.tuples(st.one_of(tracking_keys, real_keys), values), max_size=5))
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return (
        f"{scheme}://{draw(hosts)}{port}/{draw(paths)}" + (f"?{query}" if query else "") + fragment
    )


@given(urls())
def test_canonicalize_url_properties(url):
    canonical = canonicalize_url(url)
    assert canonical is not None
    assert canonicalize_url(canonical) == canonical
    parts = urlsplit(canonical)
    assert parts.scheme in ("http", "https")
    assert parts.fragment == "" and "#" not in canonical
    assert parts.netloc == parts.netloc.lower()
    assert not any(is_tracking_param(k) for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    assert not canonical.endswith("?")


@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=30), urls()))
def test_canonicalize_url_any_text(url, base):
    canonical = canonicalize_url(url, base)
    if canonical is not None:
        assert canonical.startswith(("http://", "https://"))
        assert canonicalize_url(canonical) == canonical


@given(st.text(max_size=40), st.text(max_size=40))
def test_same_site_never_raises_and_is_symmetric(a, b):
    assert same_site(a, b) == same_site(b, a)


@given(urls())
def test_a_url_and_its_canonical_form_are_one_site(url):
    # the key a page is stored under (its canonical form) never leaves the site it came from
    canonical = canonicalize_url(url)
    assert canonical is not None
    assert same_site(url, canonical)
    assert site_identity(url) == site_identity(canonical) is not None


@given(urls(), st.sampled_from([":8081", ":9000", ":1"]))
def test_another_port_is_another_site(url, port):
    parts = urlsplit(url)
    other = parts._replace(netloc=f"{parts.hostname}{port}").geturl()
    assert not same_site(url, other)


@pytest.mark.parametrize(
    ("target", "page", "expected"),
    [
        ("https://news.example/", "https://news.example/2024/05/story.html", True),
        ("/", "https://news.example/2024/05/story.html", True),
        ("https://news.example", "https://news.example/story", True),
        ("https://news.example/?p=12", "https://news.example/story", False),
        ("https://news.example/story", "https://news.example/story", False),
        ("https://news.example/", "https://news.example/", False),
        ("https://news.example/", "https://news.example/?p=12", True),
    ],
)
def test_points_home_only_from_a_page_that_is_not_the_home_page(
    target: str, page: str, expected: bool
) -> None:
    assert points_home(target, page) is expected
