"""Explain one firm's move: its terms, its best alternatives, and why other sites are out.

``relocation explain RUN FIRM_ID`` and ``relocation explain RUN --all`` (``explanations.csv``).

An alternative (site, year) is priced **exactly** as the whole plan's objective with that
firm alone moved there and every other move fixed. With the rest fixed, that objective
differs from the plan's by

- the firm's own weighted move coefficient (the same integer rule as the model's,
  :func:`relocation.domain.costs.move_terms`), new minus old;
- the change of its supply group's split term (a site none of its group's other movers
  uses adds one split, leaving such a site removes one);
- the change of soft-quota shortfalls (soft mode only);

and the alternative is possible only when every plan-level rule still holds with the rest
fixed: the site's land in every year from the move on (the firm's own land at its current
site freed), the yearly move limit and support budget, and each quota window the year
change crosses. Admissibility (sector, polluting, size, readiness, deadline, decisions)
comes from the problem's options. No solver is needed; a test compares these figures with
a CP-SAT solve of the plan with every move fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.costs import move_term_values, suffix_min, why_inadmissible
from relocation.domain.labels import label
from relocation.domain.problem import MOVE_TERMS, Problem

#: Nearest sites (road km) whose exclusion is explained, besides the preferred ones.
NEAREST_SITES = 3
#: Alternatives listed per firm.
ALTERNATIVES = 3
#: Columns of ``explanations.csv``.
EXPLANATION_COLUMNS = (
    "firm_id", "site_id", "year", "total_vnd",
    *(f"alt{k}_{c}" for k in range(1, ALTERNATIVES + 1) for c in ("site_id", "year", "extra_vnd")),
    "ruled_out",
)

_TEXT = {
    "chosen": ("Phương án đã chọn", "Chosen move"),
    "convert": ("chuyển đổi công năng tại chỗ", "convert in place"),
    "alternatives": ("Ba phương án thay thế tốt nhất (các DN khác giữ nguyên)",
                     "Best alternatives (every other move fixed)"),
    "more": ("tổng kế hoạch tốn thêm", "the whole plan costs more by"),
    "ruled": ("KCN/CCN không được chọn", "Sites not chosen"),
    "none": ("không có phương án thay thế khả thi", "no feasible alternative"),
    "cost_more": ("khả thi nhưng tốn thêm", "possible, but the plan costs more by"),
    "saves": ("tổng kế hoạch tiết kiệm", "the whole plan saves"),
    "cost_less": ("khả thi và tiết kiệm", "possible, and the plan saves"),
    "total": ("Tổng có trọng số", "Weighted total"),
    "cap": ("hết đất năm", "land full in"),
    "moves": ("vượt giới hạn số DN di dời năm", "over the yearly move limit in"),
    "budget": ("vượt ngân sách hỗ trợ năm", "over the support budget in"),
    "quota_min": ("không đạt tỷ lệ tối thiểu đến năm", "misses the quota window of"),
    "quota_max": ("vượt tỷ lệ tối đa đến năm", "exceeds the quota window of"),
    "not_moved": ("DN không di dời trong kế hoạch", "the firm does not move in the plan"),
}


def _t(key: str, lang: str) -> str:
    vi, en = _TEXT[key]
    return vi if lang == "vi" else en


@dataclass
class Explainer:
    """A plan with the per-site, per-year loads that pricing one firm's change needs.

    Parameters
    ----------
    problem : Problem
    firm, site, year : numpy.ndarray
        The plan's moves as firm and site positions and years.
    """

    problem: Problem
    firm: np.ndarray
    site: np.ndarray
    year: np.ndarray

    def __post_init__(self) -> None:
        p = self.problem
        opts = p.options
        self.start = p.years[0]
        n_y = len(p.years)
        key = pd.MultiIndex.from_arrays([opts["firm"], opts["site"], opts["year"]])
        self.row = key.get_indexer(pd.MultiIndex.from_arrays([self.firm, self.site, self.year]))
        if (self.row < 0).any():
            bad = p.firms["firm_id"].to_numpy()[self.firm[self.row < 0]]
            raise ValueError(f"the plan holds moves the problem does not admit: {bad[:5]}")
        self.where = {int(f): k for k, f in enumerate(self.firm)}
        area = opts["area_m2"].to_numpy()[self.row]
        # One extra row for conversions in place (reserved site len(sites), no land).
        cap = np.vstack([p.capacity_m2, np.zeros((1, n_y), dtype=p.capacity_m2.dtype)])
        used = np.zeros_like(cap)
        np.add.at(used, (self.site, self.year - self.start), area)
        used = np.cumsum(used, axis=1)
        self.slack = cap - used
        self.slack_min = suffix_min(self.slack)
        self.count = np.bincount(self.year - self.start, minlength=n_y)
        sup = opts["support_vnd"].to_numpy()[self.row]
        self.support = np.bincount(self.year - self.start, weights=sup, minlength=n_y)
        self.by_firm = opts.groupby("firm").indices
        self.cols = {c: opts[c].to_numpy() for c in
                     ("site", "year", "area_m2", "weighted_vnd", "support_vnd", "pair")}
        self.firm_pos = {fid: i for i, fid in enumerate(p.firms["firm_id"])}
        self.group_of = {}
        for g, members in p.supply_groups().items():
            for f in members.tolist():
                self.group_of[f] = (g, members)
        self.windows = [(q, q.min_count(p.n_slated), q.max_count(p.n_slated))
                        for q in p.scenario.quota]
        self.moved_by = {q.by_year: p.n_moved_before + int((self.year <= q.by_year).sum())
                         for q, _, _ in self.windows}

    def _split_delta(self, f: int, s0: int, sites: np.ndarray) -> np.ndarray:
        """Change of the supply-split count when firm ``f`` goes to each of ``sites``."""
        hit = self.group_of.get(f)
        if hit is None:
            return np.zeros(len(sites))
        others = {int(self.site[self.where[m]]) for m in hit[1].tolist()
                  if m != f and m in self.where}
        if not others:
            return np.zeros(len(sites))
        return np.array([(int(s) not in others) - (s0 not in others) for s in sites], float)

    def alternatives(self, f: int) -> pd.DataFrame:
        """Every admissible move of firm ``f`` with its plan-wide extra cost and feasibility.

        Returns
        -------
        pandas.DataFrame
            ``site``, ``year``, ``extra_vnd`` (int64: whole-plan objective with the firm
            moved there, the rest fixed, minus the plan's), ``blocked`` (str: the plan-level
            rule that would break, ``""`` when possible), cheapest first. The chosen move is
            left out.
        """
        s, y, extra, blocked = self.alternative_arrays(f)
        return pd.DataFrame({"site": s, "year": y, "extra_vnd": extra, "blocked": blocked})

    def alternative_arrays(
        self, f: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`alternatives` as arrays (site, year, extra_vnd, blocked), cheapest first."""
        p = self.problem
        sc = p.scenario
        col = self.cols
        rows = self.by_firm.get(f, np.zeros(0, dtype=np.int64))
        k0 = self.where.get(f)
        s = col["site"][rows]
        y = col["year"][rows]
        a = col["area_m2"][rows]
        coef = col["weighted_vnd"][rows]
        if k0 is None:
            s0, y0, a0, c0, sup0, r0 = -1, 0, 0, 0, 0, -1
        else:
            r0 = int(self.row[k0])
            s0, y0 = int(self.site[k0]), int(self.year[k0])
            a0, c0 = int(col["area_m2"][r0]), int(col["weighted_vnd"][r0])
            sup0 = int(col["support_vnd"][r0])
        keep = rows != r0
        sup = col["support_vnd"][rows][keep]
        s, y, a, coef = s[keep], y[keep], a[keep], coef[keep]
        off = y - self.start
        blocked = np.full(len(s), "", dtype=object)
        # Land: the site's slack in every year from the move on (own land freed at s0).
        avail = self.slack_min[s, off].astype(np.int64)
        if s0 >= 0:
            own = self.slack[s0].copy()
            own[y0 - self.start:] += a0
            own_min = suffix_min(own[None, :])[0]
            at0 = s == s0
            avail[at0] = own_min[off[at0]]
        cap_years = np.array([self._full_year(int(si), int(oi), int(ai), s0, y0, a0)
                              for si, oi, ai in zip(s[avail < a], off[avail < a],
                                                    a[avail < a], strict=True)], dtype=np.int64)
        blocked[np.flatnonzero(avail < a)] = [f"cap:{int(v)}" for v in cap_years]
        lim = sc.limits
        other_year = y != y0
        if lim.max_moves_per_year is not None:
            over = other_year & (self.count[off] + 1 > lim.max_moves_per_year)
            blocked[over & (blocked == "")] = [f"moves:{v}" for v in y[over & (blocked == "")]]
        if lim.budget_vnd_per_year is not None:
            spent = self.support[off] + sup - np.where(other_year, 0, sup0)
            over = spent > lim.budget_vnd_per_year
            blocked[over & (blocked == "")] = [f"budget:{v}" for v in y[over & (blocked == "")]]
        shortfall_delta = np.zeros(len(s))
        if k0 is not None:
            for q, lo, hi in self.windows:
                m = self.moved_by[q.by_year]
                later = (y0 <= q.by_year) & (y > q.by_year)  # leaves the window
                earlier = (y0 > q.by_year) & (y <= q.by_year)  # enters it
                if sc.rules.soft_quota:
                    shortfall_delta += later * (max(0, lo - m + 1) - max(0, lo - m))
                    shortfall_delta -= earlier * (max(0, lo - m) - max(0, lo - m - 1))
                elif m - 1 < lo:
                    bad = later & (blocked == "")
                    blocked[bad] = f"quota_min:{q.by_year}"
                if m + 1 > hi:
                    bad = earlier & (blocked == "")
                    blocked[bad] = f"quota_max:{q.by_year}"
        split_w = int(round(sc.weights.supply_split * sc.costs.supply_split_vnd))
        extra = (coef - c0) + self._split_delta(f, s0, s) * split_w
        extra = extra + shortfall_delta * sc.rules.quota_shortfall_vnd_per_firm
        extra = np.rint(extra).astype(np.int64)
        order = np.lexsort((y, s, extra))
        return s[order], y[order], extra[order], blocked[order].astype(str)

    def _full_year(self, s: int, off: int, a: int, s0: int, y0: int, a0: int) -> int:
        """The first year from ``off`` on in which site ``s`` lacks ``a`` m² (others fixed)."""
        sl = self.slack[s, off:].astype(np.int64).copy()
        if s == s0:
            sl += np.where(np.arange(off, off + len(sl)) >= y0 - self.start, a0, 0)
        return self.start + off + int(np.argmax(sl < a))


