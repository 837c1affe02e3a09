"""``newscrawl demo [run|serve]``: the bundled demo news site.

``serve`` serves ``newscrawl/demo/site`` (or ``--root``) on 127.0.0.1. ``run`` (the default)
serves it from a background thread, crawls it with a real ``newscrawl crawl`` (the news spider)
into the database (``--db``, else ``NEWSCRAWL_DATABASE_URL``), stops the server and prints what
was stored and dropped.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from newscrawl.demo import SITE_DIR

SAMPLE_ROWS = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``serve`` and ``run``."""
    sub = parser.add_subparsers(dest="demo_command", metavar="ACTION", required=False)
    parser.set_defaults(demo_command="run", port=0, root=SITE_DIR)
    serve = sub.add_parser("serve", help="serve the demo site on 127.0.0.1 until interrupted")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve.add_argument("--root", type=Path, default=SITE_DIR, help="site folder to serve")
    run = sub.add_parser(
        "run", help="(default) serve the demo site, crawl it into the database, summarize"
    )
    run.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    run.add_argument("--root", type=Path, default=SITE_DIR, help="site folder to serve")


def run(args: argparse.Namespace) -> int:
    """Dispatch to the chosen action."""
    if args.demo_command == "serve":
        from newscrawl.demo.server import main as serve_main

        return serve_main(["--port", str(args.port), "--root", str(args.root)])
    return run_demo(args.root, args.port)


def crawl_command(url: str) -> list[str]:
    """The ``newscrawl crawl`` command for the local demo server (it runs from any folder). The
    site is ours and local, so the polite delays meant for other people's servers are off."""
    return [
        sys.executable, "-m", "newscrawl", "crawl", url, "--no-progress",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=WARNING",
    ]  # fmt: skip


def run_demo(root: Path, port: int) -> int:
    """Serve, crawl, stop, summarize. Returns the crawl's exit status."""
    from newscrawl import settings
    from newscrawl.demo.server import running_server

    database_url = settings.NEWSCRAWL_DATABASE_URL
    print(f"newscrawl demo: database {database_url}")
    with running_server(root, port) as server:
        print(f"newscrawl demo: serving {root} at {server.url}")
        print(f"newscrawl demo: crawling with `newscrawl crawl {server.url}` ...", flush=True)
        completed = subprocess.run(
            crawl_command(server.url),
            env={**os.environ, "NEWSCRAWL_DATABASE_URL": database_url},
            check=False,
        )
    print("newscrawl demo: server stopped")
    if completed.returncode != 0:
        print(
            f"newscrawl demo: the crawl failed (exit status {completed.returncode})",
            file=sys.stderr,
        )
        return completed.returncode
    print_summary(database_url)
    return 0


def print_summary(database_url: str) -> None:
    """Print the last run's counters and drop reasons, and a few stored articles."""
    from newscrawl.storage import ArticleStore, make_engine

    engine = make_engine(database_url)
    try:
        store = ArticleStore(engine)
        runs = store.list_runs(limit=1)
        if runs:
            last = runs[0]
            print(
                f"\nlast run #{last.id} ({last.status}): {last.pages_fetched} pages fetched, "
                f"{last.articles_new} articles new, {last.articles_updated} updated, "
                f"{last.articles_unchanged} unchanged"
            )
            for reason, count in sorted(last.drops.items(), key=lambda kv: -kv[1]):
                print(f"  dropped {count:>3} × {reason}")
        articles = store.recent(limit=SAMPLE_ROWS)
        total = store.count_articles()
        print(f"\n{total} articles stored; the {len(articles)} most recently published:")
        for article in articles:
            published = article.published_at.isoformat() if article.published_at else "(no date)"
            tags = ", ".join(article.tags)
            print(f"  {published:<25}  {article.headline[:70]}")
            print(f"  {'':<25}  section: {article.section or '-'}; tags: {tags or '-'}")
    finally:
        engine.dispose()
