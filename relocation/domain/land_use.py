"""Freed-land classification: what each relocated firm's parcel becomes (issue 4).

Domain side only: the distances and areas were measured by ``geodata.parcels.freed_parcels``;
here they are plain numbers. Any ``geometry`` column is carried through untouched.

Rules, in order (the first that applies chooses the class and is recorded in ``reason``):

1. **Available year.** A parcel is freed in its firm's move year; a polluting parcel
   (``pollution == "high"``) only after ``remediation_years`` more years.
2. **TOD rings** (brief §5.3). Centroid within ``tod_core_m`` of a planned station (any
   opening year) of a line that gets TOD rings (``tod_station_mask``: metro lines by
   default): ``tod_core``; within ``tod_transition_m``: ``tod_transition``.
3. **Social housing.** A parcel is *eligible* when its area is at least
   ``social_housing_min_m2``, it is usable by the horizon's end (not awaiting
   remediation then), and its centroid is within ``social_housing_max_km_to_jobs`` of
   employment that remains in the year it becomes usable (``jobs_distance_km``). Targets
   (``FreedLand.target_windows``) are cumulative by zone and year; they are met year by
   year, earliest first: for the targets due by year Y the CP-SAT model in
   :mod:`models.housing` chooses among the eligible parcels usable by Y and not yet chosen
   — TOD ones included — so that each zone's remaining need is met (or the shortfall
   minimised) while giving up the least valuable land (``CLASS_VALUE``). In a zone without
   any target, every eligible parcel outside the TOD rings becomes social housing by rule.
   Each social-housing parcel holds ``round(ha × density of its zone)`` units.
4. **Green and public space.** A parcel still awaiting remediation at the horizon's end
   (it cannot be built on within the plan: an interim green buffer), or a small one
   (``≤ green_max_m2``, too small to develop on its own).
5. Otherwise **commerce and services** (the programme's "services and commerce" aim).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.errors import InputError, InputIssue
from relocation.domain.scenario import FreedLand, SocialHousingTarget

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

#: Line kind of a station whose ``line_kind`` is missing or blank (README, ``stations``).
DEFAULT_LINE_KIND = "metro"

#: Relative value of a m² kept in its default class, used when social housing takes it
#: (assumption, geodata/demo/README.md: a TOD core m² is worth twice a transition-ring m²,
#: which is worth twice ordinary land; only the order matters to the allocation).
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


def available_years(pollution: pd.Series, move_year: pd.Series, config: FreedLand) -> np.ndarray:
    """Year each parcel becomes usable: its move year, plus the remediation delay if polluting."""
    delay = np.where(pollution.astype(str).to_numpy() == "high", config.remediation_years, 0)
    return (move_year.astype("int64").to_numpy() + delay).astype("int64")


def station_line_kinds(stations: pd.DataFrame) -> np.ndarray:
    """Each station's line kind: its ``line_kind``, ``DEFAULT_LINE_KIND`` where blank."""
    if "line_kind" not in stations.columns:
        return np.full(len(stations), DEFAULT_LINE_KIND, dtype=object)
    kinds = stations["line_kind"].astype(object).where(stations["line_kind"].notna(), "")
    kinds = kinds.astype(str).str.strip()
    return np.where(kinds == "", DEFAULT_LINE_KIND, kinds).astype(object)


def tod_station_mask(stations: pd.DataFrame, config: FreedLand) -> np.ndarray:
    """Mark the stations that get TOD rings.

    A station gets rings when its line kind is in ``config.tod_line_kinds`` or its line is
    named in ``config.tod_lines``.
    """
    kinds = station_line_kinds(stations)
    lines = stations["line"].astype(str).to_numpy() if len(stations) else np.array([])
    return np.isin(kinds, list(config.tod_line_kinds)) | np.isin(lines, list(config.tod_lines))


def _fmt_m(d: float) -> str:
    return f"{d:,.0f} m"


def _station_phrase(row: Mapping[str, Any]) -> str:
    return (
        f"{row['station_name']} ({row['station_line']}, opens {int(row['station_opening_year'])})"
    )


