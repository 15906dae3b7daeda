"""The scenario: every setting of one planning run, read from ``scenario.toml``.

Merge order (the one place it is defined): the documented defaults below, then the
workspace's ``scenario.toml``, then sweep or ``--set`` overrides (dotted paths), then
command-line options (``--time-limit``, ``--workers``, ``--seed``). Later wins.

Money is in whole VND. Figures tagged *(assumption)* have no sourced value in the domain
brief; the others cite its section.
"""

from __future__ import annotations

import copy
import math
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from relocation.domain.errors import InputError, InputIssue, Locate, short, validation_issues

USD_VND = 26_000  # brief §4.4 (derived): the demo's exchange rate


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Horizon(_Section):
    """Planning years, inclusive."""

    start: int = Field(2024, ge=1990, le=2100)
    end: int = Field(2030, ge=1990, le=2100)

    @model_validator(mode="after")
    def _order(self) -> Horizon:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.end - self.start > 40:
            raise ValueError("the horizon may span at most 41 years")
        return self

    @property
    def years(self) -> tuple[int, ...]:
        """Every planning year, in order."""
        return tuple(range(self.start, self.end + 1))


class QuotaWindow(_Section):
    """Share of all slated firms (by count) moved by the end of ``by_year``.

    At least ``ceil(min_share * N)`` and at most ``floor(max_share * N)`` firms, firms
    already moved before the horizon included.
    """

    by_year: int
    min_share: float = Field(0.0, ge=0.0, le=1.0)
    max_share: float = Field(1.0, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _order(self) -> QuotaWindow:
        if self.min_share > self.max_share:
            raise ValueError(f"min_share ({self.min_share}) is above max_share ({self.max_share})")
        return self

    def min_count(self, n: int) -> int:
        """Least number of firms moved by ``by_year`` (rounded up)."""
        return math.ceil(round(self.min_share * n, 9))

    def max_count(self, n: int) -> int:
        """Most firms moved by ``by_year`` (rounded down)."""
        return math.floor(round(self.max_share * n, 9))


class Limits(_Section):
    """Yearly limits on the programme. ``None`` means no limit."""

    max_moves_per_year: int | None = Field(None, ge=0)
    #: Least number of planned moves in every year of the horizon (issue 10: a programme
    #: office runs no empty year while firms wait). A year in which fewer planned firms
    #: can move (readiness, land) than the minimum needs only those that can.
    min_moves_per_year: int | None = Field(None, ge=0)
    budget_vnd_per_year: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _min_below_max(self) -> Limits:
        lo, hi = self.min_moves_per_year, self.max_moves_per_year
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"min_moves_per_year {lo} is above max_moves_per_year {hi}")
        return self


class Weights(_Section):
    """Weights of the objective terms, and how they are combined.

    ``weighted`` minimises the weighted sum. ``lexicographic`` first minimises cost
    (relocation + support), then disruption (commute, attrition, supply split,
    preference) among plans whose cost is within ``cost_tolerance`` of the least.
    """

    mode: Literal["weighted", "lexicographic"] = "weighted"
    cost_tolerance: float = Field(0.01, ge=0.0, le=1.0)
    relocation: float = Field(1.0, ge=0.0)
    support: float = Field(1.0, ge=0.0)
    commute: float = Field(1.0, ge=0.0)
    attrition: float = Field(1.0, ge=0.0)
    supply_split: float = Field(1.0, ge=0.0)
    preference: float = Field(1.0, ge=0.0)
    stability: float = Field(1.0, ge=0.0)  # weight of the replan's stability term
    land_value: float = Field(1.0, ge=0.0)  # weight of the freed-land delay term


#: Suggested ``[costs] land_value_vnd_per_ha_year`` (assumptions, see the comment on that
#: field and geodata/demo/README.md).
LAND_VALUE_SUGGESTED = {
    "tod_core": 12_000_000_000,
    "tod_transition": 12_000_000_000,
    "social_housing": 12_000_000_000,
    "commerce_services": 8_000_000_000,
    "green_public": 4_000_000_000,
}


