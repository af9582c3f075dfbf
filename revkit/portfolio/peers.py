"""Peer bands: where the middle half of comparable clients sits, measured on the portfolio.

The kit's reference bands are set by the methodology; peer bands are measured
on real clients, in the spirit of DORA's benchmark clusters: for each group of
comparable clients — the same industry, or the same size band — the 25th to
75th percentile of each score, and the number of clients it rests on. A band
needs at least ``MIN_PEERS`` clients; below that the view says so instead of
drawing a band from two points. Standard library only.
"""

from __future__ import annotations

from revkit.vocabulary import SCORE_KEYS

MIN_PEERS = 3
# employees: the usual small / mid-size / large / enterprise split
SIZE_BANDS = ((1, 49, "1–49"), (50, 249, "50–249"), (250, 999, "250–999"),
              (1000, None, "1,000+"))


def size_band(employees) -> str | None:
    try:
        n = int(employees)
    except (TypeError, ValueError):
        return None
    for low, high, label in SIZE_BANDS:
        if n >= low and (high is None or n <= high):
            return label
    return None


def _quartiles(values: list[float]) -> tuple[float, float]:
    from revkit.portfolio.build import percentiles

    pct = percentiles(values)
    return round(pct["p25"], 1), round(pct["p75"], 1)


def peer_bands(rows: list[dict]) -> list[dict]:
    """One row per group of peers: ``{kind, group, clients, bands: {dim: [p25, p75]} | None}``."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        industry = (row.get("industry") or "").strip()
        if industry:
            groups.setdefault(("industry", industry), []).append(row)
        band = size_band(row.get("employees"))
        if band:
            groups.setdefault(("size", band), []).append(row)
    order = {label: i for i, (_, _, label) in enumerate(SIZE_BANDS)}
    out = []
    for (kind, group), members in sorted(groups.items(),
                                         key=lambda kv: (kv[0][0], order.get(kv[0][1], 0),
                                                         kv[0][1].lower())):
        bands = None
        if len(members) >= MIN_PEERS:
            bands = {}
            for dim in SCORE_KEYS:
                values = [m[f"{dim}_score"] for m in members if m.get(f"{dim}_score") is not None]
                bands[dim] = list(_quartiles(values)) if len(values) >= MIN_PEERS else None
        out.append({"kind": kind, "group": group, "clients": len(members), "bands": bands})
    return out