def _station_phrase_vi(row: Mapping[str, Any]) -> str:
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
    # Vectorised checks; only the rows that fail are looked at one by one.
    firm = parcels["firm_id"].astype(str).to_numpy()
    pollution = parcels["pollution"].to_numpy()
    bad_pollution = ~np.isin(pollution, ("high", "medium", "low"))
    numeric = {
        col: pd.to_numeric(parcels[col], errors="coerce").to_numpy(dtype=float)
        for col in ("area_m2", "station_distance_m", "jobs_distance_km")
    }
    # Distances may be infinite (no station, no remaining jobs); areas may not.
    bad_number = {
        col: np.isnan(v) | (v < 0) | (~np.isfinite(v) if col == "area_m2" else False)
        for col, v in numeric.items()
    }
    year = pd.to_numeric(parcels["move_year"], errors="coerce").to_numpy(dtype=float)
    bad_year = np.isnan(year) | (np.floor(np.nan_to_num(year)) != np.nan_to_num(year))
    any_bad = bad_pollution | bad_year
    for v in bad_number.values():
        any_bad = any_bad | v
    for pos in np.flatnonzero(any_bad).tolist():
        where = f"firm {firm[pos]}"
        if bad_pollution[pos]:
            issues.append(InputIssue("parcels", pos + 2, "pollution", str(pollution[pos]),
                                     f"{where}: pollution must be high, medium or low"))
        for col, bad in bad_number.items():
            if bad[pos]:
                issues.append(InputIssue("parcels", pos + 2, col,
                                         str(parcels[col].iloc[pos]),
                                         f"{where}: must be a number ≥ 0"))
        if bad_year[pos]:
            issues.append(InputIssue("parcels", pos + 2, "move_year",
                                     str(parcels["move_year"].iloc[pos]),
                                     f"{where}: must be a whole year"))
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
        that chose the class, in English and Vietnamese), ``sh_target`` (the year of the
        target whose allocation chose the parcel for social housing, ``"rule"`` in a zone
        without targets, else ``""``) and ``social_housing_units`` (int; 0 unless social
        housing). :func:`relocation.domain.land_ledger.build_ledger` makes it the ledger.
        ``attrs["warnings"]`` lists the years whose allocation was degraded (time limit),
        in English; ``attrs["degraded_allocations"]`` gives their figures (``year``,
        ``seconds``, ``status``) for the application to word in the run's language.

    Raises
    ------
    relocation.domain.errors.InputError
        If a required column is missing or a value is out of range.
    """
    _validate(parcels, years)
    end = max(years)
    out = parcels.copy()
    out["move_year"] = out["move_year"].astype("int64")
    out["available_year"] = available_years(out["pollution"], out["move_year"], config)
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

    # Plain lists, one entry per parcel, written into ``out`` once at the end (row-wise
    # pandas access cost 0.6 s of the demo's 1.1 s here).
    records = pd.DataFrame(out.drop(columns="geometry", errors="ignore")).to_dict("records")
    classes: list[str] = []
    reasons: list[str] = []
    reasons_vi: list[str] = []
    for row, r in zip(records, ring, strict=True):
        cls, en, vi = _default_class(row, r, config, end)
        classes.append(cls)
        reasons.append(en)
        reasons_vi.append(vi)
    sh_target = [""] * len(out)

    windows = config.target_windows(end)
    for t in windows:
        if t.by_year > end:
            raise InputError(
                [
                    InputIssue(
                        "scenario.toml",
                        None,
                        "freed_land.social_housing_targets",
                        str(t.by_year),
                        f"target for {t.zone_id} is due after the horizon's end {end}",
                    )
                ],
                "the social-housing targets are not valid",
            )
    targeted_zones = {t.zone_id for t in windows}
    zone = out["zone_id"].astype(str).to_numpy()
    targeted = np.isin(zone, list(targeted_zones))

    # Untargeted zones: the rule alone (TOD rings keep their station use).
    by_rule = eligible & ~targeted & (ring == "")
    for i in np.flatnonzero(by_rule):
        en, vi = _sh_facts(records[i], config)
        classes[i] = "social_housing"
        reasons[i] = f"{en} (zone without a target: rule)"
        reasons_vi[i] = f"{vi} (khu vực không có chỉ tiêu: theo quy tắc)"
        sh_target[i] = "rule"

    # Targeted zones, year by year: the allocation model picks among eligible parcels usable
    # by the year and not yet chosen, TOD ones included, to cover each zone's remaining need.
    chosen = np.zeros(len(out), dtype=bool)
    avail = out["available_year"].to_numpy()
    degraded: list[str] = []
    degraded_figures: list[dict[str, Any]] = []
    for year in sorted({t.by_year for t in windows}):
        due = {t.zone_id: t for t in windows if t.by_year == year}
        need = {}
        for z, t in due.items():
            have = float(np.ceil(area[chosen & (zone == z)]).sum())
            need[z] = max(0, math.ceil(config.target_m2(t) - have))
        cand = np.flatnonzero(eligible & ~chosen & np.isin(zone, list(due)) & (avail <= year))
        if not len(cand):
            continue
        if allocate is None:
            raise ValueError("zones have social-housing targets: pass an allocation (allocate=)")
        values = [math.ceil(area[i]) * CLASS_VALUE[classes[i]] for i in cand]
        result = allocate(
            [math.ceil(area[i]) for i in cand],
            [zone[i] for i in cand],
            values,
            need,
            time_limit_s=time_limit_s,
        )
        for k, i in enumerate(cand):
            if not result.chosen[k]:
                continue
            z, t = zone[i], due[zone[i]]
            en, vi = _sh_facts(records[i], config)
            chosen[i] = True
            amount_en = _target_phrase(t, "en")
            amount_vi = _target_phrase(t, "vi")
            classes[i] = "social_housing"
            reasons[i] = f"{en}; chosen to meet {z}'s target of {amount_en} by {year}"
            reasons_vi[i] = f"{vi}; được chọn để đạt chỉ tiêu {amount_vi} của {z} đến {year}"
            sh_target[i] = str(year)
        logger.info("social-housing shortfall by %d (m²): %s", year, dict(result.shortfall_m2))
        if getattr(result, "warning", ""):  # a degraded allocation (time limit): say so
            degraded.append(f"{year}: {result.warning}")
            degraded_figures.append({
                "year": int(year), "seconds": float(getattr(result, "time_limit_s", 0.0)),
                "status": str(getattr(result, "solver_status", "")),
            })
    for i in np.flatnonzero(eligible & targeted & ~chosen):
        z = zone[i]
        reasons[i] = f"{reasons[i]} (not needed for {z}'s housing targets)"
        reasons_vi[i] = f"{reasons_vi[i]} (không cần cho chỉ tiêu NOXH của {z})"
    out["land_class"] = classes
    out["reason"] = reasons
    out["reason_vi"] = reasons_vi
    out["sh_target"] = sh_target
    density = np.array([config.units_per_ha(z) for z in zone], dtype=float)
    sh = out["land_class"].to_numpy() == "social_housing"
    out["social_housing_units"] = np.where(sh, np.round(area / 10_000 * density), 0).astype(
        "int64"
    )
    out.attrs["warnings"] = degraded
    out.attrs["degraded_allocations"] = degraded_figures
    return out


def _target_phrase(t: SocialHousingTarget, lang: str) -> str:
    parts = []
    if t.hectares is not None:
        parts.append(f"{t.hectares:g} ha")
    if t.units is not None:
        parts.append(f"{t.units:,} {'units' if lang == 'en' else 'căn'}")
    return " / ".join(parts)


def _default_class(
    row: Mapping[str, Any], ring: str, config: FreedLand, end: int
) -> tuple[str, str, str]:
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


def _sh_facts(row: Mapping[str, Any], config: FreedLand) -> tuple[str, str]:
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
