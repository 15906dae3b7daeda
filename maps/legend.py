"""The map legend: a collapsible panel of sections, one per meaning (escaped HTML).

Each entry carries ``data-meaning`` and ``data-colour`` attributes, so a browser test can
check that the legend only uses the safe palettes and never one colour for two meanings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maps.text import label, safe_text

_HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Entry:
    """One legend line.

    Parameters
    ----------
    meaning : str
        A key of :data:`relocation.domain.palettes.SCHEME` (what the colour stands for).
    colour : str
        ``#rrggbb``.
    text : str
        Label (unescaped).
    kind : str
        ``"fill"`` (a square), ``"line"``, ``"ring"`` (an open circle), ``"outline"`` (an
        open circle with a thick outline: a marker's outline) or ``"dot"``.
    dash : str, optional
        SVG dash pattern of a line or ring.
    """

    meaning: str
    colour: str
    text: str
    kind: str = "fill"
    dash: str | None = None


def _colour(c: str) -> str:
    c = c.lower()
    if len(c) != 7 or c[0] != "#" or any(ch not in _HEX for ch in c[1:]):
        raise ValueError(f"not a #rrggbb colour: {c!r}")
    return c


def _symbol(e: Entry) -> str:
    c = _colour(e.colour)
    dash = f' stroke-dasharray="{safe_text(e.dash)}"' if e.dash else ""
    if e.kind == "fill":
        body = f'<rect x="1" y="1" width="12" height="12" fill="{c}" stroke="#000000"{dash}/>'
    elif e.kind == "line":
        body = f'<line x1="0" y1="7" x2="22" y2="7" stroke="{c}" stroke-width="3"{dash}/>'
    elif e.kind == "ring":
        body = f'<circle cx="11" cy="7" r="5.5" fill="none" stroke="{c}" stroke-width="1.5"{dash}/>'
    elif e.kind == "outline":
        body = f'<circle cx="11" cy="7" r="5" fill="none" stroke="{c}" stroke-width="3"/>'
    elif e.kind == "dot":
        body = f'<circle cx="11" cy="7" r="5" fill="{c}" stroke="#000000" stroke-width="1"/>'
    else:
        raise ValueError(f"unknown legend symbol {e.kind!r}")
    return f'<svg class="sym" width="22" height="14" aria-hidden="true">{body}</svg>'


def legend_html(
    *, lang: str, title: str, sections: Sequence[tuple[str, Sequence[Entry]]], note: str = ""
) -> str:
    """Build the legend's HTML: a ``<details>`` panel (open; its summary collapses it).

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.
    title : str
        Map title (unescaped).
    sections : Sequence
        (heading, entries) pairs, in display order; headings unescaped.
    note : str
        A closing line (unescaped), e.g. how freed land is drawn by zoom.

    Returns
    -------
    str
        HTML for the legend control.
    """
    parts = [
        '<details class="relocation-legend-box" open>',
        f"<summary>{safe_text(label('legend', lang))}</summary>",
        f'<div class="relocation-legend-body"><h4>{safe_text(title)}</h4>',
    ]
    for heading, entries in sections:
        if not entries:
            continue
        parts.append(f'<section class="lg-section"><h5>{safe_text(heading)}</h5>')
        for e in entries:
            parts.append(
                f'<div class="lg" data-meaning="{safe_text(e.meaning)}" '
                f'data-colour="{_colour(e.colour)}">{_symbol(e)}{safe_text(e.text)}</div>'
            )
        parts.append("</section>")
    if note:
        parts.append(f'<p class="lg-note">{safe_text(note)}</p>')
    parts.append("</div></details>")
    return "".join(parts)
