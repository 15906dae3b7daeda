"""The cost–disruption front of a workspace, by the epsilon-constraint method (``pareto``).

The lexicographic mode (``weights.mode = "lexicographic"``) minimises cost, then
disruption among the plans whose cost is within ``weights.cost_tolerance`` of the least
cost found. Each point of the front is one such run with its own tolerance ε (the
epsilon constraint on cost): ε = 0 gives the least-cost plan, a larger ε buys less
disruption with more cost. The points run through the sweep machinery
(:mod:`relocation.sweep`), so they are solved in parallel, resumed by a rerun and
reported with the sweep's exit codes; each point is a full run folder under
``DIR/scenarios/``.

Then the front is read back from the run folders' ``summary.json``: cost (relocation +
support) and disruption (commute, attrition, preference, supply split) of each plan, its
proven gap (the last stage's: disruption within the cost cap), whether that gap is within
``relative_gap`` (``proven``), and whether another point is at least as good on both
(``dominated``). ``pareto.csv`` holds the table and ``pareto.html`` draws it (inline SVG,
no script, no network reference), each point linked to its plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from geodata.outputs import write_csv, write_text
from geodata.workspace import Workspace, read_workspace
from maps.offline import check_offline
from maps.text import safe_text
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.labels import TERMS, status_word
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS
from relocation.sweep import (
    PointResult,
    SweepOptions,
    SweepOutcome,
    SweepPoint,
    SweepSpec,
    run_sweep,
)
from relocation.sweep.report import nice_ticks, svg_panel

#: Default cost tolerances ε (shares of the least cost): eight points from 0.25 % to 4 %,
#: denser where the front bends. An assumption (geodata/demo/README.md, "Pareto front"): on
#: the demo, disruption stops falling near 4 % (8 %: the same plan as 4 %, dominated), and
#: 0.1 % lies within the least cost's own proven precision (its second stage was proven
#: only within 0.17 %); eight points leave a consultant a readable curve.
DEFAULT_TOLERANCES = (0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04)

#: Columns of ``pareto.csv``.
PARETO_COLUMNS = (
    "point",
    "cost_tolerance",
    "status",
    "cost_vnd",
    "disruption_vnd",
    "gap",
    "least_cost_gap",
    "proven",
    "dominated",
    "folder",
    "link",
)


def parse_tolerances(text: str) -> list[float]:
    """Parse ``--tolerances 0,0.25%,0.01`` into shares in [0, 1] (a ``%`` suffix divides by 100).

    Raises
    ------
    InputError
        A value that is not a number in 0–1 (0–100 %), or an empty list.
    """
    out: list[float] = []
    issues = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        raw, pct = (item[:-1], True) if item.endswith("%") else (item, False)
        try:
            v = float(raw) / (100.0 if pct else 1.0)
        except ValueError:
            issues.append(InputIssue("--tolerances", None, None, item, "not a number"))
            continue
        if math.isnan(v) or not 0.0 <= v <= 1.0:
            issues.append(
                InputIssue("--tolerances", None, None, item, "must be a share in 0–1 (0–100%)")
            )
        elif v not in out:
            out.append(v)
    if not out and not issues:
        issues.append(InputIssue("--tolerances", None, None, text, "no tolerance given"))
    if issues:
        raise InputError(issues, summary="bad --tolerances option")
    return sorted(out)


def point_name(tolerance: float) -> str:
    """``eps000`` for 0, ``eps000_25`` for 0.25 %, ``eps008`` for 8 % (sortable)."""
    pct = round(tolerance * 100, 6)
    if pct == int(pct):
        return f"eps{int(pct):03d}"
    return f"eps{int(pct):03d}_" + f"{pct:.6f}".split(".")[1].rstrip("0")


def pareto_spec(
    tolerances: Sequence[float], sets: Mapping[str, Any] | None = None
) -> SweepSpec:
    """One sweep point per cost tolerance: ``weights.mode = lexicographic`` and ε.

    Parameters
    ----------
    tolerances : sequence of float
        Shares of the least cost.
    sets : mapping, optional
        ``--set`` overrides shared by every point.
    """
    points = tuple(
        SweepPoint(
            point_name(t),
            point_name(t),
            {"weights.mode": "lexicographic", "weights.cost_tolerance": float(t)},
        )
        for t in sorted(set(tolerances))
    )
    return SweepSpec(points, "pareto", dict(sets or {}), axis="weights.cost_tolerance")


def dominated_mask(cost: Sequence[float | None], disruption: Sequence[float | None]) -> list[bool]:
    """True where another point is at least as good on both and better on one, or repeats it.

    A point without a plan (``None``) is neither on the front nor dominated (``False``);
    a point equal to an earlier one on both counts as dominated (it adds no trade-off).
    """
    out = []
    pts = list(zip(cost, disruption, strict=True))
    for i, (c, d) in enumerate(pts):
        if c is None or d is None:
            out.append(False)
            continue
        dom = False
        for j, (c2, d2) in enumerate(pts):
            if j == i or c2 is None or d2 is None:
                continue
            better = c2 <= c and d2 <= d and (c2 < c or d2 < d)
            same_earlier = c2 == c and d2 == d and j < i
            if better or same_earlier:
                dom = True
                break
        out.append(dom)
    return out


def front_table(outcome: SweepOutcome, relative_gap: float) -> pd.DataFrame:
    """The points of a Pareto sweep, read from their run folders' ``summary.json``.

    Columns (:data:`PARETO_COLUMNS`): ``point``, ``cost_tolerance`` (share), ``status``,
    ``cost_vnd`` (relocation + support, VND, discounted), ``disruption_vnd`` (commute,
    attrition, preference, supply split), ``gap`` (the last stage's proven gap),
    ``least_cost_gap`` (the first stage's: how far the least cost found, which ε is
    relative to, may lie above the least cost, from its LP bound; blank without one),
    ``proven`` (gap ≤ ``relative_gap``), ``dominated``, ``folder``
    (``scenarios/<name>``) and ``link`` (its ``map.html`` when written, else its
    ``summary.json``). Blank cost and disruption where a point has no plan.
    """
    rows = []
    for r in outcome.results:
        s = r.summary
        terms = s.get("terms") or None
        gap = s.get("gap") if terms else None
        folder = f"scenarios/{r.point.folder}"
        has_map = (Path(outcome.out) / folder / "map.html").is_file()
        rows.append(
            {
                "point": r.point.name,
                "cost_tolerance": r.point.params.get("weights.cost_tolerance"),
                "status": s.get("status"),
                "cost_vnd": sum(int(terms[t]) for t in COST_TERMS) if terms else None,
                "disruption_vnd": sum(int(terms[t]) for t in DISRUPTION_TERMS) if terms else None,
                "gap": gap,
                "least_cost_gap": _least_cost_gap(s) if terms else None,
                "proven": bool(terms) and gap is not None and gap <= relative_gap + 1e-12,
                "folder": folder,
                "link": f"{folder}/{'map.html' if has_map else 'summary.json'}" if terms else None,
            }
        )
    df = pd.DataFrame(rows, columns=[c for c in PARETO_COLUMNS if c != "dominated"])
    df.insert(
        PARETO_COLUMNS.index("dominated"),
        "dominated",
        dominated_mask(list(df["cost_vnd"]), list(df["disruption_vnd"])),
    )
    for col in ("cost_vnd", "disruption_vnd"):
        df[col] = pd.array([None if v is None or pd.isna(v) else int(v) for v in df[col]],
                           dtype="Int64")
    return df


def _least_cost_gap(summary: Mapping[str, Any]) -> float | None:
    """The first (cost) stage's gap of a lexicographic run: its plan against its LP bound."""
    stage1 = ((summary.get("solver") or {}).get("stats") or {}).get("stage1") or {}
    obj, bound = stage1.get("objective"), stage1.get("lp_bound")
    if obj is None or bound is None or obj <= 0:
        return None
    return max(0.0, (float(obj) - math.ceil(float(bound))) / float(obj))


_CSS = """
body{font-family:system-ui,'Segoe UI',Roboto,Arial,sans-serif;margin:24px;color:#1d2733}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.en{color:#5b6570;font-weight:normal}
svg.chart{display:block;margin:8px 0;background:#fff}
svg .axis{stroke:#333;stroke-width:1} svg .grid{stroke:#e3e7eb;stroke-width:1}
svg .tick{font-size:11px;fill:#444} svg .title{font-size:13px;font-weight:600;fill:#1d2733}
svg.front .line{fill:none;stroke:#1f6fb2;stroke-width:2} svg.front .point{fill:#1f6fb2}
svg.front .point.dominated{fill:#b8c2cc} svg.front .point.unproven{fill:#fff;stroke:#c2571a;
stroke-width:2} svg .infeasible path{stroke:#b00020;stroke-width:2}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #d5dbe1;padding:4px 8px;text-align:right;vertical-align:top}
th{background:#e8eef4} td.text{text-align:left} tr.dominated td{color:#7b8590}
tr.unproven td{background:#fff4e0}
.note{font-size:12px;color:#5b6570}
"""


def _bn(v: Any) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v) / 1e9:,.1f}"


