"""One-line errors instead of tracebacks (issue 14, finding 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.sites import SitesFileError, load_sites


def test_a_since_before_the_first_utc_instant_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["query", "--since", "0001-01-01T00:00+14:00"])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "out of range" in err and "0001-01-01T00:00+14:00" in err
    assert "\n" not in err and "Traceback" not in err


def test_a_runs_limit_beyond_64_bits_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newscrawl import settings

    monkeypatch.setattr(settings, "NEWSCRAWL_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["runs", "--limit", "9223372036854775808"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: --limit must be at most 9223372036854775807"


def test_a_huge_duration_in_the_sites_file_is_a_one_line_error(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[sites.a]\nstart_urls = ["https://a.example/"]\nschedule = "99999999999999999999d"\n',
        encoding="utf-8",
    )
    with pytest.raises(SitesFileError) as raised:
        load_sites(sites)
    assert str(raised.value) == (
        "site 'a', key 'schedule': duration must be at most 10 years, got '99999999999999999999d'"
    )
