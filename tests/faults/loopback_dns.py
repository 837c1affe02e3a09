"""A Scrapy ``DNS_RESOLVER`` for crawl tests: every host name resolves to 127.0.0.1.

With ``-s DNS_RESOLVER=tests.faults.loopback_dns.LoopbackResolver`` a crawl can fetch
``http://alice.github.io:PORT/`` or ``http://bücher.example:PORT/`` from a server on 127.0.0.1
(the request keeps its ``Host`` header), so sites on shared suffixes, other ports and IDN hosts
are crawled for real without touching the network.
"""

from __future__ import annotations

from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

LOOPBACK = "127.0.0.1"


class LoopbackResolver(CachingThreadedResolver):
    """Resolves every name to 127.0.0.1; never asks a name server."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        return defer.succeed(LOOPBACK)