class Costs(_Section):
    """Cost and disruption coefficients, whole VND.

    Every relocation cost term of a move in year ``t`` is discounted to the horizon's
    start by ``(1 + discount_rate) ** -(t - start)``.
    """

    discount_rate: float = Field(0.08, ge=0.0, le=1.0)  # brief §9
    road_factor: float = Field(1.3, ge=1.0, le=3.0)  # brief §9: road km ≈ 1.3 × great circle
    permit_vnd: int = Field(300_000_000, ge=0)  # brief §9: fixed 0.3–1 bn per firm
    permit_polluting_extra_vnd: int = Field(700_000_000, ge=0)  # high pollution: up to 1 bn
    permit_medium_extra_vnd: int = Field(300_000_000, ge=0)  # (assumption)
    dismantle_vnd_per_m2: int = Field(400_000, ge=0)  # (assumption) per m² of old parcel
    transport_vnd_per_ha_km: int = Field(30_000_000, ge=0)  # (assumption) per ha moved per km
    fitout_vnd_per_m2: int = Field(2_000_000, ge=0)  # (assumption) per m² at the destination
    rent_park_vnd_per_m2: int = Field(120 * USD_VND, ge=0)  # brief §4.1: $90–150/m²/term
    rent_cluster_vnd_per_m2: int = Field(90 * USD_VND, ge=0)  # brief §4.1, low end
    downtime_months: float = Field(2.0, ge=0.0)  # (assumption) months of lost output
    downtime_months_per_100km: float = Field(2.0, ge=0.0)  # (assumption) longer moves
    output_vnd_per_worker_month: int = Field(15_000_000, ge=0)  # (assumption) value added
    support_vnd_per_worker: int = Field(60_000_000, ge=0)  # brief §4.3 (derived): VND 60 m
    support_share_mandatory: float = Field(1.0, ge=0.0)  # (assumption)
    support_share_encouraged: float = Field(0.5, ge=0.0)  # (assumption)
    support_cluster_vnd_per_m2: int = Field(200_000, ge=0)  # Decree 68/2017 (assumption: amount)
    commute_vnd_per_worker_km: int = Field(1_250_000, ge=0)  # (assumption) one year's extra km
    replacement_vnd_per_worker: int = Field(14_880_000, ge=0)  # brief §9: 3 × VND 4.96 m
    attrition_base: float = Field(0.05, ge=0.0, le=1.0)  # brief §9 curve a(d)
    attrition_span: float = Field(0.35, ge=0.0, le=1.0)
    attrition_mid_km: float = Field(30.0, ge=0.0)
    attrition_scale_km: float = Field(8.0, gt=0.0)
    supply_split_vnd: int = Field(2_000_000_000, ge=0)  # (assumption) per extra site a group uses
    preference_penalty_vnd: int = Field(1_000_000_000, ge=0)  # (assumption) non-preferred site
    #: Converting a parcel in place (issue 10): per m² of the firm's parcel, plus one
    #: ``permit_vnd`` for the change of use. (assumption) about the demo's dismantling
    #: (0.4 m) plus fit-out (2 m) per m², spent on the parcel itself; no brief figure.
    conversion_vnd_per_m2: int = Field(2_500_000, ge=0)
    #: Value of a hectare of freed land for one year, by the parcel's likely class
    #: (:func:`relocation.domain.costs.likely_land_class`): the ``land_delay`` term of a
    #: move in year t is ``ha × value × (t − start)``, the land value lost by waiting.
    #: The value a year is the land's price × the discount rate (its yearly opportunity
    #: value): commerce VND 10 m/m² (assumption: the brief, §9, has no sourced price for
    #: released land) × 10⁴ × 8 % = VND 8 bn/ha/yr; TOD land × 1.5 (FAR × 1.5 within
    #: 1,000 m of a station, brief §5.3 rule); social housing as TOD land, green × 0.5
    #: (assumptions; geodata/demo/README.md).
    #: Off by default (no class has a value, so the term is zero): with these values the
    #: demo's plan is proven only within 9.6 % in 60 s (the solve pipeline's first plans
    #: assume a later move is cheaper). Suggested values, to set in ``scenario.toml``:
    #: ``LAND_VALUE_SUGGESTED``.
    land_value_vnd_per_ha_year: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _land_classes(self) -> Costs:
        known = {"tod_core", "tod_transition", "social_housing", "commerce_services",
                 "green_public"}
        bad = sorted(set(self.land_value_vnd_per_ha_year) - known)
        if bad:
            raise ValueError(f"land_value_vnd_per_ha_year: unknown land class {', '.join(bad)} "
                             f"(known: {', '.join(sorted(known))})")
        if any(v < 0 for v in self.land_value_vnd_per_ha_year.values()):
            raise ValueError("land_value_vnd_per_ha_year: a value is negative")
        return self


