"""Explain infeasible scenarios in planner words, with numbers.

First cheap pre-solve checks that quote figures ("40% by 2025 needs 1,160 moves; the
yearly processing capacity allows 2 × 650 = 1,300"); otherwise the solver's conflicting
rules found through named assumptions (:func:`models.conflicts.conflicting_rules`), turned
into sentences here.
"""

from __future__ import annotations

import numpy as np

from relocation.domain.problem import Problem


def _fmt(n: float) -> str:
    return f"{n:,.0f}"


def _ha(m2: float) -> str:
    return f"{m2 / 1e4:,.1f} ha"


def precheck(problem: Problem) -> list[str]:
    """Return reasons the scenario surely has no plan (empty when none is found cheaply)."""
    out: list[str] = []
    firms, opts, sc = problem.firms, problem.options, problem.scenario
    fid = firms["firm_id"].to_numpy()
    years = problem.years
    has_opt = np.zeros(len(firms), dtype=bool)
    has_opt[opts["firm"].unique()] = True
    mand = problem.planned & firms["mandatory"].to_numpy()
    stuck = np.flatnonzero(mand & ~has_opt)
    if len(stuck):
        names = ", ".join(fid[stuck[:5]]) + (" …" if len(stuck) > 5 else "")
        out.append(
            f"{len(stuck):,} mandatory firm(s) have no compatible site with land open by their "
            f"zone's deadline or after they are ready: {names}"
        )
    n, before = problem.n_slated, problem.n_moved_before
    lim = sc.limits
    first_year = opts.groupby("firm")["year"].min()
    for q in sc.quota:
        lo, hi = q.min_count(n), q.max_count(n)
        need = lo - before
        share = f"{q.min_share:.0%} by {q.by_year}"
        k = q.by_year - years[0] + 1
        if before > hi:
            out.append(
                f"{before:,} firms moved before {years[0]} already exceed the ceiling of "
                f"{q.max_share:.0%} by {q.by_year} ({hi:,} firms)"
            )
        due = int((mand & (firms["deadline_year"].to_numpy() <= q.by_year)).sum())
        if before + due > hi:
            out.append(
                f"{due:,} mandatory firms are due by {q.by_year}, but the ceiling of "
                f"{q.max_share:.0%} allows only {hi - before:,} moves by then"
            )
        if need <= 0 or sc.rules.soft_quota:
            continue
        if lim.max_moves_per_year is not None and lim.max_moves_per_year * k < need:
            out.append(
                f"{share} needs {need:,} moves; the yearly processing capacity allows "
                f"{k} × {lim.max_moves_per_year:,} = {k * lim.max_moves_per_year:,}"
            )
        ready = first_year[first_year <= q.by_year]
        if len(ready) < need:
            out.append(
                f"{share} needs {need:,} moves; only {len(ready):,} firms are ready and have "
                f"compatible land open by {q.by_year}"
            )
            continue
        # Land: even the smallest ready firms must fit in the land open by then.
        area = opts[opts["year"] <= q.by_year].groupby("firm")["area_m2"].min()
        smallest = np.sort(area.to_numpy())[:need].sum()
        land = problem.capacity_m2[:, k - 1].clip(min=0).sum()
        if smallest > land:
            out.append(
                f"{share} needs {need:,} moves; the {need:,} smallest ready firms need "
                f"{_ha(smallest)} but only {_ha(land)} of land is open by {q.by_year}"
            )
    return out


def describe_rule(problem: Problem, key: str) -> str:
    """One rule key (``capacity:D_VSIP3:2025``) in planner words with its numbers."""
    kind, *rest = key.split(":")
    sc = problem.scenario
    n = problem.n_slated
    if kind == "quota":
        year, side = int(rest[0]), rest[1]
        q = next(q for q in sc.quota if q.by_year == year)
        if side == "min":
            return (
                f"at least {q.min_share:.0%} of the {n:,} slated firms moved by {year} "
                f"({q.min_count(n):,} firms)"
            )
        return f"at most {q.max_share:.0%} moved by {year} ({q.max_count(n):,} firms)"
    if kind == "capacity":
        site, year = rest[0], int(rest[1])
        j = int(np.flatnonzero(problem.sites["site_id"].to_numpy() == site)[0])
        cap = problem.capacity_m2[j, year - problem.years[0]]
        name = problem.sites.at[j, "name"]
        return f"the land of {name} ({site}) open by {year}: {_ha(max(cap, 0))}"
    if kind == "moves":
        return (
            f"the yearly processing capacity in {rest[0]}: {sc.limits.max_moves_per_year:,} moves"
        )
    if kind == "min_moves":
        return (
            f"at least {sc.limits.min_moves_per_year:,} moves in {rest[0]} while firms wait"
        )
    if kind == "move_group":
        return f"the firms of move group {rest[0]} move together"
    if kind == "clearance":
        return f"park {rest[0]} is empty by {rest[1]}"
    if kind == "budget":
        return f"the support budget in {rest[0]}: {_fmt(sc.limits.budget_vnd_per_year or 0)} VND"
    if kind == "deadline":
        f = int(np.flatnonzero(problem.firms["firm_id"].to_numpy() == rest[0])[0])
        row = problem.firms.iloc[f]
        return (
            f"mandatory firm {row['firm_id']} ({row['name']}) moves by its zone's deadline "
            f"{row['deadline_year']}"
        )
    return key


def summarise_core(problem: Problem, keys: list[str]) -> list[str]:
    """Group a conflicting set of rules into a few sentences."""
    by_kind: dict[str, list[str]] = {}
    for k in keys:
        by_kind.setdefault(k.split(":")[0], []).append(k)
    lines = []
    for kind in ("quota", "moves", "min_moves", "budget", "capacity", "deadline",
                 "move_group", "clearance"):
        ks = sorted(by_kind.get(kind, []))
        if not ks:
            continue
        if kind in ("capacity", "deadline") and len(ks) > 4:
            sample = "; ".join(describe_rule(problem, k) for k in ks[:3])
            lines.append(f"{len(ks)} {kind} rules, e.g. {sample}")
            if kind == "capacity":
                years = sorted({int(k.rsplit(":", 1)[1]) for k in ks})
                total = sum(
                    max(
                        0,
                        problem.capacity_m2[
                            int(
                                np.flatnonzero(
                                    problem.sites["site_id"].to_numpy() == k.split(":")[1]
                                )[0]
                            ),
                            int(k.rsplit(":", 1)[1]) - problem.years[0],
                        ],
                    )
                    for k in ks
                )
                lines[-1] += f" (together {_ha(total)} in {', '.join(map(str, years))})"
        else:
            lines.extend(describe_rule(problem, k) for k in ks)
    return lines
