"""The map legend: land classes, move years, zones, sites, lines and flows (escaped HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from maps.text import label, safe_text


def legend_html(
    *,
    lang: str,
    title: str,
    class_colours: Mapping[str, tuple[str, str]],
    year_colours: Mapping[int, str],
    zone_colours: Mapping[str, str],
    line_colours: Mapping[str, str],
    use_colours: Sequence[tuple[str, str]],
    flow_unit: str,
) -> str:
    """Build the legend's HTML; every label goes through ``safe_text``.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.
    title : str
        Map title (unescaped).
    class_colours : Mapping
        Land class id → (label, colour).
    year_colours : Mapping
        Move year → colour (``0`` for firms not moved in the plan).
    zone_colours : Mapping
        Zone kind → colour.
    line_colours : Mapping
        Line name → colour.
    use_colours : Sequence
        (label, colour) of the site-use bands.
    flow_unit : str
        ``"firms"`` or ``"workers"``.

    Returns
    -------
    str
        HTML for the legend control.
    """

    def sw(colour: str, text: str, dashed: bool = False) -> str:
        style = f"background:{colour}"
        if dashed:
            style += ";border-style:dashed"
        return f'<div><span class="sw" style="{style}"></span>{safe_text(text)}</div>'

    def ln(colour: str, text: str) -> str:
        return (
            f'<div><span class="ln" style="border-top-color:{colour}"></span>'
            f"{safe_text(text)}</div>"
        )

    parts = [f"<h4>{safe_text(title)}</h4>"]
    parts.append(f"<h5>{safe_text(label('freed', lang))}</h5>")
    parts += [sw(c, lbl) for lbl, c in class_colours.values()]
    parts.append(sw("#9e9e9e", label("remediation", lang), dashed=True))
    parts.append(f"<h5>{safe_text(label('firms', lang))}</h5>")
    for year, c in year_colours.items():
        text = label("not_moved", lang) if year == 0 else f"{label('moved_in', lang)} {year}"
        parts.append(sw(c, text))
    parts.append(
        f"<h5>{safe_text(label('sites', lang))}: {safe_text(label('share_used', lang))}</h5>"
    )
    parts += [sw(c, lbl) for lbl, c in use_colours]
    parts.append(f"<h5>{safe_text(label('zones', lang))}</h5>")
    for kind, c in zone_colours.items():
        parts.append(sw(c, label(f"zone_{kind}", lang)))
    if line_colours:
        parts.append(f"<h5>{safe_text(label('lines', lang))}</h5>")
        parts += [ln(c, name) for name, c in line_colours.items()]
    parts.append(f"<h5>{safe_text(label('flows', lang))}</h5>")
    unit = label("firms_n" if flow_unit == "firms" else "workers_n", lang)
    parts.append(ln("#6a3d9a", f"{label('flow_width', lang)} {unit}"))
    return "".join(parts)
