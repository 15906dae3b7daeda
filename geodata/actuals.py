"""The annual review's tables: ``actuals`` (what happened) and ``decisions`` (what planners impose).

``actuals``: ``firm_id, status, site_id, year, note``: one row per firm at most; ``status``
is one of :data:`relocation.domain.status.ACTUAL_STATUSES` (their quota rules are in
:mod:`relocation.domain.status`). ``decisions``: ``firm_id, site_id (or *), year (or *),
rule (lock / forbid), note``. Both are validated like every table: each bad row is named
by file, row, column and value, and every problem is reported together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata import columns as C
from geodata.tables import IssueLog, RawTable
from relocation.domain.assemble import released_by_year
from relocation.domain.issue_text import issue_text
from relocation.domain.scenario import Scenario
from relocation.domain.status import ACTUAL_STATUSES, STATUS_RULES, FirmStatus

ACTUALS_COLUMNS = ("firm_id", "status", "site_id", "year", "note")
DECISIONS_COLUMNS = ("firm_id", "site_id", "year", "rule", "note")
DECISION_RULES = ("lock", "forbid")
ANY = "*"


def empty_actuals() -> pd.DataFrame:
    """An ``actuals`` table without rows (the documented dtypes)."""
    return pd.DataFrame({
        "firm_id": pd.Series([], dtype=str), "status": pd.Series([], dtype=str),
        "site_id": pd.Series([], dtype=str), "year": pd.Series([], dtype="int64"),
        "note": pd.Series([], dtype=str), "row": pd.Series([], dtype="int64"),
    })


def empty_decisions() -> pd.DataFrame:
    """A ``decisions`` table without rows (the documented dtypes)."""
    return pd.DataFrame({
        "firm_id": pd.Series([], dtype=str), "site_id": pd.Series([], dtype=str),
        "year": pd.Series([], dtype="Int64"), "rule": pd.Series([], dtype=str),
        "note": pd.Series([], dtype=str), "row": pd.Series([], dtype="int64"),
    })


def normalise_actuals(raw: RawTable | None, log: IssueLog) -> pd.DataFrame:
    """``actuals``: firm_id, status, site_id ("" if blank), year (Int64), note, row."""
    if raw is None:
        return empty_actuals()
    C.has_columns(raw, log, ("firm_id", "status", "year"))
    out = pd.DataFrame({
        "firm_id": C.text(raw, log, "firm_id"),
        "status": C.choice(raw, log, "status", ACTUAL_STATUSES),
        "site_id": C.text(raw, log, "site_id", required=False),
        "year": C.integer(raw, log, "year", what="a whole year"),
        "note": C.text(raw, log, "note", required=False),
        "row": pd.Series(raw.rows, dtype="int64"),
    })
    C.unique_ids(raw, log, "firm_id", out["firm_id"])
    for pos, (status, site) in enumerate(zip(out["status"], out["site_id"], strict=True)):
        if not status:
            continue
        rule = STATUS_RULES[FirmStatus(status)]
        if rule.needs_site and not site:
            log.error(raw.label, issue_text("needs_site", status=status), row=int(raw.rows[pos]),
                      column="site_id", value="")
        elif not rule.needs_site and site:
            log.error(raw.label, issue_text("takes_no_site", status=status),
                      row=int(raw.rows[pos]), column="site_id", value=site)
    return out


def normalise_decisions(raw: RawTable | None, log: IssueLog) -> pd.DataFrame:
    """``decisions``: firm_id, site_id ("*" = any), year (Int64, NA = any), rule, note, row."""
    if raw is None:
        return empty_decisions()
    C.has_columns(raw, log, ("firm_id", "site_id", "year", "rule"))
    site = C.text(raw, log, "site_id")
    year_cells = raw.data["year"] if "year" in raw.data.columns else pd.Series([""] * len(raw))
    any_year = year_cells.reset_index(drop=True) == ANY
    raw_years = RawTable(raw.source, raw.data.assign(year=year_cells.where(~any_year.values, "")),
                         raw.rows)
    year = C.integer(raw_years, log, "year", required=False, what="a whole year or *")
    blank = (year_cells.reset_index(drop=True) == "").to_numpy()
    for pos in np.flatnonzero(blank & ("year" in raw.data.columns)):
        log.error(raw.label, issue_text("year_or_star"), row=int(raw.rows[pos]), column="year",
                  value="")
    out = pd.DataFrame({
        "firm_id": C.text(raw, log, "firm_id"),
        "site_id": site,
        "year": year,
        "rule": C.choice(raw, log, "rule", DECISION_RULES),
        "note": C.text(raw, log, "note", required=False),
        "row": pd.Series(raw.rows, dtype="int64"),
    })
    both_any = (out["site_id"] == ANY) & any_year.to_numpy()
    for pos in np.flatnonzero(both_any.to_numpy()):
        log.error(raw.label, issue_text("both_star"),
                  row=int(raw.rows[pos]), column="site_id, year", value="*, *")
    return out


def check_actuals(
    raw: RawTable | None,
    log: IssueLog,
    actuals: pd.DataFrame,
    firms: pd.DataFrame,
    sites: pd.DataFrame,
    phases: pd.DataFrame,
    scenario: Scenario,
) -> None:
    """References, sector acceptance, years and land of the ``actuals`` rows."""
    if raw is None or actuals.empty:
        return
    label = raw.label
    C.references(raw, log, "firm_id", actuals["firm_id"], firms["firm_id"], "firm")
    C.references(raw, log, "site_id", actuals["site_id"], sites["site_id"], "site")
    fpos = {f: i for i, f in enumerate(firms["firm_id"])}
    spos = {s: j for j, s in enumerate(sites["site_id"])}
    h = scenario.horizon
    for a in actuals.itertuples(index=False):
        i = fpos.get(a.firm_id)
        if i is not None and pd.notna(firms["moved_year"].iloc[i]):
            log.error(label, issue_text("already_moved", year=firms["moved_year"].iloc[i]),
                      row=a.row, column="firm_id",
                      value=a.firm_id)
        if pd.isna(a.year) or not a.status:
            continue
        if a.year > h.end:
            log.error(label, issue_text("after_end", end=h.end), row=a.row,
                      column="year", value=a.year)
        if a.status == FirmStatus.COMMITTED and a.year < h.start:
            log.error(label, issue_text("committed_in_horizon", start=h.start, end=h.end),
                      row=a.row, column="year", value=a.year)
        j = spos.get(a.site_id)
        if i is None or j is None:
            continue
        why = site_refuses(firms.iloc[i], sites.iloc[j])
        if why:
            log.error(label, why, row=a.row, column="site_id", value=a.site_id)
    _check_land(raw, log, actuals, firms, sites, phases, scenario)


def site_refuses(firm: pd.Series, site: pd.Series) -> str:
    """The sector or size rule by which ``site`` refuses ``firm`` ("" if none)."""
    accepts = str(site["accepts_sectors"]).strip()
    if accepts != ANY and firm["sector"] not in C.split_list(accepts):
        return issue_text("site_refuses_sector", site=site["site_id"], sector=firm["sector"])
    if firm["pollution"] == "high" and not bool(site["accepts_polluting"]):
        return issue_text("site_refuses_polluting", site=site["site_id"], firm=firm["firm_id"])
    limit = float(site["max_firm_area_m2"]) if pd.notna(site["max_firm_area_m2"]) else np.inf
    if float(firm["required_area_m2"]) > limit:
        return issue_text("site_too_small", firm=firm["firm_id"],
                          m2=float(firm["required_area_m2"]), site=site["site_id"], limit=limit)
    return ""


def _check_land(
    raw: RawTable, log: IssueLog, actuals: pd.DataFrame, firms: pd.DataFrame,
    sites: pd.DataFrame, phases: pd.DataFrame, scenario: Scenario,
) -> None:
    """Moved and committed firms must fit the land released at their site by their year."""
    rows = actuals[actuals["status"].isin([FirmStatus.MOVED, FirmStatus.COMMITTED])
                   & actuals["firm_id"].isin(set(firms["firm_id"]))
                   & actuals["site_id"].isin(set(sites["site_id"]))
                   & actuals["year"].notna()]
    if rows.empty:
        return
    h = scenario.horizon
    lo = min(h.start, int(rows["year"].min()))
    sc = scenario.model_copy(update={"horizon": h.model_copy(update={"start": lo})})
    released = released_by_year(sites, phases, sc)
    years = np.arange(lo, h.end + 1)
    area = dict(zip(firms["firm_id"], firms["required_area_m2"], strict=True))
    spos = {s: j for j, s in enumerate(sites["site_id"])}
    for site_id, grp in rows.groupby("site_id"):
        j = spos[site_id]
        used = np.zeros(len(years))
        for a in grp.itertuples(index=False):
            used[years >= a.year] += float(area[a.firm_id])
        over = np.flatnonzero(used > released[j] + 0.5)
        if len(over):
            k = int(over[0])
            last = grp.sort_values("year").iloc[-1]
            log.error(raw.label, issue_text("site_over_full", site=site_id, year=years[k],
                                            used=used[k], released=released[j, k]),
                      row=int(last["row"]), column="site_id", value=site_id)


def check_decisions(
    raw: RawTable | None,
    log: IssueLog,
    decisions: pd.DataFrame,
    actuals: pd.DataFrame,
    firms: pd.DataFrame,
    sites: pd.DataFrame,
    scenario: Scenario,
) -> None:
    """References, sector rules of locks, and locks that contradict each other or actuals."""
    if raw is None or decisions.empty:
        return
    label = raw.label
    C.references(raw, log, "firm_id", decisions["firm_id"], firms["firm_id"], "firm")
    named = decisions["site_id"].where(decisions["site_id"] != ANY, "")
    C.references(raw, log, "site_id", named, sites["site_id"], "site")
    fpos = {f: i for i, f in enumerate(firms["firm_id"])}
    spos = {s: j for j, s in enumerate(sites["site_id"])}
    h = scenario.horizon
    fixed = {a.firm_id: a for a in actuals.itertuples(index=False)}
    seen: dict[str, tuple[int, str, object]] = {}
    for d in decisions.itertuples(index=False):
        if pd.notna(d.year) and not h.start <= d.year <= h.end:
            log.error(label, f"the year is outside the horizon {h.start}–{h.end}", row=d.row,
                      column="year", value=d.year)
        i, j = fpos.get(d.firm_id), spos.get(d.site_id)
        if i is None or d.rule != "lock":
            continue
        if j is not None:
            why = site_refuses(firms.iloc[i], sites.iloc[j])
            if why:
                log.error(label, f"the lock contradicts a site rule: {why}", row=d.row,
                          column="site_id", value=d.site_id)
        a = fixed.get(d.firm_id)
        if a is not None and a.status != FirmStatus.COMMITTED:
            log.error(label, f"the firm is '{a.status}' in the actuals (row {a.row}): it "
                      "cannot be locked", row=d.row, column="firm_id", value=d.firm_id)
        elif a is not None and ((d.site_id != ANY and d.site_id != a.site_id)
                                or (pd.notna(d.year) and d.year != a.year)):
            log.error(label, f"the lock contradicts the committed move to {a.site_id} in "
                      f"{a.year} (actuals row {a.row})", row=d.row, column="firm_id",
                      value=d.firm_id)
        prev = seen.get(d.firm_id)
        if prev is not None:
            log.error(label, f"a second lock for the firm (row {prev[0]}): keep one",
                      row=d.row, column="firm_id", value=d.firm_id)
        seen[d.firm_id] = (d.row, d.site_id, d.year)