class Rules(_Section):
    """Switches for rules that can be hard or soft."""

    soft_quota: bool = False
    quota_shortfall_vnd_per_firm: int = Field(100_000_000_000, ge=0)
    preferred_sites: Literal["penalty", "strict"] = "penalty"
    #: A ``closed`` firm (actuals) counts as moved in the quota windows from its closing
    #: year (its residential land is freed the same way); off: it leaves the quota base.
    closed_counts_in_quota: bool = True
    #: Facilities already inside an industrial park are exempt (status ``exempt``): the
    #: scheme covers one park, Bình Đường (brief §1.2, ``programme_parks``). The brief's
    #: source for the exemption is an older, undated text (tagged: undated source).
    exempt_park_tenants: bool = True
    #: Old parks (firm column ``origin_park``) whose tenants stay in the programme.
    programme_parks: tuple[str, ...] = ("KCN_BINHDUONG",)
    #: Firms sharing a ``move_group`` move in the same year (hard); with this switch
    #: also to one site (hard; off: the supply-group split cost keeps them together
    #: where the land allows).
    move_group_same_site: bool = False
    #: Encouraged firms may *convert in place* (chuyển đổi công năng) instead of moving:
    #: the firm stays on its parcel with a non-polluting use (``costs.conversion_vnd_per_m2``;
    #: see :mod:`relocation.domain.status` and the README). Off: every firm moves or waits.
    allow_conversion: bool = False


class ParkClearance(_Section):
    """A clearance target: every programme firm of an old park has moved by ``by_year``.

    A target dated before the horizon's start (a replan after its year) is not planned.
    """

    park: str = Field(min_length=1)
    by_year: int


class SocialHousingTarget(_Section):
    """Social housing one zone is to reach by the end of ``by_year`` (cumulative).

    Give ``hectares`` (land), ``units`` (dwellings) or both. Freed land is allocated to the
    land target: ``hectares`` when given, else ``units`` divided by the zone's density
    (``FreedLand.units_per_ha``). ``source`` says where the figure comes from (a brief
    section, or *assumption*); it is echoed in the outputs.
    """

    zone_id: str
    by_year: int
    hectares: float | None = Field(None, ge=0)
    units: int | None = Field(None, ge=0)
    source: str = ""

    @model_validator(mode="after")
    def _some_amount(self) -> SocialHousingTarget:
        if self.hectares is None and self.units is None:
            raise ValueError(
                f"target for {self.zone_id!r} by {self.by_year}: give hectares or units"
            )
        return self


class EmploymentSite(_Section):
    """Employment that stays in the south (an industrial park that is not converted).

    Counts as remaining jobs for the social-housing near-jobs rule in every year up to
    ``until_year`` (inclusive; ``None``: the whole horizon). ``lon``/``lat`` in WGS 84.
    """

    name: str
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    until_year: int | None = None


