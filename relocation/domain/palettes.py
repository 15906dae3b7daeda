"""The colour schemes of the map, the charts page and the QGIS styles: one per meaning.

Every colour comes from a published colour-blind-safe palette:

- **move years**: viridis (matplotlib's perceptually uniform sequential map, readable with
  every common colour-vision deficiency), sampled at 11 even steps;
- **site land use**: ColorBrewer sequential *Purples* (3 classes; ColorBrewer marks every
  sequential scheme colour-blind safe);
- **land classes**: the Okabe–Ito qualitative set (Okabe & Ito 2008, "Color Universal
  Design"), because no ColorBrewer qualitative scheme is colour-blind safe beyond 4 classes
  and there are 5 land classes;
- **everything neutral** (zone boundaries, planned lines and TOD rings, move flows, land
  awaiting remediation, firms not moved, cluster bubbles, the thick outline of a fixed
  firm): ColorBrewer sequential *Greys*.

A colour stands for one meaning only: :data:`SCHEME` lists which meaning uses which colours,
and a test checks that no colour appears under two meanings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: viridis at 0.0, 0.1, …, 1.0 (matplotlib's ``viridis`` colour map).
VIRIDIS: tuple[str, ...] = (
    "#440154",
    "#482475",
    "#414487",
    "#355f8d",
    "#2a788e",
    "#21918c",
    "#22a884",
    "#44bf70",
    "#7ad151",
    "#bddf26",
    "#fde725",
)
#: ColorBrewer Purples, 3 classes.
PURPLES_3: tuple[str, ...] = ("#efedf5", "#bcbddc", "#756bb1")
#: ColorBrewer Greys, 9 classes.
GREYS_9: tuple[str, ...] = (
    "#ffffff",
    "#f0f0f0",
    "#d9d9d9",
    "#bdbdbd",
    "#969696",
    "#737373",
    "#525252",
    "#252525",
    "#000000",
)
#: Okabe–Ito: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple.
OKABE_ITO: tuple[str, ...] = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
)

#: The palettes colours may be taken from (a test checks every legend colour is in one).
SAFE_PALETTES: Mapping[str, tuple[str, ...]] = {
    "viridis": VIRIDIS,
    "ColorBrewer Purples": PURPLES_3,
    "ColorBrewer Greys": GREYS_9,
    "Okabe-Ito": OKABE_ITO,
}

#: Land class → colour (Okabe–Ito).
CLASS_COLOURS: Mapping[str, str] = {
    "tod_core": "#d55e00",
    "tod_transition": "#e69f00",
    "social_housing": "#0072b2",
    "commerce_services": "#cc79a7",
    "green_public": "#009e73",
}
#: Freed parcels still awaiting remediation.
REMEDIATION_COLOUR = "#969696"
#: Firms not moved in the plan.
NOT_MOVED_COLOUR = "#d9d9d9"
#: Firms converted in place (issue 10; Okabe–Ito sky blue, used by nothing else).
CONVERTED_COLOUR = "#56b4e9"
#: Cluster bubbles (a count of firms, not a year).
CLUSTER_COLOUR = "#ffffff"
#: The thick outline of a firm whose move is fixed (committed, or locked by a decision);
#: its fill stays its move year's colour.
FIXED_COLOUR = "#000000"
#: Zone boundaries (the zone's kind is told by the line's dash pattern, not its colour).
ZONE_COLOUR = "#525252"
ZONE_DASH: Mapping[str, str | None] = {
    "origin": None,
    "destination": "8 5",
    "both": "8 4 2 4",
    "other": "2 4",
}
#: Planned lines, their stations and the TOD rings (lines told apart by dash pattern).
LINE_COLOUR = "#252525"
LINE_DASHES: tuple[str | None, ...] = (None, "10 6", "2 6", "10 4 2 4")
#: Move flows (origin zone → site).
FLOW_COLOUR = "#737373"
#: Site land use: (label key, colour, upper bound of the share used; None = no bound).
USE_BANDS: tuple[tuple[str, str, float | None], ...] = (
    ("low_use", PURPLES_3[0], 0.5),
    ("mid_use", PURPLES_3[1], 0.9),
    ("high_use", PURPLES_3[2], None),
)

#: Meaning → the colours it uses (years: the whole viridis scale).
SCHEME: Mapping[str, tuple[str, ...]] = {
    "move_year": VIRIDIS,
    "not_moved": (NOT_MOVED_COLOUR,),
    "converted": (CONVERTED_COLOUR,),
    "cluster": (CLUSTER_COLOUR,),
    "fixed": (FIXED_COLOUR,),
    "site_use": PURPLES_3,
    "land_class": tuple(CLASS_COLOURS.values()),
    "remediation": (REMEDIATION_COLOUR,),
    "zone": (ZONE_COLOUR,),
    "line": (LINE_COLOUR,),
    "flow": (FLOW_COLOUR,),
}


def year_colours(years: Sequence[int]) -> dict[int, str]:
    """Map each year to a viridis colour: sequential, so later years read as "further on".

    Parameters
    ----------
    years : Sequence[int]
        Planning years, ascending.

    Returns
    -------
    dict
        Year → hex colour.
    """
    ys = list(years)
    if len(ys) == 1:
        return {ys[0]: VIRIDIS[5]}
    last = len(VIRIDIS) - 1
    return {y: VIRIDIS[round(k * last / (len(ys) - 1))] for k, y in enumerate(ys)}


def use_colour(share: float) -> str:
    """Colour of a site whose used share of released land is ``share`` (0–1)."""
    return next(c for _, c, lim in USE_BANDS if lim is None or share < lim)
