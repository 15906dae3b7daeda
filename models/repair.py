"""Repair a plan that misses moves: insertions and one-firm ejections on the admissible moves.

The greedy (:mod:`models.heuristic`) never breaks a ceiling (land, yearly moves and budget,
quota maxima) but can leave a mandatory firm or a quota window's minimum short: it packs
small firms first, and the large firms that remain find no land. The repair takes such a
plan and, for each missing move,

1. *inserts* a firm on its cheapest admissible move that every ceiling still allows, or
2. *ejects* one placed firm from a site to make room, and inserts the ejected firm
   elsewhere (another site, or another year when no window minimum needs it where it was).

Missing mandatory firms come first, then the windows' minimums in year order (an unplaced
firm moved by the window's year, or a placed firm moved earlier), then move-together groups
(a split group is moved whole to one of its years) and the least moves a year (a firm placed
later, or an unplaced one, moved into a year short of its minimum). Every step keeps each
ceiling, so the plan only gains moves; the caller judges the result with
:func:`models.evaluate.evaluate_rows`. Plain numpy on the option table: milliseconds per
missing move at demo scale.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from relocation.domain.problem import Problem

log = logging.getLogger(__name__)

#: Placed firms tried as ejection candidates per (firm, move), smallest first.
EJECT_CANDIDATES = 40


class _State:
    """A plan and its running totals: land by site and year, moves, support, window counts."""

    def __init__(
        self, problem: Problem, rows: np.ndarray, coef: np.ndarray, deadline: float | None
    ) -> None:
        self.deadline = np.inf if deadline is None else deadline
        self.work = 0  # insertion attempts so far
        self.max_work = np.inf
        opts = problem.options
        sc = problem.scenario
        self.problem = problem
        self.firm = opts["firm"].to_numpy()
        self.site = opts["site"].to_numpy()
        self.k = opts["year"].to_numpy() - problem.years[0]
        self.area = opts["area_m2"].to_numpy().astype(float)
        self.support = opts["support_vnd"].to_numpy().astype(float)
        self.coef = np.asarray(coef, dtype=float)
        ny = len(problem.years)
        self.ny = ny
        order = np.argsort(self.firm, kind="stable")
        bounds = np.flatnonzero(np.diff(self.firm[order])) + 1
        self.rows_of: dict[int, np.ndarray] = {
            int(self.firm[c[0]]): c for c in np.split(order, bounds) if len(c)
        }
        # One extra row for conversions in place (reserved site index, no land).
        self.cap = np.vstack([problem.capacity_m2.astype(float), np.zeros((1, ny))])
        self.used = np.zeros_like(self.cap)  # cumulative land by site and year offset
        self.moves = np.zeros(ny)
        self.spent = np.zeros(ny)
        lim = sc.limits
        self.max_moves = np.inf if lim.max_moves_per_year is None else lim.max_moves_per_year
        self.budget = np.inf if lim.budget_vnd_per_year is None else lim.budget_vnd_per_year
        n, before = problem.n_slated, problem.n_moved_before
        self.win_k = np.array([q.by_year - problem.years[0] for q in sc.quota], dtype=np.int64)
        self.win_lo = np.array([q.min_count(n) - before for q in sc.quota], dtype=np.int64)
        self.win_hi = np.array([q.max_count(n) - before for q in sc.quota], dtype=np.int64)
        self.win_count = np.zeros(len(sc.quota), dtype=np.int64)
        self.choice: dict[int, int] = {}
        for r in np.asarray(rows, dtype=np.int64).tolist():
            self.add(r)

    def add(self, r: int) -> None:
        k, s = self.k[r], self.site[r]
        self.used[s, k:] += self.area[r]
        self.moves[k] += 1
        self.spent[k] += self.support[r]
        self.win_count += self.win_k >= k
        self.choice[int(self.firm[r])] = r

    def remove(self, f: int) -> int:
        r = self.choice.pop(f)
        k, s = self.k[r], self.site[r]
        self.used[s, k:] -= self.area[r]
        self.moves[k] -= 1
        self.spent[k] -= self.support[r]
        self.win_count -= self.win_k >= k
        return r

    def latest_year(self, k_from: int) -> int:
        """Latest year offset a firm moved in ``k_from`` may move to without a window losing."""
        tight = (self.win_k >= k_from) & (self.win_count <= self.win_lo)
        return int(self.win_k[tight].min()) if tight.any() else self.ny - 1

    def insertable(self, rows: np.ndarray, k_max: int) -> np.ndarray:
        """Which of ``rows`` could be added now without breaking a ceiling."""
        k, s = self.k[rows], self.site[rows]
        slack = self.cap - self.used
        suffix_min = np.minimum.accumulate(slack[:, ::-1], axis=1)[:, ::-1]
        ok = (k <= k_max) & (suffix_min[s, k] >= self.area[rows])
        ok &= self.moves[k] < self.max_moves
        ok &= self.spent[k] + self.support[rows] <= self.budget
        if len(self.win_k):
            full = self.win_count >= self.win_hi  # a window at its ceiling
            blocked = np.array([(full & (self.win_k >= kk)).any() for kk in range(self.ny)])
            ok &= ~blocked[k]
        return ok

    def insert(self, f: int, k_max: int, exclude_site: int = -1) -> bool:
        """Add firm ``f`` on its cheapest move allowed now (by year offset ``k_max``)."""
        rows = self.rows_of.get(f)
        if rows is None:
            return False
        self.work += 1
        ok = self.insertable(rows, k_max) & (self.site[rows] != exclude_site)
        if not ok.any():
            return False
        cand = rows[ok]
        self.add(int(cand[np.argmin(self.coef[cand])]))
        return True

    def insert_at(self, f: int, k: int) -> bool:
        """Add firm ``f`` on its cheapest move in year offset ``k`` allowed now."""
        rows = self.rows_of.get(f)
        if rows is None:
            return False
        rows = rows[self.k[rows] == k]
        if not len(rows):
            return False
        ok = self.insertable(rows, k)
        if not ok.any():
            return False
        cand = rows[ok]
        self.add(int(cand[np.argmin(self.coef[cand])]))
        return True

    def make_room(self, r: int, k_max: int) -> bool:
        """Add move ``r`` by moving firms off its site (each to another site) until it fits.

        All or nothing: when no set of such moves makes room, the plan is left as it was.
        """
        s, k = int(self.site[r]), int(self.k[r])
        f = int(self.firm[r])
        if self.moves[k] >= self.max_moves or not self._ceilings_allow(r):
            return False
        log: list[tuple[int, int]] = []  # (removed row, added row)
        placed = np.array(list(self.choice.values()), dtype=np.int64)
        at = placed[self.site[placed] == s]
        at = at[np.argsort(-self.area[at], kind="stable")][:EJECT_CANDIDATES]
        for g_row in at.tolist():
            if self.insertable(np.array([r]), k_max)[0] or self.late():
                break
            g = int(self.firm[g_row])
            self.remove(g)
            if self.insert(g, self.latest_year(self.k[g_row]), exclude_site=s):
                log.append((g_row, self.choice[g]))
            else:
                self.add(g_row)
        if self.insertable(np.array([r]), k_max)[0] and f not in self.choice:
            self.add(r)
            return True
        for g_row, new_row in reversed(log):
            self.remove(int(self.firm[new_row]))
            self.add(g_row)
        return False

    def late(self) -> bool:
        """Whether the repair's deadline has passed or its work budget is spent."""
        return self.work > self.max_work or time.monotonic() > self.deadline

    def _ceilings_allow(self, r: int) -> bool:
        """Whether the yearly limits and quota maxima allow move ``r`` (land aside)."""
        k = self.k[r]
        if self.spent[k] + self.support[r] > self.budget:
            return False
        full = self.win_count >= self.win_hi
        return not (full & (self.win_k >= k)).any()

    def place_with_ejection(self, f: int, k_max: int) -> bool:
        """Add ``f`` on the cheapest site where moving other firms elsewhere makes room."""
        rows = self.rows_of.get(f)
        if rows is None:
            return False
        rows = rows[self.k[rows] <= k_max]
        rows = rows[np.argsort(self.coef[rows], kind="stable")]
        tried: set[int] = set()
        for r in rows.tolist():
            s = int(self.site[r])
            if self.late():
                return False
            if s in tried or self.moves[self.k[r]] >= self.max_moves:
                continue
            tried.add(s)
            if self.make_room(r, k_max):
                return True
        return False