def _cost_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Round ticks within the drawn range, with as many decimals as their step needs."""
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    pad = 0.05 * (hi - lo) if hi > lo else 1.0
    inside = [t for t in ticks if lo - pad - 1e-9 <= t <= hi + pad + 1e-9] or [lo]
    return [(t, f"{t:,.{decimals}f}") for t in inside]


def render_pareto_html(df: pd.DataFrame, title: str, relative_gap: float) -> str:
    """The front as one offline page: an inline SVG chart and the table, each point linked.

    Non-dominated points are joined by the front's line; dominated points are grey;
    points not proven within ``relative_gap`` are hollow (orange ring) and their rows
    shaded. Each marker and row links to the point's ``map.html`` (or ``summary.json``).
    """
    has = [not (v is None or pd.isna(v)) for v in df["cost_vnd"]]
    xs = [float(v) / 1e9 if h else 0.0 for v, h in zip(df["cost_vnd"], has, strict=True)]
    ys = [float(v) / 1e9 if h else None for v, h in zip(df["disruption_vnd"], has, strict=True)]
    tips, classes, links = [], [], []
    for i, row in df.iterrows():
        tol = float(row["cost_tolerance"])
        status = str(row["status"])
        words = [f"ε = {tol:.2%}", f"{status_word(status, 'vi')} / {status_word(status, 'en')}"]
        if has[i]:
            words.append(f"chi phí / cost {_bn(row['cost_vnd'])} tỷ đồng / bn VND")
            words.append(f"xáo trộn / disruption {_bn(row['disruption_vnd'])}")
            gap = f"{float(row['gap']):.3%}" if pd.notna(row["gap"]) else "—"
            words.append(f"sai số tối ưu / gap {gap}")
        cls = []
        if bool(row["dominated"]):
            cls.append("dominated")
        if has[i] and not bool(row["proven"]):
            cls.append("unproven")
            words.append(f"chưa chứng minh / not proven within {relative_gap:.2%}")
        tips.append(f"{row['point']}: " + "; ".join(words))
        classes.append(" ".join(cls))
        links.append(row["link"] if isinstance(row["link"], str) else None)
    drawn = [x for x, h in zip(xs, has, strict=True) if h]
    if drawn:
        lo, hi = min(drawn), max(drawn)
        ticks = _cost_ticks(lo, hi)
        xs = [x if h else lo for x, h in zip(xs, has, strict=True)]
        # Dominated markers first, so that a front point they repeat is drawn on top.
        order = sorted(range(len(df)), key=lambda i: not bool(df["dominated"].iloc[i]))
        chart = svg_panel(
            "Xáo trộn / Disruption (tỷ đồng / bn VND)",
            [xs[i] for i in order],
            [ys[i] for i in order],
            [tips[i] for i in order],
            ticks,
            "front",
            "Chi phí / Cost (tỷ đồng / bn VND)",
            height=360,
            links=[links[i] for i in order],
            point_classes=[classes[i] for i in order],
            connect=[has[i] and not bool(df["dominated"].iloc[i]) for i in order],
        )
    else:
        chart = '<p class="note" id="no-plan">Không điểm nào có phương án / no point has a ' \
            "plan: " + "; ".join(safe_text(t) for t in tips) + "</p>"
    head = [
        ("Điểm", "Point"),
        ("Dung sai chi phí ε", "Cost tolerance ε"),
        ("Trạng thái", "Status"),
        ("Chi phí (tỷ đồng)", "Cost (bn VND)"),
        ("Xáo trộn (tỷ đồng)", "Disruption (bn VND)"),
        TERMS["gap"],
        ("Đã chứng minh", "Proven"),
        ("Bị trội", "Dominated"),
        ("Phương án", "Plan"),
    ]
    th = "".join(f'<th>{vi}<br><span class="en">{en}</span></th>' for vi, en in head)
    body = []
    for i, row in df.iterrows():
        cls = [c for c in classes[i].split() if c]
        gap = "—" if pd.isna(row["gap"]) else f"{float(row['gap']):.3%}"
        link = (
            f'<a href="{safe_text(quote(row["link"]))}">{safe_text(row["link"])}</a>'
            if isinstance(row["link"], str)
            else "—"
        )
        body.append(
            f'<tr class="{" ".join(cls)}"><td class="text">{safe_text(row["point"])}</td>'
            f"<td>{float(row['cost_tolerance']):.2%}</td>"
            f'<td class="text">{safe_text(status_word(str(row["status"]), "vi"))}<br>'
            f'<span class="en">{safe_text(status_word(str(row["status"]), "en"))}</span></td>'
            f"<td>{_bn(row['cost_vnd'])}</td><td>{_bn(row['disruption_vnd'])}</td>"
            f"<td>{gap}</td><td>{'✓' if bool(row['proven']) else '✗'}</td>"
            f"<td>{'✓' if bool(row['dominated']) else ''}</td>"
            f'<td class="text">{link}</td></tr>'
        )
    n_front = int((~df["dominated"] & pd.Series(has)).sum())
    n_unproven = int((pd.Series(has) & ~df["proven"]).sum())
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{safe_text(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{safe_text(title)}</h1>"
        f'<p class="note">{len(df)} điểm / points, {n_front} không bị trội / non-dominated, '
        f"{n_unproven} chưa chứng minh trong {relative_gap:.2%} / not proven within "
        f"{relative_gap:.2%} (vòng cam / orange ring). Mỗi điểm: chi phí tối thiểu, rồi xáo "
        "trộn tối thiểu trong dung sai ε của chi phí / each point: least cost, then least "
        "disruption within ε of it. Chi phí = di dời + hỗ trợ; xáo trộn = đi lại, mất lao "
        "động, nguyện vọng, chia tách chuỗi cung ứng / cost = relocation + support; "
        "disruption = commute, attrition, preference, supply split.</p>"
        '<h2>Biên Pareto <span class="en">/ Pareto front</span></h2>'
        f'<div id="front">{chart}</div>'
        '<h2>Các điểm <span class="en">/ Points</span></h2>'
        f'<table id="points"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table>"
        '<p class="note">Số liệu đầy đủ / full figures: pareto.csv, comparison.csv</p>'
        "</body></html>\n"
    )


@dataclass(frozen=True)
class ParetoOutcome:
    """A Pareto run as written: the sweep's outcome and the front table."""

    sweep: SweepOutcome
    table: pd.DataFrame
    relative_gap: float

    @property
    def front(self) -> pd.DataFrame:
        """The non-dominated points with a plan."""
        t = self.table
        return t[t["cost_vnd"].notna() & ~t["dominated"]]