def blocked_text(code: str, lang: str) -> str:
    """A plan-level rule code (``cap:2028``) in planner words."""
    kind, _, year = code.partition(":")
    return f"{_t(kind, lang)} {year}"


def explain_firm(exp: Explainer, firm_id: str, lang: str = "en") -> dict[str, Any]:
    """Everything ``relocation explain RUN FIRM_ID`` prints, as data.

    Returns
    -------
    dict
        ``firm_id``, ``name``, ``chosen`` (site_id, year, terms, total_vnd) or None,
        ``alternatives`` (up to three: site_id, year, extra_vnd), ``ruled_out`` (site_id,
        distance_km, reason) for the nearest and preferred sites not chosen.

    Raises
    ------
    KeyError
        For a firm id the run does not know.
    """
    p = exp.problem
    f = exp.firm_pos.get(firm_id)
    if f is None:
        raise KeyError(firm_id)
    # A conversion in place (reserved site len(sites)) has the site id "".
    sids = np.append(p.sites["site_id"].to_numpy(), "")
    k0 = exp.where.get(f)
    chosen: dict[str, Any] | None = None
    if k0 is not None:
        r = int(exp.row[k0])
        terms = move_term_values(p.pair_terms, np.array([exp.cols["pair"][r]]),
                                 np.array([int(exp.year[k0]) - exp.start]), p.scenario)
        chosen = {"site_id": str(sids[exp.site[k0]]), "year": int(exp.year[k0]),
                  "terms": {t: int(terms[t][0]) for t in MOVE_TERMS},
                  "total_vnd": int(exp.cols["weighted_vnd"][r])}
    a_site, a_year, a_extra, a_blocked = exp.alternative_arrays(f)
    free = np.flatnonzero(a_blocked == "")
    best = [{"site_id": str(sids[a_site[k]]), "year": int(a_year[k]),
             "extra_vnd": int(a_extra[k])} for k in free[:ALTERNATIVES]]
    ruled = []
    firm = p.firms.iloc[f]
    near = np.argsort(p.distance_km[f], kind="stable")[:NEAREST_SITES].tolist()
    pos = {s: j for j, s in enumerate(sids)}
    prefs = [pos[s] for s in firm["preferred_site_ids"] if s in pos]
    seen = set()
    y_ref = int(chosen["year"]) if chosen else int(p.years[0])
    for j in [*prefs, *near]:
        if j in seen or (chosen and sids[j] == chosen["site_id"]):
            continue
        seen.add(j)
        at = np.flatnonzero(a_site == j)
        if len(at) == 0:
            reason = why_inadmissible(p, f, j, y_ref) or why_inadmissible(p, f, j, p.years[-1])
            text = reason.text(lang) if reason else "—"
        elif (a_blocked[at] == "").any():
            k = at[a_blocked[at] == ""][0]
            extra = float(a_extra[k])
            word = _t("cost_more" if extra >= 0 else "cost_less", lang)
            text = f"{word} {abs(extra) / 1e9:,.2f} bn VND ({int(a_year[k])})"
        else:
            text = blocked_text(str(a_blocked[at[0]]), lang)
        ruled.append({"site_id": str(sids[j]), "distance_km": round(float(p.distance_km[f, j]), 1),
                      "preferred": j in prefs, "reason": text})
    return {"firm_id": firm_id, "name": str(firm["name"]), "chosen": chosen,
            "alternatives": best, "ruled_out": ruled}


