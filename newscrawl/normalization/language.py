"""Language codes: normalize declared tags ("en-US", "de_DE") and detect the language of text."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

logger = logging.getLogger(__name__)

MIN_DETECT_CHARS = 200
MAX_DETECT_CHARS = 5000
MIN_CONFIDENCE = 0.6

# Deprecated or three-letter codes that have a two-letter ISO 639-1 equivalent; Norwegian
# Bokmål and Nynorsk are stored as "no", as language detection reports them.
_ALIASES = {
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "nb": "no",
    "nn": "no",
    "nob": "no",
    "nno": "no",
    "nor": "no",
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "rus": "ru",
    "pol": "pl",
    "swe": "sv",
    "dan": "da",
    "fin": "fi",
    "jpn": "ja",
    "zho": "zh",
    "chi": "zh",
    "kor": "ko",
    "ara": "ar",
    "tur": "tr",
    "ukr": "uk",
    "ces": "cs",
    "cze": "cs",
    "ell": "el",
    "gre": "el",
    "hin": "hi",
    "vie": "vi",
    "isl": "is",
    "ice": "is",
    "lit": "lt",
    "zul": "zu",
    "xho": "xh",
}
# Codes that name no language: undetermined, no linguistic content, multiple.
_NOT_A_LANGUAGE = frozenset({"und", "zxx", "mul", "mis", "xx"})
_PRIMARY_SUBTAG = re.compile(r"[a-z]{2,3}")


def normalize_language(tag: str | None) -> str | None:
    """The primary language subtag of a language tag, lower case: "en-US", "en_GB", "EN" ->
    "en"; the first of a list ("de-DE, en;q=0.8") counts; invalid or empty -> None."""
    if not isinstance(tag, str):
        return None
    first = re.split(r"[,;\s]", tag.strip(), maxsplit=1)[0]
    primary = re.split(r"[-_]", first, maxsplit=1)[0].lower()
    if not _PRIMARY_SUBTAG.fullmatch(primary) or primary in _NOT_A_LANGUAGE:
        return None
    return _ALIASES.get(primary, primary)


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # lazy: loading takes ~1 s

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The language of ``text`` by py3langid, or None when the text is shorter than 200
    characters or the classifier is not confident (probability below 0.6)."""
    if not isinstance(text, str):
        return None
    sample = " ".join(text[:MAX_DETECT_CHARS].split())
    if len(sample) < MIN_DETECT_CHARS:
        return None
    try:
        code, probability = _identifier().classify(sample)
    except Exception:
        logger.warning("language detection failed", exc_info=True)
        return None
    if probability < MIN_CONFIDENCE:
        return None
    return normalize_language(str(code))
