"""normalize_language and detect_language."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawl.normalization.language import detect_language, normalize_language


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("de-DE", "de"),
        ("de-AT", "de"),
        (" fr ", "fr"),
        ("de_DE", "de"),
        ("zh-Hans-CN", "zh"),
        ("de-DE, en;q=0.8", "de"),
        ("nb-NO", "no"),
        ("nn", "no"),
        ("iw", "he"),
        ("deu", "de"),
        ("fil", "fil"),
        ("", None),
        (None, None),
        ("und", None),
        ("zxx", None),
        ("english", None),
        ("e", None),
        ("12", None),
        ("*", None),
    ],
)
def test_normalize_language(tag, expected):
    assert normalize_language(tag) == expected


@given(st.one_of(st.none(), st.text(max_size=20)))
def test_normalize_language_properties(tag):
    code = normalize_language(tag)
    assert code is None or re.fullmatch(r"[a-z]{2,3}", code)
    assert normalize_language(code) == code


SAMPLES = {
    "de": (
        "Die Landeskirche will den Missbrauch in den eigenen Reihen aufarbeiten. Dazu hat die Synode am "
        "Montag eine unabhängige Kommission eingesetzt, die Betroffene anhören und Akten prüfen soll. "
        "Bis zum Herbst soll ein erster Bericht vorliegen, kündigte der Landesbischof an."
    ),
    "en": (
        "Russia hit Kyiv with a ballistic missile on Sunday, damaging buildings and schools in the capital, "
        "officials said. Emergency crews worked through the morning to clear debris, and the city's mayor "
        "urged residents to stay in shelters until the all-clear was given."
    ),
    "fr": (
        "La Russie affirme avoir fait échouer la campagne militaire ukrainienne dans la région de Koursk. "
        "Selon le ministère de la Défense, les troupes ont repoussé plusieurs attaques pendant la nuit, "
        "tandis que Kiev n'a pas confirmé ces informations pour le moment."
    ),
    "ja": (
        "南海トラフ地震臨時情報の発表基準について、気象庁は一時的に調査を行ったが、巨大地震の発生可能性が"
        "平常時と比べて高まったとは言えないとして、基準には達しなかったと発表した。専門家は引き続き日頃からの"
        "備えを呼びかけている。地震はいつ起きてもおかしくないため、家具の固定や備蓄の見直しが重要だという。各自治体も避難経路の確認や非常持ち出し品の準備を住民に促しており、"
        "防災訓練の参加者も増えている。気象庁は今後も観測データを注意深く監視し、必要に応じて情報を発表する方針だ。"
    ),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detect_language(language):
    assert len(SAMPLES[language]) >= 200
    assert detect_language(SAMPLES[language]) == language


@pytest.mark.parametrize("text", ["", "Kurzer Text auf Deutsch.", "1234 5678 ... !!! " * 20, None])
def test_detect_language_none(text):
    assert detect_language(text) is None  # type: ignore[arg-type]


@given(st.text(min_size=200, max_size=300))
def test_detect_language_never_raises(text):
    code = detect_language(text)
    assert code is None or re.fullmatch(r"[a-z]{2,3}", code)