def repair_plan(
    problem: Problem,
    rows: np.ndarray,
    coef: np.ndarray | None = None,
    deadline: float | None = None,
    max_work: int | None = None,
) -> np.ndarray:
    """Add the moves a plan misses (mandatory firms, window minimums) without breaking a ceiling.

    Parameters
    ----------
    problem : Problem
    rows : numpy.ndarray
        Chosen rows of ``problem.options`` that keep every ceiling (the greedy's plan).
    coef : numpy.ndarray, optional
        Cost per option row used to choose among allowed moves (default ``weighted_vnd``).
    deadline : float, optional
        ``time.monotonic()`` at which the repair stops and returns what it has.
    max_work : int, optional
        Most insertion attempts (a machine-independent limit, for deterministic runs).

    Returns
    -------
    numpy.ndarray
        The repaired rows, sorted. They may still miss a move when no insertion or single
        ejection finds room; the caller checks.
    """
    coef = problem.options["weighted_vnd"].to_numpy() if coef is None else coef
    st = _State(problem, rows, coef, deadline)
    if max_work is not None:
        st.max_work = max_work
    last = st.ny - 1
    mand = np.flatnonzero(problem.must_move)
    for f in mand.tolist():
        if st.late():
            break
        if f not in st.choice and not st.insert(f, last):
            st.place_with_ejection(f, last)
    planned = np.flatnonzero(problem.planned)
    for w in np.argsort(st.win_k, kind="stable").tolist():
        kw = int(st.win_k[w])
        missing = int(st.win_lo[w] - st.win_count[w])
        if missing <= 0 or st.late():
            continue
        # Unplaced firms first (largest first: small ones fit anywhere), then later movers.
        unplaced = [f for f in planned.tolist() if f not in st.choice and f in st.rows_of]
        unplaced.sort(key=lambda f: -st.area[st.rows_of[f][0]])
        for f in unplaced:
            if missing <= 0 or st.late():
                break
            if st.insert(f, kw) or st.place_with_ejection(f, kw):
                missing -= 1
        later = [f for f, r in st.choice.items() if st.k[r] > kw]
        for f in later:
            if missing <= 0 or st.late():
                break
            r = st.remove(f)
            if st.insert(f, kw):
                missing -= 1
            else:
                st.add(r)
        if missing > 0:
            log.debug("repair: window %d still misses %d moves", kw, missing)
    _repair_groups(problem, st)
    _repair_min_moves(problem, st)
    return np.array(sorted(st.choice.values()), dtype=np.int64)