class FreedLand(_Section):
    """Freed-land classification settings (issue 4, issue 10).

    TOD rings are drawn around the stations of the line kinds in ``tod_line_kinds``
    (the ``stations.line_kind`` column; ``metro`` where it is blank) and of the lines named
    in ``tod_lines``; other stations are ignored by the classification.
    """

    remediation_years: int = Field(2, ge=0, le=30)  # (assumption) polluting parcels
    tod_core_m: float = Field(500.0, gt=0)  # brief §5.3
    tod_transition_m: float = Field(1000.0, gt=0)  # brief §5.3
    #: brief §5.3 [sourced]: the TOD rules (Res. 98, Res. 188/2025/QH15) are for metro lines.
    tod_line_kinds: tuple[str, ...] = ("metro",)
    #: Line names (``stations.line``) that also get TOD rings, whatever their kind.
    tod_lines: tuple[str, ...] = ()
    social_housing_min_m2: float = Field(5000.0, ge=0)  # (assumption)
    social_housing_max_km_to_jobs: float = Field(3.0, gt=0)  # (assumption)
    #: Southern parks that stay: remaining jobs besides firms not yet moved and the sites.
    employment_sites: tuple[EmploymentSite, ...] = ()
    #: Density where a zone has none of its own: brief §6 (derived) scheme density
    #: 160,325 units / 470.4 ha ≈ 341 units/ha.
    social_housing_units_per_ha: float = Field(341.0, gt=0)
    #: Density per zone (units/ha); brief §6 (derived) gives ≈ 226–510 by city.
    social_housing_units_per_ha_by_zone: dict[str, float] = Field(default_factory=dict)
    green_max_m2: float = Field(2000.0, ge=0)  # (assumption) small parcels become green space
    #: Land targets (ha) due by the horizon's end, per zone (kept for older scenarios;
    #: ``social_housing_targets`` states the year).
    social_housing_target_ha: dict[str, float] = Field(default_factory=dict)
    social_housing_targets: tuple[SocialHousingTarget, ...] = ()
    #: The province's social-housing target (units) and its year, reported against what the
    #: freed land delivers (no default: the demo cites brief §6, Decision 444: 86,900 by 2030).
    province_social_housing_units: int | None = Field(None, ge=0)
    province_social_housing_by_year: int | None = None

    @model_validator(mode="after")
    def _rings(self) -> FreedLand:
        if self.tod_transition_m < self.tod_core_m:
            raise ValueError("tod_transition_m must not be below tod_core_m")
        if any(v <= 0 for v in self.social_housing_units_per_ha_by_zone.values()):
            raise ValueError("social_housing_units_per_ha_by_zone: densities must be > 0")
        seen: set[tuple[str, int]] = set()
        for i, t in enumerate(self.social_housing_targets):
            if (t.zone_id, t.by_year) in seen:
                raise ValueError(
                    f"social_housing_targets[{i}]: two targets for {t.zone_id!r} by {t.by_year}"
                )
            seen.add((t.zone_id, t.by_year))
        return self

    def units_per_ha(self, zone_id: str) -> float:
        """Social-housing density of a zone (units/ha): its own, else the default."""
        return float(
            self.social_housing_units_per_ha_by_zone.get(
                str(zone_id), self.social_housing_units_per_ha
            )
        )

    def target_windows(self, end: int) -> tuple[SocialHousingTarget, ...]:
        """Every social-housing target, the legacy per-zone hectares as due by ``end``."""
        legacy = tuple(
            SocialHousingTarget(zone_id=z, by_year=end, hectares=ha, source="")
            for z, ha in sorted(self.social_housing_target_ha.items())
            if not any(t.zone_id == z and t.by_year == end for t in self.social_housing_targets)
        )
        return tuple(
            sorted((*self.social_housing_targets, *legacy), key=lambda t: (t.by_year, t.zone_id))
        )

    def target_m2(self, t: SocialHousingTarget) -> float:
        """Land a target asks for, m²: its hectares, else its units at the zone's density."""
        if t.hectares is not None:
            return float(t.hectares) * 10_000
        return float(t.units or 0) / self.units_per_ha(t.zone_id) * 10_000


class Solver(_Section):
    """CP-SAT settings. A time limit is always set.

    ``deterministic_time_s`` (if set) replaces the wall-clock limit by CP-SAT's
    deterministic one: with ``workers = 1`` and a fixed seed, a run is reproducible.
    """

    time_limit_s: float = Field(60.0, gt=0, le=86_400)
    deterministic_time_s: float | None = Field(None, gt=0)
    workers: int = Field(2, ge=1, le=64)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    relative_gap: float = Field(0.001, ge=0.0, le=1.0)


class CrsSettings(_Section):
    """Coordinate reference systems of CSV inputs and of the outputs."""

    input: str = "EPSG:4326"
    output: str = "EPSG:4326"


class Overrides(_Section):
    """Per-site opening years and per-zone deadlines that replace the tables' values."""

    site_available_from: dict[str, int] = Field(default_factory=dict)
    zone_deadline: dict[str, int] = Field(default_factory=dict)


class Stability(_Section):
    """The replan's stability penalty (``relocation replan``): keep told firms where they are.

    A move of a firm that has a baseline move costs ``site_change_vnd`` when its site
    differs from the baseline's, plus ``year_shift_vnd_per_year`` per year between its
    year and the baseline's. Not discounted (a change is paid when it is announced). Zero
    for a plan without a baseline. Both figures are *(assumption)*: the cost to the
    programme office and the firm of re-negotiating a lease and re-issuing the decision
    (geodata/demo/README.md, "Annual review").
    """

    site_change_vnd: int = Field(3_000_000_000, ge=0)  # (assumption)
    year_shift_vnd_per_year: int = Field(6_000_000_000, ge=0)  # (assumption)


