"""QGIS styles (QML) of the run GeoPackage's layers, in the map's colours.

The styles go into the GeoPackage's ``layer_styles`` table, where QGIS looks for a layer's
default style when the layer is added: the layers then open drawn as on the HTML map
(firms by move year in viridis, sites by share of land used in ColorBrewer Purples, freed
parcels by land class in Okabe–Ito, zones, lines and flows in neutral greys). The colours
come from :mod:`relocation.domain.palettes`, the one source shared with the map.

Symbol layers carry their properties both as ``<Option type="Map">`` and as the legacy
``<prop k v>`` elements, as QGIS 3.16–3.22 themselves write them, so that QGIS 3.22 (Debian
12) and later versions read them alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.palettes import (
    CLASS_COLOURS,
    FLOW_COLOUR,
    LINE_COLOUR,
    NOT_MOVED_COLOUR,
    REMEDIATION_COLOUR,
    USE_BANDS,
    ZONE_COLOUR,
    ZONE_DASH,
    year_colours,
)

_QGIS_VERSION = "3.22.16-Białowieża"


def _rgba(colour: str, alpha: int = 255) -> str:
    c = colour.lstrip("#")
    return f"{int(c[0:2], 16)},{int(c[2:4], 16)},{int(c[4:6], 16)},{alpha}"


def _props(values: Mapping[str, str]) -> str:
    opts = "".join(
        f'<Option type="QString" name="{escape(k)}" value="{escape(v)}"/>'
        for k, v in values.items()
    )
    legacy = "".join(f'<prop k="{escape(k)}" v="{escape(v)}"/>' for k, v in values.items())
    return f'<Option type="Map">{opts}</Option>{legacy}'


def _marker(fill: str, outline: str = "#000000", size: float = 2.4) -> str:
    return _symbol_layer(
        "marker",
        "SimpleMarker",
        {
            "name": "circle",
            "color": _rgba(fill),
            "outline_color": _rgba(outline),
            "outline_width": "0.3",
            "outline_style": "solid",
            "size": f"{size}",
            "size_unit": "MM",
        },
    )


def _fill(fill: str, alpha: int, outline: str, dash: str | None = None) -> str:
    props = {
        "color": _rgba(fill, alpha),
        "style": "solid",
        "outline_color": _rgba(outline),
        "outline_width": "0.4",
        "outline_style": "dash" if dash else "solid",
        "joinstyle": "bevel",
    }
    return _symbol_layer("fill", "SimpleFill", props)


def _line(colour: str, width: float, alpha: int = 255, dash: str | None = None) -> str:
    props = {
        "line_color": _rgba(colour, alpha),
        "line_width": f"{width}",
        "line_width_unit": "MM",
        "line_style": "dash" if dash else "solid",
        "capstyle": "round",
        "joinstyle": "round",
    }
    if dash:
        props["use_custom_dash"] = "1"
        props["customdash"] = ";".join(dash.split())
        props["customdash_unit"] = "Pixel"
    return _symbol_layer("line", "SimpleLine", props)


def _symbol_layer(kind: str, cls: str, props: Mapping[str, str]) -> str:
    return (
        f'<symbol type="{kind}" name="@NAME@" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{cls}" enabled="1" pass="0" locked="0">{_props(props)}</layer>'
        "</symbol>"
    )


def _named(symbol: str, name: str) -> str:
    return symbol.replace("@NAME@", escape(name), 1)


def _qml(renderer: str) -> str:
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis version="{_QGIS_VERSION}" styleCategories="Symbology">{renderer}</qgis>'
    )


def _single(symbol: str) -> str:
    return _qml(
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<symbols>{_named(symbol, '0')}</symbols></renderer-v2>"
    )


def _categorized(attr: str, cats: Sequence[tuple[str, str, str]]) -> str:
    """``cats``: (value, label, symbol); value ``""`` is QGIS's "all other values"."""
    c = "".join(
        f'<category symbol="{i}" value="{escape(v)}" label="{escape(lbl)}" render="true"/>'
        for i, (v, lbl, _) in enumerate(cats)
    )
    s = "".join(_named(sym, str(i)) for i, (_, _, sym) in enumerate(cats))
    return _qml(
        f'<renderer-v2 type="categorizedSymbol" attr="{escape(attr)}" symbollevels="0" '
        f'enableorderby="0" forceraster="0"><categories>{c}</categories>'
        f"<symbols>{s}</symbols></renderer-v2>"
    )


