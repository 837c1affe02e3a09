"""Extraction quality metrics on a corpus in the fundus-dev format (``gold.jsonl`` + pages).

The definitions follow the corpus README (and the public article-extraction benchmark):

- body: token 4-shingle multisets of ``summary + body`` (the summary prepended only when the body
  does not already contain it); per page, counts normalized to sum to 1; precision averaged over
  pages with a prediction, recall over pages with gold text; F1 of the two averages.
- headline: exact match after NFKC, quote/dash normalization and whitespace collapsing.
- published: same calendar day in the gold's own offset; within 60 s over gold values with a time
  (a prediction without a time never counts).
- tags, authors: set F1 per page after the same normalization and case-folding.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_RE = re.compile(f"[{_CJK}]")
_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a`\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u300c\u300d\u300e\u300f", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
    }
)
SHINGLE = 4


def tokens(text: str | None) -> list[str]:
    """Word tokens; every CJK character is a token of its own."""
    if not text:
        return []
    return _WORD_RE.findall(_CJK_RE.sub(lambda m: f" {m.group(0)} ", text))


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of ``n``-token shingles (one shingle for texts shorter than ``n``)."""
    words = tokens(text)
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _collapse(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def merged_text(summary: Any, body: Any) -> str:
    """``body`` with ``summary`` in front unless the body already contains it."""
    text: str = body if isinstance(body, str) else ""
    lead: str = summary.strip() if isinstance(summary, str) else ""
    if lead and _collapse(lead) not in _collapse(text):
        return f"{lead}\n\n{text}" if text else lead
    return text


def normalize_label(text: Any) -> str:
    """Headline comparison form: NFKC, typographic quotes and dashes folded, spaces collapsed."""
    if not isinstance(text, str):
        return ""
    return _collapse(unicodedata.normalize("NFKC", text).translate(_FOLD))


def _set_key(value: Any) -> str:
    text = "" if value is None else value if isinstance(value, str) else str(value)
    return normalize_label(text).casefold()


def set_f1(gold: Iterable[Any], predicted: Iterable[Any]) -> float:
    """F1 of two sets of labels after normalization; 1.0 when both are empty."""
    g = {_set_key(x) for x in gold} - {""}
    p = {_set_key(x) for x in predicted} - {""}
    if not g and not p:
        return 1.0
    hits = len(g & p)
    if not hits:
        return 0.0
    precision, recall = hits / len(p), hits / len(g)
    return 2 * precision * recall / (precision + recall)


def parse_iso(value: Any) -> tuple[dt.datetime | None, bool]:
    """(datetime, has_time) from ISO 8601; a bare ``YYYY-MM-DD`` has no time."""
    if not isinstance(value, str) or not value.strip():
        return None, False
    text = value.strip()
    try:
        if _DAY_RE.match(text):
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day), False
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")), True
    except ValueError:
        return None, False


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


@dataclass(slots=True)
class PageScore:
    """Per-page results (None where the gold does not annotate the field)."""

    id: str
    body_precision: float | None = None
    body_recall: float | None = None
    body_f1: float | None = None
    headline_exact: bool | None = None
    published_day: bool | None = None
    published_60s: bool | None = None
    tags_f1: float | None = None
    authors_f1: float | None = None


@dataclass(slots=True)
class Scores:
    """Corpus-level metrics plus the per-page details."""

    pages: int
    body_precision: float
    body_recall: float
    body_f1: float
    headline_exact: float | None
    published_day: float | None
    published_60s: float | None
    tags_f1: float | None
    authors_f1: float | None
    per_page: list[PageScore] = field(default_factory=list)


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _body_counts(gold_text: str, predicted_text: str) -> tuple[float, float, float]:
    g, p = shingles(gold_text), shingles(predicted_text)
    tp = sum((g & p).values())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp > 0 else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn > 0 else 0.0


def score(
    gold: Sequence[Mapping[str, Any]], predictions: Mapping[str, Mapping[str, Any]]
) -> Scores:
    """Score ``predictions`` (by page id) against ``gold`` rows; a missing prediction is empty."""
    body_counts: list[tuple[float, float, float]] = []
    headline: list[float] = []
    day: list[float] = []
    minute: list[float] = []
    tags: list[float] = []
    authors: list[float] = []
    per_page: list[PageScore] = []
    for row in gold:
        page = PageScore(id=str(row["id"]))
        pred = predictions.get(page.id, {})
        gold_text = merged_text(row.get("summary"), row.get("body"))
        if row.get("body") is not None and tokens(gold_text):
            counts = _body_counts(gold_text, merged_text(pred.get("summary"), pred.get("body")))
            body_counts.append(counts)
            p, r = _precision(*counts), _recall(*counts)
            has_prediction = counts[0] + counts[1] > 0
            page.body_precision = p if has_prediction else None
            page.body_recall = r
            page.body_f1 = 2 * p * r / (p + r) if has_prediction and p + r > 0 else 0.0
        if isinstance(row.get("headline"), str) and row["headline"].strip():
            page.headline_exact = normalize_label(row["headline"]) == normalize_label(
                pred.get("headline")
            )
            headline.append(float(page.headline_exact))
        gold_date, gold_has_time = parse_iso(row.get("published"))
        if gold_date is not None:
            pred_date, pred_has_time = parse_iso(pred.get("published"))
            same = False
            if pred_date is not None:
                shown = pred_date
                if gold_date.tzinfo is not None and pred_date.tzinfo is not None:
                    shown = pred_date.astimezone(gold_date.tzinfo)
                same = shown.date() == gold_date.date()
            page.published_day = same
            day.append(float(same))
            if gold_has_time:
                close = False
                if pred_date is not None and pred_has_time:
                    a, b = gold_date, pred_date
                    if (a.tzinfo is None) != (b.tzinfo is None):
                        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
                    close = abs((b - a).total_seconds()) <= 60
                page.published_60s = close
                minute.append(float(close))
        if row.get("tags") is not None:
            page.tags_f1 = set_f1(_as_list(row["tags"]), _as_list(pred.get("tags")))
            tags.append(page.tags_f1)
        if row.get("authors") is not None:
            page.authors_f1 = set_f1(_as_list(row["authors"]), _as_list(pred.get("authors")))
            authors.append(page.authors_f1)
        per_page.append(page)
    precisions = [_precision(*c) for c in body_counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in body_counts if c[0] + c[2] > 0]
    mean_p = _mean(precisions) or 0.0
    mean_r = _mean(recalls) or 0.0
    return Scores(
        pages=len(gold),
        body_precision=mean_p,
        body_recall=mean_r,
        body_f1=2 * mean_p * mean_r / (mean_p + mean_r) if mean_p + mean_r else 0.0,
        headline_exact=_mean(headline),
        published_day=_mean(day),
        published_60s=_mean(minute),
        tags_f1=_mean(tags),
        authors_f1=_mean(authors),
        per_page=per_page,
    )