class Scenario(_Section):
    """One planning scenario (see the module docstring for the merge order)."""

    name: str = "default"
    description: str = ""
    horizon: Horizon = Horizon()
    quota: tuple[QuotaWindow, ...] = ()
    clearance: tuple[ParkClearance, ...] = ()
    limits: Limits = Limits()
    weights: Weights = Weights()
    costs: Costs = Costs()
    rules: Rules = Rules()
    freed_land: FreedLand = FreedLand()
    solver: Solver = Solver()
    crs: CrsSettings = CrsSettings()
    overrides: Overrides = Overrides()
    stability: Stability = Stability()

    @model_validator(mode="after")
    def _quota_in_horizon(self) -> Scenario:
        seen: set[int] = set()
        for i, q in enumerate(self.quota):
            if not self.horizon.start <= q.by_year <= self.horizon.end:
                raise ValueError(
                    f"quota[{i}].by_year {q.by_year} is outside the horizon "
                    f"{self.horizon.start}–{self.horizon.end}"
                )
            if q.by_year in seen:
                raise ValueError(f"two quota windows for by_year {q.by_year}")
            seen.add(q.by_year)
        return self

    def with_overrides(
        self, updates: Mapping[str, Any], source: str | Mapping[str, str] = "--set"
    ) -> Scenario:
        """Return a copy with dotted-path updates (the one override engine).

        ``plan``, ``sweep`` (its ``--set`` and grid files) and every other command change a
        scenario through this method, so they accept and refuse the same keys with the
        same messages.

        Parameters
        ----------
        updates : mapping
            Dotted ``scenario.toml`` path → value, e.g. ``{"limits.max_moves_per_year":
            500}``. A number indexes a list: ``quota.0.min_share`` is the first window's
            floor; the window must exist (a list never grows here). Under a table of ids
            (``overrides.site_available_from``, ``overrides.zone_deadline``,
            ``freed_land.social_housing_target_ha``) the rest of the key is the id, dots
            included.
        source : str or mapping
            Where the updates come from, for messages: ``--set`` (reported as ``--set KEY``),
            another option (``--time-limit``), or a file (``grid.toml``, reported with the key
            as its column); a mapping gives each key its own source (default ``--set``).

        Returns
        -------
        Scenario

        Raises
        ------
        InputError
            Every bad key, path or value at once, each naming its source and key.
        """
        data = self.model_dump(mode="json")
        locate = _locator(source)
        issues: list[InputIssue] = []
        for key, value in updates.items():
            try:
                set_dotted(data, key, value)
            except ValueError as exc:
                file, column = locate(key)
                shown = None if isinstance(value, dict | list | tuple) else short(value)
                issues.append(InputIssue(file, None, column, shown, str(exc)))
        if issues:
            raise InputError(issues, summary="bad setting")
        return validate_scenario(data, locate, updates)

    def with_quota_floor(
        self, by_year: int, floor: float, n_slated: int | None = None, source: str = "--quota"
    ) -> Scenario:
        """The ``--quota`` sweep's rule: the window ending in ``by_year`` gets ``floor``.

        An explicit option of the quota sweep, not of ``--set``: its ceiling is kept, or
        raised to the floor where it would fall below it (to ``ceil(floor·N)/N`` when the
        quota base ``n_slated`` is given, so that the window admits the floor's whole firm
        count: 0.425 × 2,900 = 1,232.5 needs 1,233 firms, which a ceiling of 0.425 would
        not admit). A ``by_year`` without a window adds one (ceiling 100 %).

        Raises
        ------
        InputError
            The window cannot be set (``by_year`` outside the horizon, a bad floor).
        """
        data = self.model_dump(mode="json")
        windows = data["quota"]
        match = [i for i, w in enumerate(windows) if w["by_year"] == by_year]
        idx = match[0] if match else len(windows)
        if not match:
            windows.append({"by_year": by_year, "min_share": 0.0, "max_share": 1.0})
        window = windows[idx]
        window["min_share"] = floor
        if isinstance(floor, int | float) and window["max_share"] < floor:
            ceiling = floor
            if n_slated:
                ceiling = min(1.0, math.ceil(round(floor * n_slated, 9)) / n_slated)
            window["max_share"] = ceiling
        given: dict[str, Any] = {f"quota.{idx}.min_share": floor}
        if not match:
            given = {f"quota.{idx}.by_year": by_year, **given}
        return validate_scenario(
            data, lambda key: ("--by-year" if key.endswith(".by_year") else source, None), given
        )


