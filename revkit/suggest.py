""""Did you mean …?": the closest allowed value to a near-miss.

Kept free of heavy imports so every checker (intake contracts, CRM mappings,
methodology files) can share it.
"""

from __future__ import annotations

import difflib
import re


def suggest(value: str, choices) -> str | None:
    """The closest allowed value to a near-miss, if any is close enough."""
    if not isinstance(value, str) or not choices:
        return None
    lowered = {str(c).lower(): str(c) for c in choices}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return lowered[value.lower()]
    # 'silos_1' means 'silos_01': compare with numbers and separators normalised
    same = [c for c in choices if _normalise(str(c)) == _normalise(value)]
    if len(same) == 1:
        return str(same[0])
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def allowed_text(choices, limit: int = 12) -> str:
    """Allowed values as one line; a long list is cut after ``limit`` with its count."""
    choices = [str(c) for c in choices]
    if len(choices) > limit:
        return ", ".join(choices[:limit]) + f", ... ({len(choices)} in all)"
    return ", ".join(choices) if choices else "(none defined)"


def _normalise(text: str) -> str:
    text = re.sub(r"\d+", lambda m: str(int(m.group())), text.lower())
    return re.sub(r"[\s_\-]+", "_", text.strip())