def write_pareto(outcome: SweepOutcome, ws: Workspace, relative_gap: float) -> pd.DataFrame:
    """Write ``pareto.csv`` and ``pareto.html`` into the sweep folder; return the table."""
    df = front_table(outcome, relative_gap)
    out = Path(outcome.out)
    write_csv(df, out / "pareto.csv")
    title = f"Biên chi phí – xáo trộn / Cost–disruption front — {ws.scenario.name}"
    html = render_pareto_html(df, title, relative_gap)
    check_offline(html)
    write_text(html, out / "pareto.html")
    return df


def run_pareto(
    workspace: Path | Workspace,
    out: Path,
    tolerances: Sequence[float] = DEFAULT_TOLERANCES,
    opts: SweepOptions | None = None,
    sets: Mapping[str, Any] | None = None,
    relative_gap: float | None = None,
    on_result: Callable[[PointResult, int, int], None] | None = None,
) -> ParetoOutcome:
    """Solve one lexicographic run per cost tolerance and write the front into ``out``.

    Parameters
    ----------
    workspace : pathlib.Path or Workspace
    out : pathlib.Path
        The Pareto folder (a sweep folder: a rerun resumes it).
    tolerances : sequence of float
        Cost tolerances ε (shares of the least cost).
    opts : SweepOptions, optional
        Time limit, workers, outputs, … as for a sweep.
    sets : mapping, optional
        ``--set`` overrides shared by every point.
    relative_gap : float, optional
        A point is ``proven`` when its gap is at most this (default: the scenario's
        ``solver.relative_gap``).
    on_result : callable, optional
        As for :func:`relocation.sweep.run_sweep`.

    Returns
    -------
    ParetoOutcome

    Raises
    ------
    InputError
        Bad workspace or settings (nothing solved).
    """
    ws = workspace if isinstance(workspace, Workspace) else read_workspace(Path(workspace))
    if relative_gap is not None and not 0.0 <= relative_gap <= 1.0:
        raise InputError(
            [InputIssue("--gap", None, None, str(relative_gap), "must be a share in 0–1")],
            summary="bad option",
        )
    spec = pareto_spec(tolerances, sets)
    outcome = run_sweep(ws, out, spec, opts, on_result=on_result)
    if relative_gap is None:
        from relocation.workflow import apply_settings

        base = apply_settings(ws, ws.scenario, dict(sets or {}), "--set")
        relative_gap = base.solver.relative_gap
    gap = float(relative_gap)
    table = write_pareto(outcome, ws, gap)
    return ParetoOutcome(outcome, table, gap)