def _graduated(expr: str, ranges: Sequence[tuple[float, float, str, str]]) -> str:
    r = "".join(
        f'<range symbol="{i}" lower="{lo}" upper="{hi}" label="{escape(lbl)}" render="true"/>'
        for i, (lo, hi, lbl, _) in enumerate(ranges)
    )
    s = "".join(_named(sym, str(i)) for i, (_, _, _, sym) in enumerate(ranges))
    return _qml(
        f'<renderer-v2 type="graduatedSymbol" attr="{escape(expr)}" '
        'graduatedMethod="GraduatedColor" '
        f'symbollevels="0" enableorderby="0" forceraster="0"><ranges>{r}</ranges>'
        f"<symbols>{s}</symbols></renderer-v2>"
    )


def layer_qml(years: Sequence[int], lang: str = "vi") -> dict[str, str]:
    """QML style of each layer of the run GeoPackage.

    Parameters
    ----------
    years : Sequence[int]
        The planning horizon (firms are coloured by move year).
    lang : str
        Category labels in ``"vi"`` or ``"en"``.

    Returns
    -------
    dict
        Layer name → QML text.
    """
    vi = lang == "vi"
    li = 0 if vi else 1
    yc = year_colours(list(years))
    firms = [(str(y), str(y), _marker(c)) for y, c in yc.items()]
    not_moved = "Chưa di dời trong kế hoạch" if vi else "Not moved"
    firms.append(("", not_moved, _marker(NOT_MOVED_COLOUR)))
    bounds = [0.0, 0.5, 0.9, 1000.0]
    use_labels = ("< 50 %", "50–90 %", "≥ 90 %")
    sites = [
        (bounds[i], bounds[i + 1], use_labels[i], _marker(c, size=4.0))
        for i, (_, c, _) in enumerate(USE_BANDS)
    ]
    freed = [(k, LAND_CLASSES[k][li], _fill(c, 200, c)) for k, c in CLASS_COLOURS.items()]
    freed.append(("", "Khác" if vi else "Other", _fill(REMEDIATION_COLOUR, 160, "#000000")))
    zone_labels = {
        "origin": ("Khu vực di dời đi", "Origin zone"),
        "destination": ("Khu vực tiếp nhận", "Destination zone"),
        "both": ("Khu vực vừa đi vừa đến", "Origin and destination"),
        "other": ("Khu vực khác", "Other zone"),
    }
    zones = [
        (k, zone_labels[k][li], _fill(ZONE_COLOUR, 10, ZONE_COLOUR, dash))
        for k, dash in ZONE_DASH.items()
    ]
    return {
        "firms": _categorized("move_year", firms),
        "sites": _graduated('if("released_m2" > 0, "used_m2" / "released_m2", 0)', sites),
        "moves": _single(_line(FLOW_COLOUR, 0.3, 140)),
        "freed_land": _categorized("land_class", freed),
        "zones": _categorized("kind", zones),
        "stations": _single(_marker("#ffffff", LINE_COLOUR, 2.2)),
    }


_CREATE = """
CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    f_table_catalog TEXT(256),
    f_table_schema TEXT(256),
    f_table_name TEXT(256),
    f_geometry_column TEXT(256),
    styleName TEXT(30),
    styleQML TEXT,
    styleSLD TEXT,
    useAsDefault BOOLEAN,
    description TEXT,
    owner TEXT(30),
    ui TEXT(30),
    update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
)
"""


def write_layer_styles(gpkg: Path, styles: Mapping[str, str]) -> None:
    """Add (or replace) the default QGIS style of each named layer of ``gpkg``.

    The ``layer_styles`` table has QGIS's own schema and is registered in
    ``gpkg_contents`` as an attributes table, as QGIS does when it saves a style there.
    Layers missing from the file are skipped.

    Parameters
    ----------
    gpkg : pathlib.Path
        An existing GeoPackage.
    styles : Mapping
        Layer name → QML.
    """
    con = sqlite3.connect(gpkg)
    try:
        with con:
            geom = dict(
                con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
            )
            con.execute(_CREATE)
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                "description, last_change) VALUES ('layer_styles', 'attributes', "
                "'layer_styles', '', strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
            )
            for layer, qml in styles.items():
                if layer not in geom:
                    continue
                con.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer,))
                con.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                    "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, "
                    "description, owner, ui) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', '')",
                    (layer, geom[layer], layer, qml, "relocation: the map's colours"),
                )
    finally:
        con.close()
