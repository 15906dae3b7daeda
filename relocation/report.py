"""The short plain-text summaries printed after a run (plan, replan), in Vietnamese or English.

The freed-land lines word the figures of
:func:`relocation.domain.land_ledger.summary_figures` (the ledger's totals) in the run's
language.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from relocation.domain.labels import status_word
from relocation.domain.land_ledger import summary_figures
from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS
from relocation.infeasibility import explanation_lines
from relocation.messages import bn, number, t, tn


def _int(v: int, lang: str) -> str:
    return number(f"{v:,}", lang)


def _classes(values: Mapping[str, float], lang: str) -> str:
    li = 0 if lang == "vi" else 1
    return ", ".join(
        tn(lang, "land.class", name=LAND_CLASSES[k][li], ha=float(v))
        for k, v in values.items() if k in LAND_CLASSES
    )


def freed_land_lines(land: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The freed-land lines of the terminal summary in ``lang``, every total labelled."""
    lines = []
    for fig in summary_figures(land):
        kind = fig["line"]
        values = {k: v for k, v in fig.items() if k != "line"}
        if "classes" in values:
            values["classes"] = _classes(values["classes"], lang)
        indent = "  " if kind in ("totals", "classes_only") else "    "
        text = tn(lang, f"land.{kind}", **values)
        if kind == "social_housing" and "share" in values:
            delivered = "" if "delivered" not in values else tn(
                lang, "land.delivered", delivered=values["delivered"],
                counted_by_year=values["counted_by_year"])
            text += tn(lang, "land.province", delivered=delivered, share=values["share"],
                       province_units=values["province_units"],
                       province_by_year=values["province_by_year"])
        lines.append(indent + text)
    return lines


def land_warnings(land: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The freed-land warnings (degraded social-housing allocations) in ``lang``.

    A summary written before their figures were recorded gives its English ``warnings``.
    """
    figures = land.get("degraded_allocations")
    if figures is None:
        return list(land.get("warnings") or [])
    return [tn(lang, "land.degraded", **f) for f in figures]


def plan_report(summary: Mapping[str, Any], out: Path, lang: str = "en") -> str:
    """Moves per year, quota shares, cost, disruption, gap and where the outputs are."""
    status = str(summary["status"])
    if lang == "vi":  # the status in words, with the code people search for
        status = f"{status_word(status, 'vi').lower()} ({status})"
    lines = [t(lang, "report.head", status=status, name=summary["scenario"])]
    warnings = (lang == "vi" and summary.get("input_warnings_vi")) or summary.get(
        "input_warnings") or []
    if warnings:
        lines.append("  " + t(lang, "report.warnings", n=len(warnings)))
        lines += [f"    {w}" for w in warnings[:10]]
        if len(warnings) > 10:
            lines.append("    " + t(lang, "report.more_warnings", n=len(warnings) - 10))
    for w in land_warnings(summary.get("freed_land") or {}, lang):
        lines.append("  " + t(lang, "report.land_warning", text=w))
    if summary.get("terms") is None:
        lines += ["  " + e for e in explanation_lines(summary, lang)]
        lines.append("  " + t(lang, "report.summary_file", path=out / "summary.json"))
        return "\n".join(lines)
    f = summary["firms"]
    lines.append("  " + t(
        lang, "report.firms", slated=_int(f["slated"], lang),
        before=_int(f["moved_before"], lang), planned=_int(f["planned"], lang),
    ))
    per_year = ", ".join(f"{y}: {_int(n, lang)}" for y, n in summary["moves_per_year"].items())
    lines.append("  " + t(lang, "report.per_year", years=per_year))
    for q in summary["quota"]:
        lines.append("  " + t(
            lang, "report.quota", year=q["by_year"], share=number(f"{q['share']:.1%}", lang),
            low=f"{q['min_share']:.0%}", high=f"{q['max_share']:.0%}",
        ))
    terms = summary["terms"]
    cost = sum(terms[k] for k in COST_TERMS)
    disruption = sum(terms[k] for k in DISRUPTION_TERMS)
    lines.append("  " + t(
        lang, "report.cost", cost=bn(cost, lang), support=bn(terms["support"], lang),
        disruption=bn(disruption, lang),
    ))
    gap = summary.get("gap")
    lines.append("  " + t(
        lang, "report.objective", objective=bn(summary["weighted_objective"], lang),
        gap="—" if gap is None else number(f"{gap:.3%}", lang),
        seconds=number(f"{summary['wall_time_s']:.1f}", lang),
    ))
    land = summary.get("freed_land")
    if land:
        lines += freed_land_lines(land, lang)
    files = sorted(p.name for p in Path(out).iterdir()) if Path(out).is_dir() else []
    lines.append("  " + t(lang, "report.outputs", out=out, files=", ".join(files)))
    return "\n".join(lines)


def replan_report(summary: Mapping[str, Any], lang: str = "en") -> str:
    """The replan's lines after the plan report: history windows, warnings, changes."""
    info = summary.get("replan") or {}
    lines = [t(lang, "replan.head", year=info.get("as_of"))]
    # The Vietnamese lines where the summary has them (a replan written before: English).
    suffix = "_vi" if lang == "vi" and "history_windows_vi" in info else ""
    history = [*info.get("history_windows" + suffix, []),
               *info.get("history_clearance" + suffix, [])]
    for text in history:
        lines.append("  " + t(lang, "replan.history", text=text))
    for w in info.get("warnings" + suffix, []):
        if w not in history:
            lines.append("  " + t(lang, "replan.warning", text=w))
    ch = summary.get("changes")
    if ch:
        why = ", ".join(f"{k} {_int(v, lang)}" for k, v in ch["by_why"].items())
        lines.append("  " + t(
            lang, "replan.changes", changed=_int(ch["changed_firms"], lang),
            baseline=_int(ch["baseline_firms"], lang), why=why or t(lang, "replan.none"),
        ))
        lines.append("  " + t(
            lang, "replan.stability", objective=bn(ch["objective_without_stability"], lang),
            stability=bn(ch["stability_vnd"], lang),
        ))
    return "\n".join(lines)