def _repair_groups(problem: Problem, st: _State) -> None:
    """Move each split move-together group whole to one year (its members' years first)."""
    for members in problem.move_groups().values():
        fs = [int(f) for f in members.tolist()]
        placed = {f: st.choice[f] for f in fs if f in st.choice}
        if not placed:
            continue
        years = {int(st.k[r]) for r in placed.values()}
        if len(placed) == len(fs) and len(years) == 1:
            continue
        for f in placed:
            st.remove(f)
        done = False
        for k in sorted(years) + [k for k in range(st.ny) if k not in years]:
            added: list[int] = []
            for f in sorted(fs, key=lambda g: -st.area[st.rows_of[g][0]] if g in st.rows_of
                            else 0):
                if st.insert_at(f, k):
                    added.append(f)
                else:
                    break
            if len(added) == len(fs):
                done = True
                break
            for f in added:
                st.remove(f)
        if not done:
            for r in placed.values():
                st.add(r)
            log.debug("repair: move group could not be placed in one year")


def _repair_min_moves(problem: Problem, st: _State) -> None:
    """Fill years short of ``limits.min_moves_per_year`` with unplaced, later or earlier firms.

    A firm moved into year k from a year k' keeps k''s minimum, the windows' minimums and
    every ceiling; a mandatory firm never passes its deadline (its moves after it do not
    exist).
    """
    from models.build import min_moves_need

    if not problem.scenario.limits.min_moves_per_year:
        return
    grouped = {int(f) for m in problem.move_groups().values() for f in m.tolist()}
    start = problem.years[0]
    def need() -> dict[int, int]:
        rows = np.array(list(st.choice.values()), dtype=np.int64)
        return min_moves_need(problem, st.firm[rows], st.k[rows] + start)

    for k in range(st.ny):
        needs = need()
        short = needs[start + k] - int(st.moves[k])
        if short <= 0:
            continue
        unplaced = [f for f in np.flatnonzero(problem.planned).tolist()
                    if f not in st.choice and f not in grouped]
        for f in unplaced:
            if short <= 0:
                break
            if st.insert_at(f, k):
                short -= 1
                needs = need()
        later = sorted((f for f, r in st.choice.items() if st.k[r] > k and f not in grouped),
                       key=lambda f: st.area[st.choice[f]])
        for f in later:
            if short <= 0:
                break
            r = st.choice[f]
            kk = int(st.k[r])
            if st.moves[kk] - 1 < needs.get(start + kk, 0):
                continue
            st.remove(f)
            if st.insert_at(f, k):
                short -= 1
                needs = need()
            else:
                st.add(r)
        # Last, firms of the year before whose windows keep their minimum without them: each
        # still fits at its own site, whose land it held from its year on (the years between
        # are none, so no other year's waiting firms change).
        earlier = sorted((f for f, r in st.choice.items() if st.k[r] == k - 1
                          and f not in grouped), key=lambda f: st.area[st.choice[f]])
        for f in earlier:
            if short <= 0:
                break
            r = st.choice[f]
            kk = int(st.k[r])
            if st.moves[kk] - 1 < needs.get(start + kk, 0) or st.latest_year(kk) < k:
                continue
            st.remove(f)
            if st.insert_at(f, k):
                short -= 1
                needs = need()
            else:
                st.add(r)
