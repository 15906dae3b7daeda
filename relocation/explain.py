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

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from relocation.domain.costs import move_term_values, suffix_min, why_inadmissible
from relocation.domain.labels import label
from relocation.domain.problem import MOVE_TERMS, Problem
from relocation.domain.status import fixed_kinds

if TYPE_CHECKING:
    from geodata.workspace import Workspace
    from relocation.domain.scenario import Scenario

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

#: Columns :func:`review_columns` adds to a plan's moves for the map, the workbook and the
#: GeoPackage: ``fixed`` (:class:`relocation.domain.status.Fixed`) and the short explanation
#: of :meth:`Explainer.short_explanations`.
REVIEW_COLUMNS = (
    "fixed", "alt_site_id", "alt_year", "alt_extra_vnd", "near_site_id", "near_year",
    "near_extra_vnd", "near_reason_vi", "near_reason_en",
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

    def short_explanations(self) -> pd.DataFrame:
        """For every move of the plan at once: its best alternative and its nearest other site.

        The same figures as :func:`explain_firm` (a test compares them firm by firm), computed
        for the whole plan with array operations instead of one firm at a time: the map's
        popups show them for every firm of every plan.

        Returns
        -------
        pandas.DataFrame
            One row per move, in the plan's order: ``firm_id``; the cheapest possible
            alternative ``alt_site_id``, ``alt_year`` and ``alt_extra_vnd`` (the whole plan's
            extra cost with the firm alone moved there, the rest fixed; ``""``/NA when none
            is possible); the nearest site by road that the plan did not choose,
            ``near_site_id``, with ``near_year`` and ``near_extra_vnd`` of its cheapest
            possible move (NA when none) or, when none is possible, the rule that rules it
            out in ``near_reason_vi`` and ``near_reason_en`` (``""`` when it is possible).
        """
        p = self.problem
        col = self.cols
        n_k = len(self.firm)
        # The reserved site index len(sites) is a conversion in place: no site id.
        sids = np.append(p.sites["site_id"].to_numpy().astype(str), "")
        k_of = np.full(len(p.firms), -1, dtype=np.int64)
        k_of[self.firm] = np.arange(n_k)
        kk = k_of[p.options["firm"].to_numpy()]
        rows = np.flatnonzero(kk >= 0)
        rows = rows[rows != self.row[kk[rows]]]  # the chosen moves are no alternative
        k = kk[rows]
        s, y = col["site"][rows], col["year"][rows]
        kind, kyear, extra = self._blocked_arrays(rows, k)
        order = np.lexsort((y, s, extra, k))
        k, s, y, kind, kyear, extra = (v[order] for v in (k, s, y, kind, kyear, extra))
        free = kind == 0
        alt = _first_per(k[free], n_k)
        fk = np.flatnonzero(free)
        out = pd.DataFrame({"firm_id": p.firms["firm_id"].to_numpy()[self.firm].astype(str)})
        have = alt >= 0
        at = fk[alt[have]]
        alt_site = np.full(n_k, "", dtype=object)
        alt_site[have] = sids[s[at]]
        out["alt_site_id"] = alt_site
        out["alt_year"] = _int_column(n_k, have, y[at])
        out["alt_extra_vnd"] = _int_column(n_k, have, extra[at])
        # The nearest site by road that the plan did not choose (first on a tie, as explain).
        dist = p.distance_km[self.firm].astype(float).copy()
        real = self.site < dist.shape[1]  # a conversion in place chose no site
        dist[np.flatnonzero(real), self.site[real]] = np.inf
        near = np.argmin(dist, axis=1) if dist.size else np.full(n_k, -1)
        near[~np.isfinite(dist.min(axis=1, initial=np.inf))] = -1  # no other site at all
        out["near_site_id"] = np.where(near >= 0, sids[np.maximum(near, 0)], "").astype(object)
        at_near = s == near[k]
        first_any = _first_per(k[at_near], n_k)
        first_free = _first_per(k[at_near & free], n_k)
        i_any = np.flatnonzero(at_near)
        i_free = np.flatnonzero(at_near & free)
        ok = first_free >= 0
        out["near_year"] = _int_column(n_k, ok, y[i_free[first_free[ok]]])
        out["near_extra_vnd"] = _int_column(n_k, ok, extra[i_free[first_free[ok]]])
        vi, en = [""] * n_k, [""] * n_k
        # A site's sector rule, then its polluting rule, come first among the rules a planned
        # firm can meet (without a pairs table) and read only the firm's sector (and
        # pollution): one call of why_inadmissible answers for every such firm at that site.
        sector = p.firms["sector"].astype(str).to_numpy()
        high = (p.firms["pollution"] == "high").to_numpy()
        memo_ok = p.pairs is None or not len(p.pairs)
        memo: dict[tuple[object, ...], tuple[str, str]] = {}
        for j in np.flatnonzero(~ok & (near >= 0)):
            if first_any[j] >= 0:  # admissible, but a plan-level rule breaks
                i = i_any[first_any[j]]
                code = f"{_KINDS[kind[i]]}:{int(kyear[i])}"
                vi[j], en[j] = blocked_text(code, "vi"), blocked_text(code, "en")
                continue
            f, site, year = int(self.firm[j]), int(near[j]), int(self.year[j])
            keys = {"sector": (sector[f], site), "polluting": (sector[f], bool(high[f]), site)}
            hit = next((memo[key] for key in keys.values() if key in memo), None)
            if hit is not None:
                vi[j], en[j] = hit
                continue
            reason = why_inadmissible(p, f, site, year) or why_inadmissible(
                p, f, site, p.years[-1])
            vi[j], en[j] = (reason.vi, reason.en) if reason else ("—", "—")
            if memo_ok and reason is not None and reason.code in keys:
                memo[keys[reason.code]] = (vi[j], en[j])
        out["near_reason_vi"] = vi
        out["near_reason_en"] = en
        return out

    def _blocked_arrays(
        self, rows: np.ndarray, k: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`alternative_arrays`' rule and extra cost for many firms' option rows at once.

        ``rows`` are rows of ``problem.options`` of planned moves ``k`` (their chosen rows
        left out). Returns the rule kind (index of :data:`_KINDS`, 0 = possible) and its
        year, and ``extra_vnd`` (int64), by the same arithmetic as the one-firm path.
        """
        p = self.problem
        sc = p.scenario
        col = self.cols
        s, y = col["site"][rows], col["year"][rows]
        a, coef, sup = col["area_m2"][rows], col["weighted_vnd"][rows], col["support_vnd"][rows]
        r0 = self.row[k]
        s0, y0 = self.site[k], self.year[k]
        a0, c0, sup0 = col["area_m2"][r0], col["weighted_vnd"][r0], col["support_vnd"][r0]
        off = y - self.start
        n, n_y = len(rows), self.slack.shape[1]
        kind = np.zeros(n, dtype=np.int64)
        kyear = np.zeros(n, dtype=np.int64)
        # Land: the site's slack in every year from the move on (own land freed at s0).
        t = np.arange(n_y)
        slack = self.slack[s].astype(np.int64)
        own = s == s0
        slack[own] += np.where(t[None, :] >= (y0[own] - self.start)[:, None], a0[own, None], 0)
        short = (slack < a[:, None]) & (t[None, :] >= off[:, None])
        cap = short.any(axis=1)
        kind[cap] = 1
        kyear[cap] = self.start + np.argmax(short[cap], axis=1)
        lim = sc.limits
        other_year = y != y0
        if lim.max_moves_per_year is not None:
            over = other_year & (self.count[off] + 1 > lim.max_moves_per_year) & (kind == 0)
            kind[over], kyear[over] = 2, y[over]
        if lim.budget_vnd_per_year is not None:
            spent = self.support[off] + sup - np.where(other_year, 0, sup0)
            over = (spent > lim.budget_vnd_per_year) & (kind == 0)
            kind[over], kyear[over] = 3, y[over]
        shortfall_delta = np.zeros(n)
        for q, lo, hi in self.windows:
            m = self.moved_by[q.by_year]
            later = (y0 <= q.by_year) & (y > q.by_year)
            earlier = (y0 > q.by_year) & (y <= q.by_year)
            if sc.rules.soft_quota:
                shortfall_delta += later * (max(0, lo - m + 1) - max(0, lo - m))
                shortfall_delta -= earlier * (max(0, lo - m) - max(0, lo - m - 1))
            elif m - 1 < lo:
                bad = later & (kind == 0)
                kind[bad], kyear[bad] = 4, q.by_year
            if m + 1 > hi:
                bad = earlier & (kind == 0)
                kind[bad], kyear[bad] = 5, q.by_year
        split_w = int(round(sc.weights.supply_split * sc.costs.supply_split_vnd))
        extra = (coef - c0) + self._split_deltas(k, s) * split_w
        extra = extra + shortfall_delta * sc.rules.quota_shortfall_vnd_per_firm
        return kind, kyear, np.rint(extra).astype(np.int64)

    def _split_deltas(self, k: np.ndarray, s: np.ndarray) -> np.ndarray:
        """:meth:`_split_delta` for many (move ``k``, site ``s``) pairs at once."""
        n_f, n_s = len(self.problem.firms), len(self.problem.sites)
        gid = np.full(n_f, -1, dtype=np.int64)
        for g, members in enumerate(self.problem.supply_groups().values()):
            gid[members] = g
        if (gid < 0).all():
            return np.zeros(len(k))
        g_k = gid[self.firm]
        n_g = int(gid.max()) + 1
        at = np.zeros((n_g, n_s), dtype=np.int64)  # planned moves of each group at each site
        mine = g_k >= 0
        np.add.at(at, (g_k[mine], self.site[mine]), 1)
        g, s0 = g_k[k], self.site[k]
        grouped = g >= 0
        gg = np.maximum(g, 0)
        others_total = at[gg].sum(axis=1) - 1
        others_s = at[gg, s] - (s == s0)
        others_s0 = at[gg, s0] - 1
        delta = (others_s == 0).astype(float) - (others_s0 == 0).astype(float)
        return np.where(grouped & (others_total > 0), delta, 0.0)

    def _full_year(self, s: int, off: int, a: int, s0: int, y0: int, a0: int) -> int:
        """The first year from ``off`` on in which site ``s`` lacks ``a`` m² (others fixed)."""
        sl = self.slack[s, off:].astype(np.int64).copy()
        if s == s0:
            sl += np.where(np.arange(off, off + len(sl)) >= y0 - self.start, a0, 0)
        return self.start + off + int(np.argmax(sl < a))


#: Plan-level rule kinds of :meth:`Explainer._blocked_arrays` (0: the move is possible).
_KINDS = ("", "cap", "moves", "budget", "quota_min", "quota_max")


def _first_per(k: np.ndarray, n: int) -> np.ndarray:
    """Index into sorted ``k`` of each value's first occurrence (-1 where absent), 0 … n-1."""
    first = np.full(n, -1, dtype=np.int64)
    if len(k):
        values, index = np.unique(k, return_index=True)
        first[values] = index
    return first


def _int_column(n: int, have: np.ndarray, values: np.ndarray) -> pd.arrays.IntegerArray:
    """An Int64 column of ``n`` rows: ``values`` where ``have``, NA elsewhere."""
    out = np.zeros(n, dtype=np.int64)
    out[have] = values
    return pd.arrays.IntegerArray(out, ~have)


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


def explainer_for(problem: Problem, moves: pd.DataFrame) -> Explainer:
    """An :class:`Explainer` of ``moves`` (``firm_id``, ``site_id``, ``year``) in ``problem``."""
    fpos = {f: i for i, f in enumerate(problem.firms["firm_id"].astype(str))}
    spos = {s: j for j, s in enumerate(problem.sites["site_id"].astype(str))}
    return Explainer(
        problem,
        np.array([fpos[f] for f in moves["firm_id"].astype(str)], dtype=np.int64),
        # A conversion in place has no site: the reserved index len(sites).
        np.array([len(spos) if s == "" else spos[s] for s in moves["site_id"].astype(str)],
                 dtype=np.int64),
        moves["year"].to_numpy(dtype=np.int64),
    )


def with_fixed(problem: Problem, moves: pd.DataFrame) -> pd.DataFrame:
    """``moves`` (a copy, RangeIndex) with each firm's ``fixed`` code.

    The :class:`relocation.domain.status.Fixed` value from the problem's review columns
    (committed actuals, lock decisions); ``""`` for a firm the problem does not fix.
    """
    f = problem.firms
    n = len(f)
    fixed = fixed_kinds(
        f["status"].to_numpy() if "status" in f else np.full(n, ""),
        f["lock_site_id"].to_numpy() if "lock_site_id" in f else np.full(n, ""),
        f["lock_year"].to_numpy() if "lock_year" in f else np.zeros(n, dtype=np.int64),
    )
    by_id = dict(zip(f["firm_id"].astype(str), fixed, strict=True))
    out = moves.reset_index(drop=True)
    out["fixed"] = [by_id.get(x, "") for x in out["firm_id"].astype(str)]
    return out


def review_columns(problem: Problem, moves: pd.DataFrame) -> pd.DataFrame:
    """``moves`` with :data:`REVIEW_COLUMNS`: whether each move is fixed, and why it is there.

    ``fixed`` comes from the problem's review columns (a committed actual, a lock
    decision); the rest from :meth:`Explainer.short_explanations` (exact, every other move
    fixed). Plain data: the map renders it without knowing the problem.

    Parameters
    ----------
    problem : Problem
        The problem the plan solves (a replan's, with its actuals and decisions).
    moves : pandas.DataFrame
        The plan's moves (``firm_id``, ``site_id``, ``year``, …), e.g. ``Plan.moves``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``moves`` (same rows and order) with :data:`REVIEW_COLUMNS` replaced or
        added.
    """
    out = with_fixed(problem, moves.drop(columns=[c for c in REVIEW_COLUMNS if c in moves]))
    short = explainer_for(problem, out).short_explanations()
    for c in REVIEW_COLUMNS[1:]:
        out[c] = short[c].to_numpy() if c.endswith(("_id", "_vi", "_en")) else short[c].array
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
    from geodata.tables import IssueLog
    from geodata.workspace import read_scenario, read_workspace
    from relocation.diff import read_run
    from relocation.domain.errors import InputError, InputIssue

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
    return explainer_for(run_problem(data.summary, sc, read_workspace(root)), data.schedule)


def run_problem(summary: Mapping[str, Any], sc: Scenario, ws: Workspace) -> Problem:
    """The problem a run folder's plan solves, from its summary, scenario and workspace.

    A replan's ``summary.json`` names its baseline run, actuals file and ``as_of``: its
    stability terms and statuses are rebuilt too.

    Raises
    ------
    InputError
        A replan whose baseline run or actuals file cannot be read.
    """
    from geodata.adapter import to_problem
    from geodata.workspace import read_actuals
    from relocation.diff import read_run
    from relocation.replan import prepare_replan

    info = summary.get("replan")
    if not info:
        return to_problem(ws, sc)
    if info.get("actuals"):
        ws = read_actuals(ws, Path(info["actuals"]))
    baseline = read_run(Path(info["baseline"])).schedule
    return prepare_replan(ws, sc, baseline, int(info["as_of"])).problem
