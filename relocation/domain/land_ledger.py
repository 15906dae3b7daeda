"""The freed-land ledger: one row per freed parcel, and every total derived from it (issue 10).

The ledger is the single source of the plan's freed-land figures. The terminal summary,
``summary.json``, the workbook sheets, ``freed_land.csv``, the GeoPackage layer and the map
are all computed from it, and every total says what it counts:

* **freed** by year Y: parcels whose firm has left by the end of Y (``move_year ≤ Y``;
  firms moved before the horizon included);
* **usable** by year Y: freed and usable by the end of Y (``available_year ≤ Y``);
* **awaiting remediation** at year Y: freed but not yet usable (polluting parcels during
  their remediation).

So ``freed = usable + awaiting remediation`` in every year, zone, ward and class.

A parcel *converted in place* (issue 10: an encouraged firm changes its use to a
non-polluting one, ``action = "convert"`` in the plan) is **not freed**: it is not in the
ledger, takes no class and is never usable for TOD or social housing. Its firm stays and
counts as remaining employment. The converted parcels are listed apart
(:func:`converted_table`) and counted in ``summary.json`` as ``converted_parcels`` and
``converted_ha`` (:func:`converted_summary`), so that no freed total includes them. A parcel's
class (``land_class``) is the use it is planned for; land of a class counts in the class's
*usable* total only once it is usable. Social-housing units are counted parcel by parcel
(``social_housing_units``), so every sum of units is a sum of the ledger's column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.scenario import FreedLand

#: Columns of the ledger, in order (``geometry`` follows in the GeoPackage layer):
#:
#: firm_id, firm_name (str); status (``planned`` — moved by the plan — or ``moved_before``
#: — moved before the horizon); zone_id (former unit), ward_2025, ward_2025_code (the
#: zone's ward/commune since 1 July 2025, ``""`` if not given; ``;``-lists where the zone
#: spans several); site_id (destination); move_year (year freed, int); available_year (year
#: usable, int); area_m2 (float, measured in EPSG:32648); pollution; awaiting_remediation
#: (bool: not usable by the horizon's end); land_class (a key of ``LAND_CLASSES``); reason,
#: reason_vi (the rule that chose it); tod_ring (``core``, ``transition`` or ``""``);
#: station_id, station_name, station_line, station_line_kind, station_opening_year,
#: station_distance_m (the nearest station that gets TOD rings); jobs_year, jobs_distance_km
#: (km to employment remaining at the end of jobs_year); sh_eligible (bool); sh_target (the
#: year of the target that chose it for social housing, ``rule`` or ``""``);
#: social_housing_units (int, 0 unless social housing); centroid_lon, centroid_lat.
LEDGER_COLUMNS = (
    "firm_id",
    "firm_name",
    "status",
    "zone_id",
    "ward_2025",
    "ward_2025_code",
    "site_id",
    "move_year",
    "available_year",
    "area_m2",
    "pollution",
    "awaiting_remediation",
    "land_class",
    "reason",
    "reason_vi",
    "tod_ring",
    "station_id",
    "station_name",
    "station_line",
    "station_line_kind",
    "station_opening_year",
    "station_distance_m",
    "jobs_year",
    "jobs_distance_km",
    "sh_eligible",
    "sh_target",
    "social_housing_units",
    "centroid_lon",
    "centroid_lat",
)

#: What each labelled total counts (written into ``summary.json``).
DEFINITIONS = {
    "freed": "parcels whose firm has left by the end of the year (moved before the horizon "
    "included)",
    "usable": "freed parcels usable by the end of the year (remediation done)",
    "awaiting_remediation": "freed parcels not yet usable (polluting, under remediation)",
    "social_housing_units": "units on social-housing parcels usable by the end of the year, "
    "round(ha × the zone's density) per parcel",
}


def build_ledger(classified: pd.DataFrame, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ledger: classified parcels with the zone's new ward, in ``LEDGER_COLUMNS`` order.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`relocation.domain.land_use.classify_freed_land` (a GeoDataFrame
        keeps its geometry as the last column).
    zones : pandas.DataFrame, optional
        ``zone_id`` with optional ``ward_2025`` and ``ward_2025_code``.

    Returns
    -------
    pandas.DataFrame
        Same type and row order as ``classified``.
    """
    out = classified.copy()
    if "firm_name" not in out.columns:
        out["firm_name"] = out["name"] if "name" in out.columns else ""
    if "status" not in out.columns:
        out["status"] = "planned"
    for col in ("ward_2025", "ward_2025_code"):
        values = pd.Series("", index=out.index, dtype=object)
        if zones is not None and col in zones.columns:
            lookup = dict(
                zip(zones["zone_id"].astype(str), zones[col].fillna("").astype(str), strict=True)
            )
            values = out["zone_id"].astype(str).map(lookup).fillna("")
        out[col] = values.astype(str)
    for col, default in (
        ("station_line_kind", ""),
        ("jobs_year", None),
        ("sh_target", ""),
        ("social_housing_units", 0),
    ):
        if col not in out.columns:
            out[col] = out["move_year"] if col == "jobs_year" else default
    cols = [c for c in LEDGER_COLUMNS if c in out.columns]
    if "geometry" in out.columns:
        cols.append("geometry")
    return out[cols]


