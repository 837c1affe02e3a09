"""Hypothesis example counts that follow the active profile (see tests/conftest.py)."""

from __future__ import annotations

from hypothesis import settings

THOROUGH = "thorough"
FAST = "fast"
THOROUGH_EXAMPLES = 100  # Hypothesis's own default


def examples(thorough: int) -> int:
    """``max_examples`` for a property test that wants ``thorough`` examples under the thorough
    profile, scaled to the active profile (``fast`` runs a tenth, at least one)."""
    return max(1, thorough * settings.default.max_examples // THOROUGH_EXAMPLES)
