"""Issue 14, finding 6: a link with a malformed port is skipped and counted, never fatal."""

from __future__ import annotations

import pytest

from newscrawl.discovery.frontier import Frontier
from newscrawl.discovery.links import REDIRECT_REFUSALS, UrlPolicy, redirect_refusal
from newscrawl.normalization.urls import valid_port

BAD = [
    "http://127.0.0.1:99999/2024/05/03/story/",
    "http://127.0.0.1:80:80/2024/05/03/story/",
    "http://127.0.0.1:abc/2024/05/03/story/",
    "http://127.0.0.1:８０/2024/05/03/story/",  # full-width digits
    "http://127.0.0.1:-1/2024/05/03/story/",
    "http://[::1]x/2024/05/03/story/",
]
GOOD = [
    "http://127.0.0.1:8080/2024/05/03/story/",
    "http://127.0.0.1/2024/05/03/story/",
    "http://127.0.0.1:/2024/05/03/story/",
    "https://user:pw@127.0.0.1:443/2024/05/03/story/",
]


@pytest.mark.parametrize("url", BAD)
def test_a_malformed_port_is_rejected_by_the_policy(url: str) -> None:
    policy = UrlPolicy(domains=("127.0.0.1", "::1"))
    assert not valid_port(url)
    assert policy.rejection(url) == "malformed"
    assert not policy.is_on_site(url)
    decision = Frontier(policy).offer_link(url, 1)
    assert (decision.requested, decision.reason) == (False, "malformed_filtered")
    chain = ["http://127.0.0.1/old/"]
    assert (
        redirect_refusal(policy, chain, url, page=True, strict_loops=True)
        == (REDIRECT_REFUSALS["malformed"])
    )


@pytest.mark.parametrize("url", GOOD)
def test_valid_ports_pass(url: str) -> None:
    assert valid_port(url) and valid_port("http://[::1]:8080/")
    assert UrlPolicy(domains=("127.0.0.1", "::1")).rejection(url) is None


def test_every_good_url_can_become_a_request() -> None:
    from scrapy import Request

    for url in GOOD:
        Request(url)
    for url in BAD:
        with pytest.raises(ValueError):
            Request(url)
