"""The short plain-text summary printed after a run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from relocation.domain.land_ledger import summary_lines as freed_land_lines
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS


def _bn(v: float) -> str:
    return f"{v / 1e9:,.1f} bn VND"


def plan_report(summary: Mapping[str, Any], out: Path) -> str:
    """Moves per year, quota shares, cost, disruption, gap and where the outputs are."""
    lines = [f"Plan {summary['status']} for scenario {summary['scenario']!r}"]
    warnings = summary.get("input_warnings") or []
    if warnings:
        lines.append(f"  {len(warnings)} input warning(s):")
        lines += [f"    {w}" for w in warnings[:10]]
        if len(warnings) > 10:
            lines.append(f"    … {len(warnings) - 10} more in summary.json (input_warnings)")
    if summary.get("terms") is None:
        lines += ["  " + e for e in summary.get("explanation", [])]
        lines.append(f"  summary: {out / 'summary.json'}")
        return "\n".join(lines)
    f = summary["firms"]
    lines.append(
        f"  firms: {f['slated']:,} slated, {f['moved_before']:,} moved before the horizon, "
        f"{f['planned']:,} planned moves"
    )
    per_year = ", ".join(f"{y}: {n:,}" for y, n in summary["moves_per_year"].items())
    lines.append(f"  moves per year: {per_year}")
    for q in summary["quota"]:
        lines.append(
            f"  moved by {q['by_year']}: {q['share']:.1%} "
            f"(window {q['min_share']:.0%}–{q['max_share']:.0%})"
        )
    t = summary["terms"]
    cost = sum(t[k] for k in COST_TERMS)
    disruption = sum(t[k] for k in DISRUPTION_TERMS)
    lines.append(
        f"  cost: {_bn(cost)} (public support {_bn(t['support'])}), "
        f"disruption: {_bn(disruption)} (discounted to the horizon start)"
    )
    gap = summary.get("gap")
    lines.append(
        f"  objective {_bn(summary['weighted_objective'])}, proven gap "
        f"{'—' if gap is None else f'{gap:.3%}'}, solved in {summary['wall_time_s']:.1f} s"
    )
    land = summary.get("freed_land")
    if land:
        lines += freed_land_lines(land)
    files = sorted(p.name for p in Path(out).iterdir()) if Path(out).is_dir() else []
    lines.append(f"  outputs in {out}/: {', '.join(files)}")
    return "\n".join(lines)