def _locator(source: str | Mapping[str, str]) -> Locate:
    """``key -> (file, column)``: ``--set KEY``; another option alone; a file with the key."""

    def locate(key: str) -> tuple[str, str | None]:
        where = source if isinstance(source, str) else source.get(key, "--set")
        if where == "--set":
            return (f"--set {key}" if key else "--set"), None
        if where.startswith("-"):
            return where, None
        return where, key or None

    return locate


def validate_scenario(
    data: Mapping[str, Any], locate: str | Locate, given: Mapping[str, Any] | None = None
) -> Scenario:
    """Validate scenario data; every problem as an :class:`InputIssue` of one ``InputError``.

    Parameters
    ----------
    data : mapping
        The scenario as TOML-like data.
    locate : str or callable
        The file it came from, or ``key -> (file, column)`` (see
        :func:`relocation.domain.errors.validation_issues`).
    given : mapping, optional
        The dotted updates applied to ``data``, so that errors name them.

    Raises
    ------
    InputError
    """
    try:
        return Scenario.model_validate(data)
    except pydantic.ValidationError as exc:
        issues = validation_issues(exc, Scenario, locate, given)
        raise InputError(issues, summary="bad setting") from None


def id_tables() -> tuple[str, ...]:
    """Dotted paths of the scenario's tables keyed by an id (``overrides.zone_deadline``)."""
    out = []
    for name, fld in Scenario.model_fields.items():
        section = fld.annotation
        for sub, inner in getattr(section, "model_fields", {}).items():
            if typing.get_origin(inner.annotation) is dict:
                out.append(f"{name}.{sub}")
    return tuple(out)


def _split_key(key: str) -> list[str]:
    for prefix in id_tables():
        if key.startswith(prefix + ".") and len(key) > len(prefix) + 1:
            return [*prefix.split("."), key[len(prefix) + 1 :]]
    return key.split(".")


def set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    """Set ``data[a][b][c] = value`` for ``key = "a.b.c"`` (creating tables as needed).

    A numeric part indexes an existing list item: ``quota.0.min_share`` is the first
    window's minimum. Under an id table the rest of the key is the id. An unknown table
    or key is created, so that validation names it.

    Raises
    ------
    ValueError
        The path cannot be followed (a list index past the end, a key under a value).
    """
    parts = _split_key(key)
    if not key or any(not p.strip() for p in parts):
        raise ValueError("empty part in the dotted key")
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        here = ".".join(parts[:i]) or "the scenario"
        if isinstance(node, list):
            if not part.isdigit():
                raise ValueError(f"{here} is a list: use an item number, e.g. {here}.0")
            if int(part) >= len(node):
                raise ValueError(
                    f"{here}.{part}: no such list item ({here} has {len(node)}; "
                    "items are numbered from 0)"
                )
            if last:
                node[int(part)] = copy.deepcopy(value)
                return
            node = node[int(part)]
            continue
        if not isinstance(node, dict):
            raise ValueError(f"{here} is a value, not a table")
        if last:
            node[part] = copy.deepcopy(value)
            return
        nxt = node.get(part)
        if nxt is None:
            nxt = {}  # an unknown table: validation names it
            node[part] = nxt
        elif not isinstance(nxt, dict | list):
            raise ValueError(f"{'.'.join(parts[: i + 1])} is a value, not a table")
        node = nxt


def unknown_override_ids(
    updates: Mapping[str, Any],
    site_ids: Iterable[str],
    zone_ids: Iterable[str],
    source: str | Mapping[str, str] = "--set",
) -> list[InputIssue]:
    """Issues for updates of ``overrides.*`` naming a site or zone the workspace lacks.

    Parameters
    ----------
    updates : mapping
        Dotted key → value.
    site_ids, zone_ids : iterable of str
        The workspace's ids.
    source : str or mapping
        As :meth:`Scenario.with_overrides`.

    Returns
    -------
    list of InputIssue
        ``unknown site id`` / ``unknown zone id``, valued with the id.
    """
    locate = _locator(source)
    known = {
        "overrides.site_available_from.": (set(site_ids), "unknown site id"),
        "overrides.zone_deadline.": (set(zone_ids), "unknown zone id"),
    }
    issues = []
    for key in updates:
        for prefix, (ids, message) in known.items():
            if key.startswith(prefix) and key[len(prefix) :] not in ids:
                file, column = locate(key)
                issues.append(InputIssue(file, None, column, short(key[len(prefix) :]), message))
    return issues
