"""Check a run's schedule.csv against its workspace, independently of the solver.

    python scripts/check_schedule.py WORKSPACE RUN

Re-derives every hard rule from the workspace tables alone (it reads them with the
project's readers, but imports nothing from ``models/`` and none of the planner's rule or
cost code) and checks the schedule: one move per firm and none for firms moved before the
horizon; mandatory firms by their zone's deadline; quota windows; sector and polluting-firm
acceptance; the site's largest-firm limit; readiness; site land by year (phases and history
included); pairs and strict preferences; yearly moves. Prints every broken rule; exit 0 when
none is found, 1 otherwise.
"""

from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path

import pandas as pd

from geodata.workspace import read_workspace
from relocation.domain.scenario import Scenario


def released(
    sites: pd.DataFrame, phases: pd.DataFrame, sc: Scenario, year: int
) -> dict[str, float]:
    """Land released at each site by the end of ``year`` (overrides applied)."""
    out: dict[str, float] = {}
    over = sc.overrides.site_available_from
    for s in sites.itertuples():
        ph = phases[phases["site_id"] == s.site_id]
        if len(ph):
            shift = over[s.site_id] - int(ph["year"].min()) if s.site_id in over else 0
            out[s.site_id] = float(ph.loc[ph["year"] + shift <= year, "released_area_m2"].sum())
        else:
            start = over.get(s.site_id, s.available_from)
            out[s.site_id] = float(s.free_area_m2) if start <= year else 0.0
    return out


def check(workspace: Path, run: Path) -> list[str]:
    """Every rule the schedule breaks, in words."""
    ws = read_workspace(workspace)
    sc_text = (run / "scenario.toml").read_text(encoding="utf-8")
    sc = Scenario.model_validate(tomllib.loads(sc_text))
    sched = pd.read_csv(
        run / "schedule.csv", encoding="utf-8-sig", dtype={"firm_id": str, "site_id": str}
    )
    firms = ws.firms.set_index("firm_id")
    sites = ws.sites.set_index("site_id")
    zones = ws.zones.set_index("zone_id")
    bad: list[str] = []
    years = range(sc.horizon.start, sc.horizon.end + 1)

    # Land needed at the site: the pair's surveyed area, else the firm's (whole m², up).
    pair_area = {}
    if ws.pairs is not None and len(ws.pairs):
        given = ws.pairs[ws.pairs["required_area_m2"].notna()]
        pair_area = {
            (a, b): v
            for a, b, v in zip(
                given["firm_id"], given["site_id"], given["required_area_m2"], strict=True
            )
        }
    sched["need_m2"] = [
        math.ceil(pair_area.get((f, s), firms.at[f, "required_area_m2"]) - 1e-9)
        for f, s in zip(sched["firm_id"], sched["site_id"], strict=True)
    ]
    dup = sched["firm_id"][sched["firm_id"].duplicated()]
    bad += [f"{f} moves twice" for f in dup]
    for r in sched.itertuples():
        f, s = firms.loc[r.firm_id], sites.loc[r.site_id]
        if pd.notna(f.moved_year):
            bad.append(f"{r.firm_id} moved before the horizon and is planned again")
        if not sc.horizon.start <= r.year <= sc.horizon.end:
            bad.append(f"{r.firm_id} moves in {r.year}, outside the horizon")
        accepts = str(s.accepts_sectors).strip()
        if accepts != "*" and f.sector not in {a.strip() for a in accepts.split(";")}:
            bad.append(f"{r.firm_id} ({f.sector}) sent to {r.site_id}, which refuses that sector")
        if f.pollution == "high" and not s.accepts_polluting:
            bad.append(f"{r.firm_id} is polluting; {r.site_id} refuses polluting firms")
        if r.year < f.earliest_year:
            bad.append(f"{r.firm_id} moves in {r.year}, before it is ready ({f.earliest_year})")
        if math.isfinite(s.max_firm_area_m2) and r.need_m2 > s.max_firm_area_m2:
            bad.append(
                f"{r.firm_id} needs {r.need_m2} m²; {r.site_id} takes at most "
                f"{s.max_firm_area_m2:.0f} m²"
            )
        prefs = [p for p in str(f.preferred_site_ids).split(";") if p]
        if sc.rules.preferred_sites == "strict" and prefs and r.site_id not in prefs:
            bad.append(f"{r.firm_id} sent to {r.site_id}, not one of its preferred sites")
    if ws.pairs is not None and len(ws.pairs):
        listed = set(zip(ws.pairs["firm_id"], ws.pairs["site_id"], strict=True))
        with_pairs = set(ws.pairs["firm_id"])
        for r in sched.itertuples():
            if r.firm_id in with_pairs and (r.firm_id, r.site_id) not in listed:
                bad.append(f"{r.firm_id} → {r.site_id} is not a listed pair")

    moved = dict(zip(sched["firm_id"], sched["year"], strict=True))
    deadlines = {
        **zones["deadline_year"].dropna().astype(int).to_dict(),
        **sc.overrides.zone_deadline,
    }
    for fid, f in firms.iterrows():
        if f.mandatory and pd.isna(f.moved_year):
            dl = deadlines.get(f.zone_id, sc.horizon.end)
            if fid not in moved or moved[fid] > dl:
                bad.append(f"mandatory firm {fid} does not move by {dl}")

    n = len(firms)
    before = int(firms["moved_year"].notna().sum())
    for q in sc.quota:
        c = before + sum(1 for y in moved.values() if y <= q.by_year)
        if not sc.rules.soft_quota and c < math.ceil(round(q.min_share * n, 9)):
            bad.append(f"quota {q.by_year}: {c} of {n} moved, below {q.min_share:.0%}")
        if c > math.floor(round(q.max_share * n, 9)):
            bad.append(f"quota {q.by_year}: {c} of {n} moved, above {q.max_share:.0%}")

    history = firms[firms["moved_year"].notna()].groupby("moved_site_id")["required_area_m2"]
    history_m2 = history.apply(lambda a: sum(math.ceil(v - 1e-9) for v in a)).to_dict()
    for y in years:
        rel = released(ws.sites, ws.site_phases, sc, y)
        used = sched[sched["year"] <= y].groupby("site_id")["need_m2"].sum()
        for sid, u in used.items():
            cap = max(0.0, math.floor(rel[sid]) - history_m2.get(sid, 0))
            if u > cap:
                bad.append(f"{sid}: {u:,.0f} m² used by {y}, {cap:,.0f} m² available")
        n_y = int((sched["year"] == y).sum())
        if sc.limits.max_moves_per_year is not None and n_y > sc.limits.max_moves_per_year:
            bad.append(f"{n_y} moves in {y}, limit {sc.limits.max_moves_per_year}")
    return bad


def main(argv: list[str] | None = None) -> int:
    """Command line: WORKSPACE RUN."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__)
        return 2
    bad = check(Path(args[0]), Path(args[1]))
    for line in bad:
        print(line)
    print(f"{len(bad)} broken rule(s)" if bad else "no broken rule")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
