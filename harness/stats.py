"""The figures' statistics."""

from __future__ import annotations

import statistics


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95 and max of ``values`` (seconds), rounded to milliseconds."""
    if not values:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "max": float("nan")}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(values),
        "p50": round(statistics.median(ordered), 3),
        "p95": round(p95, 3),
        "max": round(ordered[-1], 3),
    }
