#!/usr/bin/env python3
"""Reliability report: every fault scenario crawled once, in a table.

    python -m benchmarks.reliability_report [--parallel N] [--scenario NAME ...] [--keep DIR]

Each scenario of ``tests/faults/scenarios.py`` (the same definitions the tests in
``tests/faults/`` run) is served by the fault-injecting server on 127.0.0.1 and crawled by a
real ``scrapy crawl news`` subprocess into a fresh SQLite file. The Markdown table gives, per
scenario: the faults injected, the inputs tried (requests the site's server received), the
articles expected (served correctly at least once), stored (with the right headline and body
text), duplicated (extra rows of an expected article), lost (expected, not stored correctly),
unexpected rows (anything else stored, e.g. an off-site or ``file://`` page) and off-site writes
(rows keyed under another site's URL, e.g. through a cross-site canonical).

Exit status 0 when nothing was lost, duplicated or stored unexpectedly; 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tests.faults.harness import DEFAULT_PARALLEL, Tally, run_scenarios, tally
from tests.faults.scenarios import SCENARIOS, Scenario

COLUMNS = (
    "scenario",
    "faults injected",
    "inputs tried (requests)",
    "articles expected",
    "stored",
    "duplicated",
    "lost",
    "unexpected",
    "off-site writes",
)


def render_table(lines: Sequence[Tally]) -> str:
    """The Markdown table of ``lines`` with a totals row."""
    rows = [
        (
            line.scenario,
            line.faults,
            line.requests,
            line.expected,
            line.stored,
            line.duplicated,
            line.lost,
            line.unexpected,
            line.offsite_writes,
        )
        for line in lines
    ]
    totals = ("**total**", *(sum(int(row[i]) for row in rows) for i in range(1, len(COLUMNS))))
    out = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|",
    ]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in [*rows, totals]]
    return "\n".join(out)


def render_faults(scenarios: Sequence[Scenario]) -> str:
    """A Markdown list of the faults each scenario injects."""
    return "\n".join(f"- **{s.name}**: " + "; ".join(s.faults) for s in scenarios)


def clean(lines: Sequence[Tally]) -> bool:
    """True when nothing was lost, duplicated, stored unexpectedly or under another site."""
    return all(
        line.lost == line.duplicated == line.unexpected == line.offsite_writes == 0
        for line in lines
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the scenarios, print the report, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parallel",
        type=int,
        default=DEFAULT_PARALLEL,
        help=f"crawls at a time (default here: {DEFAULT_PARALLEL})",
    )
    parser.add_argument("--scenario", action="append", help="run only this scenario (repeatable)")
    parser.add_argument("--keep", type=Path, help="keep databases and logs in this directory")
    args = parser.parse_args(argv)
    scenarios = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    if not scenarios:
        parser.error(f"no such scenario; known: {', '.join(s.name for s in SCENARIOS)}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newscrawl-reliability-") as scratch:
        workdir = args.keep or Path(scratch)
        runs = run_scenarios(scenarios, workdir, parallel=args.parallel)
    lines = [tally(runs[s.name]) for s in scenarios]
    elapsed = time.monotonic() - started
    print(f"# newscrawl reliability report ({len(scenarios)} scenarios, {elapsed:.0f} s)\n")
    print(render_table(lines))
    print("\nFaults by scenario:\n")
    print(render_faults(scenarios))
    # A scenario whose run must be recorded failed (a full disk) must also exit non-zero.
    failed = [
        r.scenario.name
        for r in runs.values()
        if (r.crawl.returncode == 0) != (r.scenario.outcome == "finished")
        or r.run is None
        or r.run.status != r.scenario.outcome
    ]
    if failed:
        print(f"\nCrawls that did not end as expected: {', '.join(failed)}")
    ok = clean(lines) and not failed
    print("\nResult: " + ("0 lost, 0 duplicated." if ok else "FAILED: see the table."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