def format_explanation(d: dict[str, Any], lang: str = "en") -> str:
    """The explanation as terminal text in ``vi`` or ``en``."""
    lines = [f"{d['firm_id']} — {d['name']}"]
    c = d["chosen"]
    if c is None:
        lines.append("  " + _t("not_moved", lang))
    else:
        lines.append(f"  {_t('chosen', lang)}: {c['site_id'] or _t('convert', lang)} {c['year']}")
        for t, v in c["terms"].items():
            if v:
                lines.append(f"    {label(f'{t}_vnd', lang)}: {v / 1e9:,.3f} bn")
        lines.append(f"    {_t('total', lang)}: {c['total_vnd'] / 1e9:,.3f} bn VND")
    lines.append(f"  {_t('alternatives', lang)}:")
    if not d["alternatives"]:
        lines.append("    " + _t("none", lang))
    for a in d["alternatives"]:
        extra = float(a["extra_vnd"])
        word = _t("more" if extra >= 0 else "saves", lang)
        where = a["site_id"] or _t("convert", lang)
        lines.append(f"    {where} {a['year']}: {word} {abs(extra) / 1e9:,.3f} bn VND")
    lines.append(f"  {_t('ruled', lang)}:")
    for r in d["ruled_out"]:
        star = " *" if r["preferred"] else ""
        lines.append(f"    {r['site_id']}{star} ({r['distance_km']:,.1f} km): {r['reason']}")
    return "\n".join(lines)


