"""Small arithmetic shared by the scoring modules: order-independent means and rounding.

Sums use ``math.fsum`` (exactly rounded), so shuffling the rows of any table
cannot change a result in its last digit.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def mean(values) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    vals = [float(v) for v in values if v is not None]
    return math.fsum(vals) / len(vals) if vals else None


def weighted(parts: dict, weights: dict) -> float | None:
    """Weighted mean of the available parts (None parts drop out, weights renormalise)."""
    avail = [(parts[k], weights[k]) for k in sorted(weights) if parts.get(k) is not None
             and weights[k] > 0]
    total = math.fsum(w for _, w in avail)
    if not avail or total <= 0:
        return None
    return math.fsum(v * w for v, w in avail) / total


def r1(value: float | None) -> float | None:
    """Round to one decimal for publishing, half up as by hand (None stays None).

    Python's ``round`` works on the binary value, so 37.05 may become 37.0;
    a consultant rounding the printed 37.05 gets 37.1. Near a tie we round the
    shortest decimal form of the number instead, which is what people see.
    """
    if value is None:
        return None
    value = float(value)
    tenths = value * 10
    if abs(tenths - math.floor(tenths) - 0.5) > 1e-6:  # not near a tie: the fast path
        return round(value, 1) + 0.0
    exact = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(exact) + 0.0


def clamp01(x: float) -> float:
    return max(0.0, min(1.0, x))


def ramp(value: float, start: float, full_at: float) -> float:
    """0 at ``start`` or below, 1 at ``full_at`` or above, linear in between."""
    return clamp01((value - start) / (full_at - start))


def log_ramp(value: float, start: float, full_at: float) -> float:
    """0 at ``start`` or below, 1 at ``full_at`` or above, linear in the logarithm between.

    Scale keeps counting: every doubling of headcount or revenue adds the same
    points, so 2,000 people score above 150, and 15 people above 10.
    """
    if value <= start:
        return 0.0
    return clamp01(math.log(value / start) / math.log(full_at / start))


def answer_points(answer: float) -> float:
    """A 1..5 survey answer as 0..100 points."""
    return (answer - 1.0) / 4.0 * 100.0


def level(score: float, band_width: float) -> int:
    """Maturity level 1..5 of a 0..100 score (bands of ``band_width`` points)."""
    return max(1, min(5, int(math.floor(score / band_width)) + 1))