#: Columns of the converted-parcel table (:func:`converted_table`).
CONVERTED_COLUMNS = ("firm_id", "firm_name", "zone_id", "year", "area_m2")


def converted_table(firms: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """The plan's parcels converted in place (not freed), one row each.

    Parameters
    ----------
    firms : pandas.DataFrame
        The workspace's firms (``firm_id``, ``name``, ``zone_id``, ``land_area_m2``).
    moves : pandas.DataFrame
        The plan's moves; rows with ``action == "convert"`` are conversions.

    Returns
    -------
    pandas.DataFrame
        ``CONVERTED_COLUMNS``: firm id and name, former zone, conversion year (int) and the
        parcel's ``land_area_m2`` (float, m², as registered).
    """
    if "action" not in moves or not len(moves):
        return pd.DataFrame({c: [] for c in CONVERTED_COLUMNS})
    conv = moves[moves["action"].astype(str) == "convert"]
    f = pd.DataFrame(firms.drop(columns="geometry", errors="ignore"))
    f = f.set_index(f["firm_id"].astype(str))
    ids = conv["firm_id"].astype(str)
    return pd.DataFrame(
        {
            "firm_id": ids.to_numpy(),
            "firm_name": ids.map(f["name"]).fillna("").astype(str).to_numpy(),
            "zone_id": ids.map(f["zone_id"]).fillna("").astype(str).to_numpy(),
            "year": conv["year"].astype("int64").to_numpy(),
            "area_m2": ids.map(f["land_area_m2"]).astype(float).to_numpy(),
        }
    )


def converted_summary(converted: pd.DataFrame, years: Sequence[int]) -> dict[str, Any]:
    """``converted_parcels``, ``converted_ha`` (by the horizon's end) and by year, labelled."""
    end = int(max(years))
    done = converted[converted["year"] <= end]
    return {
        "converted_parcels": len(done),
        "converted_ha": _r(float(done["area_m2"].sum()) / 1e4),
        "converted_by_year": [
            {"year": int(y), "parcels": int((converted["year"] <= y).sum()),
             "ha": _r(float(converted.loc[converted["year"] <= y, "area_m2"].sum()) / 1e4)}
            for y in years
        ],
        "converted_definition": "parcels converted in place to a non-polluting use by the end "
        "of the year (issue 10): not freed, not in the freed totals",
    }


def _ha(df: pd.DataFrame) -> float:
    return float(df["area_m2"].astype(float).sum()) / 10_000


def _columns(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The ledger columns the yearly totals read, as arrays (one pass, no pandas masks)."""
    return {
        "move_year": df["move_year"].to_numpy(dtype=float),
        "available_year": df["available_year"].to_numpy(dtype=float),
        "area_m2": df["area_m2"].to_numpy(dtype=float),
        "land_class": df["land_class"].astype(str).to_numpy(),
        "units": df["social_housing_units"].to_numpy(dtype=np.int64),
    }


def _year_totals(c: dict[str, np.ndarray], sel: np.ndarray, year: int) -> dict[str, Any]:
    """Cumulative totals by ``year`` of the parcels ``sel`` (positions into ``c``)."""
    move, avail = c["move_year"][sel], c["available_year"][sel]
    area, cls = c["area_m2"][sel], c["land_class"][sel]
    freed = move <= year
    usable = freed & (avail <= year)
    freed_ha = float(area[freed].sum()) / 10_000
    usable_ha = float(area[usable].sum()) / 10_000
    row: dict[str, Any] = {
        "freed_ha": freed_ha,
        "usable_ha": usable_ha,
        "awaiting_remediation_ha": freed_ha - usable_ha,
    }
    for k in LAND_CLASSES:
        row[f"{k}_ha"] = float(area[usable & (cls == k)].sum()) / 10_000
    row["social_housing_units"] = int(c["units"][sel][usable].sum())
    row["parcels_freed"] = int(freed.sum())
    return row


def _year_row(df: pd.DataFrame, year: int) -> dict[str, Any]:
    return _year_totals(_columns(df), np.arange(len(df)), year)


def by_key_year(
    ledger: pd.DataFrame, years: Sequence[int], key: str = "zone_id", keys: Sequence[str] = ()
) -> pd.DataFrame:
    """Totals per ``key`` (``zone_id`` or ``ward_2025``) and year, cumulative.

    Columns: ``key``, ``year``, ``freed_ha``, ``usable_ha``, ``awaiting_remediation_ha``,
    one ``<class>_ha`` per land class (usable by the year), ``social_housing_units`` (usable
    by the year), ``parcels_freed``. ``keys`` adds rows for keys without parcels (zeros).
    """
    df = pd.DataFrame(ledger.drop(columns="geometry", errors="ignore"))
    c = _columns(df)
    key_of = df[key].astype(str).to_numpy()
    values = sorted(set(key_of) | {str(k) for k in keys})
    rows = []
    for k in values:
        sel = np.flatnonzero(key_of == k)
        for y in years:
            rows.append({key: k, "year": int(y), **_year_totals(c, sel, int(y))})
    cols = [key, "year", "freed_ha", "usable_ha", "awaiting_remediation_ha"]
    cols += [f"{c}_ha" for c in LAND_CLASSES] + ["social_housing_units", "parcels_freed"]
    return pd.DataFrame(rows, columns=cols)


def by_station(ledger: pd.DataFrame, end: int) -> pd.DataFrame:
    """TOD-ring land per station, by the horizon's end ``end``.

    Columns: ``station_id``, ``station_name``, ``station_line``, ``station_line_kind``,
    ``station_opening_year``; ``ring_core_freed_ha`` and ``ring_transition_freed_ha`` (land
    freed in the ring, whatever its class); ``tod_core_ha``, ``tod_transition_ha`` and
    ``social_housing_ha`` (land of that class usable by ``end``); ``awaiting_remediation_ha``
    (ring land not yet usable); ``social_housing_units``; ``parcels`` (int).
    """
    df = pd.DataFrame(ledger.drop(columns="geometry", errors="ignore"))
    ring = df[(df["tod_ring"] != "") & (df["move_year"] <= end)]
    keys = ["station_id", "station_name", "station_line", "station_line_kind",
            "station_opening_year"]
    rows = []
    for key, g in ring.groupby(keys, sort=True, dropna=False):
        usable = g[g["available_year"] <= end]
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "ring_core_freed_ha": _ha(g[g["tod_ring"] == "core"]),
                "ring_transition_freed_ha": _ha(g[g["tod_ring"] == "transition"]),
                "tod_core_ha": _ha(usable[usable["land_class"] == "tod_core"]),
                "tod_transition_ha": _ha(usable[usable["land_class"] == "tod_transition"]),
                "social_housing_ha": _ha(usable[usable["land_class"] == "social_housing"]),
                "awaiting_remediation_ha": _ha(g) - _ha(usable),
                "social_housing_units": int(usable["social_housing_units"].sum()),
                "parcels": len(g),
            }
        )
    cols = [*keys, "ring_core_freed_ha", "ring_transition_freed_ha", "tod_core_ha",
            "tod_transition_ha", "social_housing_ha", "awaiting_remediation_ha",
            "social_housing_units", "parcels"]
    return pd.DataFrame(rows, columns=cols)


def targets_report(ledger: pd.DataFrame, config: FreedLand, end: int) -> pd.DataFrame:
    """Each social-housing target against the social-housing land usable by its year.

    Columns: ``zone_id``, ``by_year``, ``target_ha`` (the land the target asks for),
    ``target_units`` (the units it states, or ``target_ha × density``), ``source``,
    ``allocated_ha``, ``social_housing_units`` (ledger sums for the zone, usable by
    ``by_year``), ``shortfall_ha`` (≥ 0; whole m² per parcel rounded up, as the allocation
    counts them), ``units_shortfall`` (≥ 0), ``units_per_ha``.
    """
    df = pd.DataFrame(ledger.drop(columns="geometry", errors="ignore"))
    rows = []
    for t in config.target_windows(end):
        sel = (
            (df["zone_id"].astype(str) == t.zone_id)
            & (df["land_class"] == "social_housing")
            & (df["available_year"] <= t.by_year)
        )
        got = _ha(df[sel])
        # Whole m² rounded up per parcel, as the allocation counts them.
        got_m2 = float(np.ceil(df.loc[sel, "area_m2"].astype(float)).sum())
        units = int(df.loc[sel, "social_housing_units"].sum())
        target_ha = config.target_m2(t) / 10_000
        density = config.units_per_ha(t.zone_id)
        target_units = t.units if t.units is not None else round(target_ha * density)
        rows.append(
            {
                "zone_id": t.zone_id,
                "by_year": t.by_year,
                "target_ha": round(target_ha, 4),
                "target_units": int(target_units),
                "source": t.source,
                "allocated_ha": round(got, 4),
                "social_housing_units": units,
                "shortfall_ha": max(0.0, round((config.target_m2(t) - got_m2) / 10_000, 4)),
                "units_shortfall": max(0, int(target_units) - units),
                "units_per_ha": density,
            }
        )
    cols = ["zone_id", "by_year", "target_ha", "target_units", "source", "allocated_ha",
            "social_housing_units", "shortfall_ha", "units_shortfall", "units_per_ha"]
    return pd.DataFrame(rows, columns=cols)


def _r(v: float) -> float:
    return round(float(v), 3)


def ledger_summary(
    ledger: pd.DataFrame, config: FreedLand, years: Sequence[int]
) -> dict[str, Any]:
    """The ``freed_land`` block of ``summary.json``: every total labelled, from the ledger.

    Hectares are rounded to 3 decimals (10 m²). Keys: ``horizon_end``, ``definitions``,
    ``parcels``, ``parcels_moved_before_horizon``, ``freed_before_horizon_ha``, ``freed_ha``,
    ``usable_ha``, ``awaiting_remediation_ha`` (by the horizon's end),
    ``freed_ha_by_class``, ``usable_ha_by_class``, ``awaiting_remediation_ha_by_class``,
    ``hectares_by_class`` (= ``usable_ha_by_class``, kept for comparison tables),
    ``by_year``, ``by_zone``, ``by_ward_2025`` (totals at the horizon's end),
    ``social_housing_units``, ``social_housing`` (units, land, densities and the province
    target with the share delivered), ``targets`` and ``tod_by_station``.
    """
    df = pd.DataFrame(ledger.drop(columns="geometry", errors="ignore"))
    end = int(max(years))
    start = int(min(years))
    freed = df[df["move_year"] <= end]
    usable = freed[freed["available_year"] <= end]
    waiting = freed[freed["available_year"] > end]
    before = df[df["move_year"] < start]

    def by_class(part: pd.DataFrame) -> dict[str, float]:
        return {c: _r(_ha(part[part["land_class"] == c])) for c in LAND_CLASSES}

    def at_end(key: str) -> list[dict[str, Any]]:
        t = by_key_year(df, [end], key)
        keep = [key, "freed_ha", "usable_ha", "awaiting_remediation_ha", "social_housing_units"]
        return [
            {k: (_r(v) if isinstance(v, float) else v) for k, v in r.items()}
            for r in t[keep].to_dict(orient="records")
        ]

    units_end = int(usable["social_housing_units"].sum())
    prov = None
    if config.province_social_housing_units:
        py = config.province_social_housing_by_year or end
        by = min(py, end)
        delivered = int(
            df.loc[(df["available_year"] <= by), "social_housing_units"].sum()
        )
        prov = {
            "units": int(config.province_social_housing_units),
            "by_year": int(py),
            "units_delivered": delivered,
            "counted_by_year": int(by),
            "share": round(delivered / config.province_social_housing_units, 6),
        }
    zones = sorted(set(df["zone_id"].astype(str)) | {t.zone_id for t in config.target_windows(end)})
    stations = by_station(df, end)
    return {
        "horizon_end": end,
        "definitions": dict(DEFINITIONS),
        "parcels": len(df),
        "parcels_moved_before_horizon": int((df["status"] == "moved_before").sum()),
        "freed_before_horizon_ha": _r(_ha(before)),
        "freed_ha": _r(_ha(freed)),
        "usable_ha": _r(_ha(usable)),
        "awaiting_remediation_ha": _r(_ha(waiting)),
        "freed_ha_by_class": by_class(freed),
        "usable_ha_by_class": by_class(usable),
        "awaiting_remediation_ha_by_class": by_class(waiting),
        "hectares_by_class": by_class(usable),
        "by_year": [
            {"year": int(y), **{k: _r(v) for k, v in _year_row(df, int(y)).items()
                                if k in ("freed_ha", "usable_ha", "awaiting_remediation_ha")}}
            for y in years
        ],
        "by_zone": at_end("zone_id"),
        "by_ward_2025": at_end("ward_2025"),
        "social_housing_units": units_end,
        "social_housing": {
            "units": units_end,
            "usable_ha": _r(_ha(usable[usable["land_class"] == "social_housing"])),
            "units_per_ha": {z: config.units_per_ha(z) for z in zones},
            "province_target": prov,
        },
        "targets": targets_report(df, config, end).to_dict(orient="records"),
        "tod_by_station": [
            {k: (_r(v) if isinstance(v, float) else v) for k, v in r.items()}
            for r in stations.to_dict(orient="records")
        ],
    }


@dataclass(frozen=True)
class FreedLandSummary:
    """Aggregates of the ledger (all derived from it).

    Attributes
    ----------
    by_zone_year : pandas.DataFrame
        :func:`by_key_year` by ``zone_id``.
    by_ward_year : pandas.DataFrame
        :func:`by_key_year` by ``ward_2025``.
    by_station : pandas.DataFrame
        :func:`by_station` at the horizon's end.
    targets : pandas.DataFrame
        :func:`targets_report`.
    """

    by_zone_year: pd.DataFrame
    by_ward_year: pd.DataFrame
    by_station: pd.DataFrame
    targets: pd.DataFrame


def summarise_freed_land(
    ledger: pd.DataFrame, config: FreedLand, years: Sequence[int]
) -> FreedLandSummary:
    """Aggregate the ledger (or classified parcels) by zone, ward, station and target."""
    if "ward_2025" not in ledger.columns or "status" not in ledger.columns:
        ledger = build_ledger(ledger)
    end = int(max(years))
    zones = {t.zone_id for t in config.target_windows(end)}
    return FreedLandSummary(
        by_zone_year=by_key_year(ledger, years, "zone_id", sorted(zones)),
        by_ward_year=by_key_year(ledger, years, "ward_2025"),
        by_station=by_station(ledger, end),
        targets=targets_report(ledger, config, end),
    )


def summary_figures(land: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The figures of the terminal's freed-land lines, in order, every total labelled.

    The domain names each line and its figures; the application words them in the run's
    language (``land.*`` keys of ``relocation/messages.py``). Every figure is read from
    ``land`` (the ``freed_land`` block of :func:`ledger_summary`) or summed from its
    ``targets``.

    Returns
    -------
    list of dict
        Each ``{"line": kind, ...figures}``, kinds in order: ``totals`` (``end``,
        ``freed_ha``, ``parcels``, ``before_ha``, ``usable_ha``, ``waiting_ha``),
        ``usable_by_class`` (``end``, ``classes``: class → ha), ``waiting_by_class`` (only
        when some land awaits remediation), ``social_housing`` (``end``, ``units``, ``ha``,
        and with a province target ``province_units``, ``province_by_year``, ``share``,
        and ``delivered``/``counted_by_year`` when counted before the end), one
        ``targets`` per target year (``year``, ``met``, ``zones``, ``units``, ``goal``,
        ``short_ha``), and ``converted`` (``end``, ``parcels``, ``ha``: firms converted in
        place, not freed) when there are any. A summary written before the ledger gives one
        ``classes_only`` (``classes``).
    """
    if "horizon_end" not in land:  # a summary written before the ledger: classes only
        return [{"line": "classes_only", "classes": dict(land.get("hectares_by_class", {}))}]
    end = land["horizon_end"]
    out: list[dict[str, Any]] = [
        {"line": "totals", "end": end, "freed_ha": land["freed_ha"], "parcels": land["parcels"],
         "before_ha": land["freed_before_horizon_ha"], "usable_ha": land["usable_ha"],
         "waiting_ha": land["awaiting_remediation_ha"]},
        {"line": "usable_by_class", "end": end, "classes": dict(land["usable_ha_by_class"])},
    ]
    waiting = {k: v for k, v in land["awaiting_remediation_ha_by_class"].items() if v > 0}
    if waiting:
        out.append({"line": "waiting_by_class", "end": end, "classes": waiting})
    sh = land["social_housing"]
    housing: dict[str, Any] = {"line": "social_housing", "end": end, "units": sh["units"],
                               "ha": sh["usable_ha"]}
    prov = sh.get("province_target")
    if prov:
        housing.update(province_units=prov["units"], province_by_year=prov["by_year"],
                       share=prov["share"])
        if prov["counted_by_year"] != end:
            housing.update(delivered=prov["units_delivered"],
                           counted_by_year=prov["counted_by_year"])
    out.append(housing)
    targets = land.get("targets") or []
    for year in sorted({t["by_year"] for t in targets}):
        due = [t for t in targets if t["by_year"] == year]
        out.append({
            "line": "targets", "year": year,
            "met": sum(1 for t in due if t["shortfall_ha"] <= 0), "zones": len(due),
            "units": sum(t["social_housing_units"] for t in due),
            "goal": sum(t["target_units"] for t in due),
            "short_ha": sum(t["shortfall_ha"] for t in due),
        })
    if land.get("converted_parcels"):
        out.append({"line": "converted", "end": end, "parcels": land["converted_parcels"],
                    "ha": land["converted_ha"]})
    return out


def summary_rows(land: dict[str, Any]) -> list[tuple[str, str, Any, str]]:
    """Rows (Vietnamese, English, value, format) of the workbook's summary sheet.

    The format is ``"ha"``, ``"count"`` or ``"percent"`` (a fraction shown as a percentage).
    """
    if "horizon_end" not in land:
        return []
    end = land["horizon_end"]
    rows: list[tuple[str, str, Any, str]] = [
        (f"Đất giải phóng đến {end} (ha)", f"Land freed by {end} (ha)", land["freed_ha"], "ha"),
        (
            "Trong đó: DN di dời trước kỳ (ha)",
            "of which: firms moved before the horizon (ha)",
            land["freed_before_horizon_ha"],
            "ha",
        ),
        (f"Đất sử dụng được đến {end} (ha)", f"Land usable by {end} (ha)", land["usable_ha"], "ha"),
        (
            f"Đất chờ xử lý môi trường năm {end} (ha)",
            f"Land awaiting remediation in {end} (ha)",
            land["awaiting_remediation_ha"],
            "ha",
        ),
    ]
    for k, v in land["usable_ha_by_class"].items():
        vi, en = LAND_CLASSES[k]
        rows.append((f"Sử dụng được đến {end}: {vi} (ha)", f"Usable by {end}: {en} (ha)", v, "ha"))
    for k, v in land["awaiting_remediation_ha_by_class"].items():
        vi, en = LAND_CLASSES[k]
        vi_text = f"Chờ xử lý năm {end}: {vi} (ha)"
        rows.append((vi_text, f"Awaiting remediation in {end}: {en} (ha)", v, "ha"))
    sh = land["social_housing"]
    rows.append(
        (
            f"Số căn nhà ở xã hội trên đất sử dụng được đến {end}",
            f"Social-housing units on land usable by {end}",
            sh["units"],
            "count",
        )
    )
    prov = sh.get("province_target")
    if prov:
        rows.append(
            (
                f"Tỷ lệ so với chỉ tiêu {prov['units']:,} căn của tỉnh đến {prov['by_year']}",
                f"Share of the province's {prov['units']:,} units by {prov['by_year']}",
                prov["share"],
                "percent",
            )
        )
    if land.get("converted_parcels"):
        rows.append((f"Chuyển đổi công năng tại chỗ đến {end} (ha, không giải phóng)",
                     f"Converted in place by {end} (ha, not freed)", land["converted_ha"], "ha"))
    return rows