def explanations_table(exp: Explainer, lang: str = "en") -> pd.DataFrame:
    """One row per firm of the problem (``explanations.csv``: ``EXPLANATION_COLUMNS``)."""
    rows = []
    for fid in exp.problem.firms["firm_id"][exp.problem.planned]:
        d = explain_firm(exp, str(fid), lang)
        c = d["chosen"] or {}
        row: dict[str, Any] = {"firm_id": fid, "site_id": c.get("site_id", ""),
                               "year": c.get("year"), "total_vnd": c.get("total_vnd")}
        for k in range(ALTERNATIVES):
            a = d["alternatives"][k] if k < len(d["alternatives"]) else {}
            row[f"alt{k + 1}_site_id"] = a.get("site_id", "")
            row[f"alt{k + 1}_year"] = a.get("year")
            row[f"alt{k + 1}_extra_vnd"] = a.get("extra_vnd")
        row["ruled_out"] = "; ".join(f"{r['site_id']}: {r['reason']}" for r in d["ruled_out"])
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(EXPLANATION_COLUMNS))
    for col in out.columns:
        if col.endswith(("year", "_vnd")):
            out[col] = pd.array(out[col], dtype="Int64")
    return out


def load_run(run: Path) -> Explainer:
    """Rebuild a run folder's problem and plan (its workspace, scenario and replan inputs).

    The run's ``scenario.toml`` is the scenario as used; a replan run's ``summary.json``
    names its workspace, baseline run, actuals file and ``as_of``, so its stability terms
    and statuses are rebuilt too.

    Raises
    ------
    InputError
        A folder that is not a run with a plan, or whose workspace has gone.
    """
    from geodata.adapter import to_problem
    from geodata.tables import IssueLog
    from geodata.workspace import read_actuals, read_scenario, read_workspace
    from relocation.diff import read_run
    from relocation.domain.errors import InputError, InputIssue
    from relocation.replan import prepare_replan

    data = read_run(Path(run))
    log = IssueLog()
    sc = read_scenario(Path(run) / "scenario.toml", log)
    if sc is None:
        raise InputError(log.issues, summary=f"cannot read the run {run}")
    info = data.summary.get("replan")
    root = Path(info["workspace"] if info else data.summary.get("workspace", ""))
    if not root.is_dir():
        raise InputError([InputIssue(str(Path(run) / "summary.json"), None, "workspace",
                                     str(root), "the run's workspace folder is not there")],
                         summary="cannot rebuild the run")
    ws = read_workspace(root)
    if info:
        if info.get("actuals"):
            ws = read_actuals(ws, Path(info["actuals"]))
        baseline = read_run(Path(info["baseline"])).schedule
        problem = prepare_replan(ws, sc, baseline, int(info["as_of"])).problem
    else:
        problem = to_problem(ws, sc)
    fpos = {f: i for i, f in enumerate(problem.firms["firm_id"])}
    spos = {s: j for j, s in enumerate(problem.sites["site_id"])}
    sched = data.schedule
    return Explainer(
        problem,
        np.array([fpos[f] for f in sched["firm_id"]], dtype=np.int64),
        np.array([spos.get(s, len(spos)) if s == "" else spos[s] for s in sched["site_id"]],
                 dtype=np.int64),
        sched["year"].to_numpy(dtype=np.int64),
    )
