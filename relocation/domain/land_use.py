"""Freed-land classification: what each relocated firm's parcel becomes (issue 4).

Domain side only: the distances and areas were measured by ``geodata.parcels.freed_parcels``;
here they are plain numbers. Any ``geometry`` column is carried through untouched.

Rules, in order (the first that applies chooses the class and is recorded in ``reason``):

1. **Available year.** A parcel is freed in its firm's move year; a polluting parcel
   (``pollution == "high"``) only after ``remediation_years`` more years.
2. **TOD rings** (brief §5.3). Centroid within ``tod_core_m`` of a planned station (any
   opening year): ``tod_core``; within ``tod_transition_m``: ``tod_transition``.
3. **Social housing.** A parcel is *eligible* when its area is at least
   ``social_housing_min_m2``, it is usable by the horizon's end (not awaiting
   remediation then), and its centroid is within ``social_housing_max_km_to_jobs`` of
   remaining jobs. In a zone with a target (``social_housing_target_ha``), the CP-SAT model
   in :mod:`models.housing` chooses among the eligible parcels — TOD ones included — so that
   the target is met (or the shortfall minimised) while giving up the least valuable land:
   a m² of TOD core weighs 4, of transition ring 2, of other land 1. In a zone without a
   target, every eligible parcel outside the TOD rings becomes social housing by rule.
4. **Green and public space.** A parcel still awaiting remediation at the horizon's end
   (it cannot be built on within the plan: an interim green buffer), or a small one
   (``≤ green_max_m2``, too small to develop on its own).
5. Otherwise **commerce and services** (the programme's "services and commerce" aim).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.errors import InputError, InputIssue
from relocation.domain.scenario import FreedLand

logger = logging.getLogger(__name__)

#: The social-housing allocation the classification calls where zones have targets:
#: ``allocate(areas_m2, zones, values, targets_m2, time_limit_s=...)`` returns an object with
#: ``chosen`` (one bool per parcel) and ``shortfall_m2`` (zone -> m²). The domain states the
#: rule; the solver that picks the parcels (:func:`models.housing.allocate_social_housing`)
#: is handed in by the application, so this module never loads a solver.
Allocator = Callable[..., Any]

#: Land classes, in legend order: id → (Vietnamese label, English label).
LAND_CLASSES: Mapping[str, tuple[str, str]] = {
    "tod_core": ("Lõi TOD (gần ga)", "TOD core (near a station)"),
    "tod_transition": ("Vùng chuyển tiếp TOD", "TOD transition ring"),
    "social_housing": ("Nhà ở xã hội", "Social housing"),
    "commerce_services": ("Thương mại – dịch vụ", "Commerce and services"),
    "green_public": ("Cây xanh – công cộng", "Green and public space"),
}

#: Value of a m² kept in its default class, used when social housing takes it.
CLASS_VALUE = {
    "tod_core": 4,
    "tod_transition": 2,
    "commerce_services": 1,
    "green_public": 1,
}

#: Columns ``classify_freed_land`` needs (``geodata.parcels.freed_parcels`` provides them).
REQUIRED_COLUMNS = (
    "firm_id",
    "zone_id",
    "pollution",
    "move_year",
    "area_m2",
    "station_id",
    "station_name",
    "station_line",
    "station_opening_year",
    "station_distance_m",
    "jobs_distance_km",
)


@dataclass(frozen=True)
class FreedLandSummary:
    """Aggregates of classified freed land.

    Attributes
    ----------
    by_zone_year : pandas.DataFrame
        One row per (zone_id, year): ``freed_ha`` (parcels vacated by the end of the
        year), ``awaiting_remediation_ha`` (vacated but not yet usable), one ``<class>_ha``
        column per land class (usable by the end of the year, cumulative), ``usable_ha``
        and ``social_housing_units`` (int, ``social_housing_ha × units_per_ha`` rounded,
        an estimate).
    by_station : pandas.DataFrame
        One row per station with freed land in its rings: ``station_id``,
        ``station_name``, ``station_line``, ``station_opening_year``, ``tod_core_ha``,
        ``tod_transition_ha`` (land whose centroid lies in the ring, whatever its class),
        ``parcels`` (int).
    targets : pandas.DataFrame
        One row per zone with a social-housing target: ``zone_id``, ``target_ha``,
        ``allocated_ha``, ``shortfall_ha``, ``social_housing_units``.
    """

    by_zone_year: pd.DataFrame
    by_station: pd.DataFrame
    targets: pd.DataFrame


def _fmt_m(d: float) -> str:
    return f"{d:,.0f} m"


def _station_phrase(row: pd.Series) -> str:
    return (
        f"{row['station_name']} ({row['station_line']}, opens {int(row['station_opening_year'])})"
    )


def _station_phrase_vi(row: pd.Series) -> str:
    return (
        f"{row['station_name']} ({row['station_line']}, "
        f"khai thác {int(row['station_opening_year'])})"
    )


def _validate(parcels: pd.DataFrame, years: tuple[int, ...]) -> None:
    issues: list[InputIssue] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in parcels.columns]
    for col in missing:
        issues.append(InputIssue("parcels", None, col, None, "required column is missing"))
    if not years:
        issues.append(InputIssue("parcels", None, "years", None, "no planning years given"))
    if missing or not years:
        raise InputError(issues, "the freed parcels are not valid")
    for pos, (_, row) in enumerate(parcels.iterrows()):
        where = f"firm {row['firm_id']}"
        if row["pollution"] not in ("high", "medium", "low"):
            issues.append(
                InputIssue(
                    "parcels",
                    pos + 2,
                    "pollution",
                    str(row["pollution"]),
                    f"{where}: pollution must be high, medium or low",
                )
            )
        for col in ("area_m2", "station_distance_m", "jobs_distance_km"):
            val = row[col]
            # Distances may be infinite (no station, no remaining jobs); areas may not.
            bad = pd.isna(val) or float(val) < 0
            if col == "area_m2" and not bad:
                bad = not np.isfinite(float(val))
            if bad:
                issues.append(
                    InputIssue(
                        "parcels",
                        pos + 2,
                        col,
                        str(val),
                        f"{where}: must be a number ≥ 0",
                    )
                )
        if pd.isna(row["move_year"]) or float(row["move_year"]) != int(row["move_year"]):
            issues.append(
                InputIssue(
                    "parcels",
                    pos + 2,
                    "move_year",
                    str(row["move_year"]),
                    f"{where}: must be a whole year",
                )
            )
    if parcels["firm_id"].duplicated().any():
        dup = parcels.loc[parcels["firm_id"].duplicated(), "firm_id"].iloc[0]
        issues.append(
            InputIssue("parcels", None, "firm_id", str(dup), "a firm frees at most one parcel")
        )
    if issues:
        raise InputError(issues, "the freed parcels are not valid")


def classify_freed_land(
    parcels: pd.DataFrame,
    config: FreedLand,
    years: tuple[int, ...],
    *,
    allocate: Allocator | None = None,
    time_limit_s: float = 10.0,
) -> pd.DataFrame:
    """Classify each freed parcel and record why.

    Parameters
    ----------
    parcels : pandas.DataFrame
        One row per relocated firm's parcel, as ``geodata.parcels.freed_parcels`` returns it
        (a GeoDataFrame is fine: its geometry is kept). Needs ``REQUIRED_COLUMNS``.
    config : relocation.domain.scenario.FreedLand
        Thresholds, remediation delay and social-housing targets (ha per zone_id).
    years : tuple of int
        Planning years; the last is the horizon's end.
    allocate : callable, optional
        The social-housing allocation (see ``Allocator``); required when a zone has a
        social-housing target.
    time_limit_s : float
        Time limit of the social-housing allocation (it is small; this is a safeguard).

    Returns
    -------
    pandas.DataFrame
        A copy of ``parcels`` (same index and type) with: ``available_year`` (int),
        ``awaiting_remediation`` (bool, still unusable at the horizon's end),
        ``tod_ring`` (``"core"``, ``"transition"`` or ``""``), ``sh_eligible`` (bool),
        ``land_class`` (a key of ``LAND_CLASSES``), ``reason`` and ``reason_vi`` (the rule
        that chose the class, in English and Vietnamese).

    Raises
    ------
    relocation.domain.errors.InputError
        If a required column is missing or a value is out of range.
    """
    _validate(parcels, years)
    end = max(years)
    out = parcels.copy()
    out["move_year"] = out["move_year"].astype("int64")
    delay = np.where(out["pollution"].to_numpy() == "high", config.remediation_years, 0)
    out["available_year"] = (out["move_year"].to_numpy() + delay).astype("int64")
    out["awaiting_remediation"] = out["available_year"] > end

    dist = out["station_distance_m"].astype(float).to_numpy()
    ring = np.where(
        dist <= config.tod_core_m,
        "core",
        np.where(dist <= config.tod_transition_m, "transition", ""),
    )
    out["tod_ring"] = ring
    area = out["area_m2"].astype(float).to_numpy()
    jobs = out["jobs_distance_km"].astype(float).to_numpy()
    eligible = (
        (area >= config.social_housing_min_m2)
        & (~out["awaiting_remediation"].to_numpy())
        & (jobs <= config.social_housing_max_km_to_jobs)
    )
    out["sh_eligible"] = eligible

    classes: list[str] = []
    reasons: list[str] = []
    reasons_vi: list[str] = []
    for (_, row), r in zip(out.iterrows(), ring, strict=True):
        cls, en, vi = _default_class(row, r, config, end)
        classes.append(cls)
        reasons.append(en)
        reasons_vi.append(vi)
    out["land_class"] = classes
    out["reason"] = reasons
    out["reason_vi"] = reasons_vi

    targets = {str(z): float(ha) for z, ha in config.social_housing_target_ha.items()}
    zone = out["zone_id"].astype(str).to_numpy()
    targeted = np.isin(zone, list(targets))
    sh_facts = [_sh_facts(row, config) for _, row in out.iterrows()]

    # Untargeted zones: the rule alone (TOD rings keep their station use).
    by_rule = eligible & ~targeted & (ring == "")
    for i in np.flatnonzero(by_rule):
        en, vi = sh_facts[i]
        out.iloc[i, out.columns.get_loc("land_class")] = "social_housing"
        out.iloc[i, out.columns.get_loc("reason")] = f"{en} (zone without a target: rule)"
        out.iloc[i, out.columns.get_loc("reason_vi")] = (
            f"{vi} (khu vực không có chỉ tiêu: theo quy tắc)"
        )

    # Targeted zones: the allocation model picks among eligible parcels, TOD ones included.
    cand = np.flatnonzero(eligible & targeted)
    if targets and len(cand):
        if allocate is None:
            raise ValueError("zones have social-housing targets: pass an allocation (allocate=)")
        values = [math.ceil(area[i]) * CLASS_VALUE[str(out["land_class"].iloc[i])] for i in cand]
        result = allocate(
            [math.ceil(area[i]) for i in cand],
            [zone[i] for i in cand],
            values,
            {z: math.ceil(ha * 10_000) for z, ha in targets.items()},
            time_limit_s=time_limit_s,
        )
        for k, i in enumerate(cand):
            z = zone[i]
            en, vi = sh_facts[i]
            if result.chosen[k]:
                out.iloc[i, out.columns.get_loc("land_class")] = "social_housing"
                out.iloc[i, out.columns.get_loc("reason")] = (
                    f"{en}; chosen to meet {z}'s target of {targets[z]:g} ha"
                )
                out.iloc[i, out.columns.get_loc("reason_vi")] = (
                    f"{vi}; được chọn để đạt chỉ tiêu {targets[z]:g} ha của {z}"
                )
            else:
                col = out.columns.get_loc("reason")
                out.iloc[i, col] = f"{out.iloc[i, col]} (not needed for {z}'s housing target)"
                col = out.columns.get_loc("reason_vi")
                out.iloc[i, col] = f"{out.iloc[i, col]} (không cần cho chỉ tiêu NOXH của {z})"
        logger.info("social-housing shortfall by zone (m²): %s", dict(result.shortfall_m2))
    return out


def _default_class(row: pd.Series, ring: str, config: FreedLand, end: int) -> tuple[str, str, str]:
    """The class a parcel gets when social housing does not take it, with its reasons."""
    d = float(row["station_distance_m"])
    if ring == "core":
        return (
            "tod_core",
            f"{_fmt_m(d)} from {_station_phrase(row)} ≤ {_fmt_m(config.tod_core_m)}",
            f"cách {_station_phrase_vi(row)} {_fmt_m(d)} ≤ {_fmt_m(config.tod_core_m)}",
        )
    if ring == "transition":
        return (
            "tod_transition",
            f"{_fmt_m(d)} from {_station_phrase(row)}: between "
            f"{_fmt_m(config.tod_core_m)} and {_fmt_m(config.tod_transition_m)}",
            f"cách {_station_phrase_vi(row)} {_fmt_m(d)}: trong khoảng "
            f"{_fmt_m(config.tod_core_m)}–{_fmt_m(config.tod_transition_m)}",
        )
    avail = int(row["available_year"])
    if avail > end:
        return (
            "green_public",
            f"polluting: awaits remediation until {avail}, after the horizon's end {end}",
            f"gây ô nhiễm: chờ xử lý môi trường đến {avail}, sau năm cuối kế hoạch {end}",
        )
    a = float(row["area_m2"])
    if a <= config.green_max_m2:
        return (
            "green_public",
            f"small parcel: {a:,.0f} m² ≤ {config.green_max_m2:,.0f} m²",
            f"thửa nhỏ: {a:,.0f} m² ≤ {config.green_max_m2:,.0f} m²",
        )
    return (
        "commerce_services",
        f"{d:,.0f} m from the nearest station (> {_fmt_m(config.tod_transition_m)}); {a:,.0f} m²",
        f"cách ga gần nhất {d:,.0f} m (> {_fmt_m(config.tod_transition_m)}); {a:,.0f} m²",
    )


def _sh_facts(row: pd.Series, config: FreedLand) -> tuple[str, str]:
    a = float(row["area_m2"])
    km = float(row["jobs_distance_km"])
    y = int(row["available_year"])
    lim = config.social_housing_max_km_to_jobs
    return (
        f"{a:,.0f} m² ≥ {config.social_housing_min_m2:,.0f} m², {km:.1f} km to jobs "
        f"≤ {lim:g} km, usable from {y}",
        f"{a:,.0f} m² ≥ {config.social_housing_min_m2:,.0f} m², cách việc làm {km:.1f} km "
        f"≤ {lim:g} km, sử dụng từ {y}",
    )


def summarise_freed_land(
    classified: pd.DataFrame, config: FreedLand, years: tuple[int, ...]
) -> FreedLandSummary:
    """Aggregate classified parcels by zone and year, by station and by target.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`classify_freed_land`.
    config : relocation.domain.scenario.FreedLand
        Gives ``social_housing_units_per_ha`` and the targets.
    years : tuple of int
        Planning years (one row per zone and year).

    Returns
    -------
    FreedLandSummary
        Hectares per class and zone, cumulative by year; TOD-ring land per station;
        social-housing targets against allocated land.
    """
    df = pd.DataFrame(classified.drop(columns="geometry", errors="ignore"))
    df["ha"] = df["area_m2"].astype(float) / 10_000
    zones = sorted(set(df["zone_id"].astype(str)) | set(config.social_housing_target_ha))
    rows = []
    for z in zones:
        dz = df[df["zone_id"].astype(str) == z]
        for y in years:
            freed = dz[dz["move_year"] <= y]
            usable = freed[freed["available_year"] <= y]
            row: dict[str, object] = {
                "zone_id": z,
                "year": int(y),
                "freed_ha": float(freed["ha"].sum()),
                "awaiting_remediation_ha": float(freed["ha"].sum() - usable["ha"].sum()),
            }
            for cls in LAND_CLASSES:
                row[f"{cls}_ha"] = float(usable.loc[usable["land_class"] == cls, "ha"].sum())
            row["usable_ha"] = float(usable["ha"].sum())
            sh_ha = float(usable.loc[usable["land_class"] == "social_housing", "ha"].sum())
            row["social_housing_units"] = round(sh_ha * config.social_housing_units_per_ha)
            rows.append(row)
    by_zone_year = pd.DataFrame(rows)

    ring = df[df["tod_ring"] != ""]
    keys = ["station_id", "station_name", "station_line", "station_opening_year"]
    st_rows = []
    for key, g in ring.groupby(keys, sort=True):
        st_rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "tod_core_ha": float(g.loc[g["tod_ring"] == "core", "ha"].sum()),
                "tod_transition_ha": float(g.loc[g["tod_ring"] == "transition", "ha"].sum()),
                "parcels": len(g),
            }
        )
    by_station = pd.DataFrame(
        st_rows, columns=[*keys, "tod_core_ha", "tod_transition_ha", "parcels"]
    )

    t_rows = []
    for z, target in sorted(config.social_housing_target_ha.items()):
        sel = (df["zone_id"].astype(str) == z) & (df["land_class"] == "social_housing")
        # Whole m² rounded up, as the allocation model counts them.
        got = float(np.ceil(df.loc[sel, "area_m2"].astype(float)).sum()) / 10_000
        t_rows.append(
            {
                "zone_id": z,
                "target_ha": float(target),
                "allocated_ha": got,
                "shortfall_ha": max(0.0, float(target) - got),
                "social_housing_units": round(got * config.social_housing_units_per_ha),
            }
        )
    targets = pd.DataFrame(
        t_rows,
        columns=["zone_id", "target_ha", "allocated_ha", "shortfall_ha", "social_housing_units"],
    )
    return FreedLandSummary(by_zone_year=by_zone_year, by_station=by_station, targets=targets)
