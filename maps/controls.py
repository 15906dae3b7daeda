"""Own Leaflet controls for the relocation map: year view, legend, title, attribution.

Their JS and CSS live in ``maps/assets`` (our code, committed) and are inlined by the
templates, so a rendered map needs nothing beyond Leaflet and MarkerCluster.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from folium.elements import MacroElement
from folium.template import Template


def _asset(name: str) -> str:
    return resources.files("maps").joinpath("assets", name).read_text(encoding="utf-8")


class MapAssets(MacroElement):
    """Inline the year-control script and the controls' CSS into the page header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapAssets"
        self.css = _asset("map.css")
        self.js = _asset("year_control.js")


class YearControl(MacroElement):
    """Year buttons (and play) that show the plan's state at the end of each year.

    Parameters
    ----------
    spec : dict
        ``years`` (list of int), ``initial`` (int), ``labels`` (``year``, ``play``:
        escaped text), ``groups`` (list of ``{"layer", "parent", "from", "to"}`` with
        folium elements and years; ``to`` None for open-ended), ``cluster`` (a
        ``MarkerCluster`` or None), ``fields`` (escaped popup labels) and ``firms``
        (rows ``[lat, lon, year|None, colour, [escaped values in fields order], fixed]``,
        ``fixed`` 1 for a firm whose move is fixed, as a ``JsCode`` of compact JSON).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.relocationYears(
            {{ this._parent.get_name() }}, {{ this.spec|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()
        self._name = "YearControl"
        self.spec = spec


class HtmlControl(MacroElement):
    """A Leaflet control holding fixed, already-escaped HTML (legend, title).

    Parameters
    ----------
    html : str
        Escaped HTML content.
    position : str
        Leaflet corner, e.g. ``"bottomright"``.
    element_id : str
        ``id`` of the control's ``div`` (tests look for ``#legend``).
    css_class : str
        CSS class of the ``div``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var c = L.control({position: {{ this.position|tojavascript }}});
            c.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojavascript }});
                div.id = {{ this.element_id|tojavascript }};
                div.innerHTML = {{ this.html|tojavascript }};
                L.DomEvent.disableScrollPropagation(div);
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            c.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, position: str, element_id: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.element_id = element_id
        self.css_class = css_class


class ZoomClasses(MacroElement):
    """Keep ``rz-N`` classes on the map container for each threshold ``N`` <= the zoom.

    The stylesheet shows labels and freed parcels from their zoom on (``maps/assets``).

    Parameters
    ----------
    thresholds : list of int
        Zoom levels.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.relocationZoomClasses(
            {{ this._parent.get_name() }}, {{ this.thresholds|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, thresholds: list[int]) -> None:
        super().__init__()
        self._name = "ZoomClasses"
        self.thresholds = [int(t) for t in thresholds]


class Attribution(MacroElement):
    """Add an (escaped) attribution line to the map's attribution control.

    Parameters
    ----------
    text : str
        Escaped HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution(
            {{ this.text|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text
