"""Write a Folium map as one self-contained HTML file that works without internet.

folium 0.20 links Leaflet, jQuery, Bootstrap, Font Awesome and plugins from CDNs (note
§1.1). We render, then replace each known CDN tag by the same library inlined from the
installed XStatic wheels (Leaflet 1.9.3, Leaflet.markercluster 1.4.1, jQuery 3.7.1), drop
the assets our maps never use (Bootstrap, Font Awesome, awesome-markers: no
``folium.Icon``), and refuse to write a file that still points at the network.
Third-party JS is read from the installed packages, never committed to the repository.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import tempfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

logger = logging.getLogger(__name__)

_LEAFLET = Path(xstatic.pkg.leaflet.BASE_DIR)
_CLUSTER = Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)
_JQUERY = Path(xstatic.pkg.jquery.BASE_DIR)

#: CDN file name → local file. Matched on the URL's last path segment.
_JS = {
    "leaflet.js": _LEAFLET / "leaflet.js",
    "leaflet.markercluster.js": _CLUSTER / "leaflet.markercluster.js",
    "jquery-3.7.1.min.js": _JQUERY / "jquery.min.js",
    "jquery.min.js": _JQUERY / "jquery.min.js",
}
_CSS = {
    "leaflet.css": _LEAFLET / "leaflet.css",
    "MarkerCluster.css": _CLUSTER / "MarkerCluster.css",
    "MarkerCluster.Default.css": _CLUSTER / "MarkerCluster.Default.css",
}
#: Assets folium always links but our maps do not use (no Icon, no Bootstrap widgets).
_DROP = re.compile(
    r"bootstrap|fontawesome|font-awesome|awesome-markers|awesome\.rotate|glyphicons", re.I
)

_SCRIPT_SRC = re.compile(r"<script\s+src=\"([^\"]+)\"\s*>\s*</script>", re.I)
_LINK_CSS = re.compile(r"<link\s+rel=\"stylesheet\"\s+href=\"([^\"]+)\"\s*/?>", re.I)
_SOURCE_MAP = re.compile(r"(//# sourceMappingURL=\S+|/\*# sourceMappingURL=.*?\*/)")
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


class OfflineAssetError(RuntimeError):
    """The rendered map still refers to a network resource (or an unknown asset)."""


def _js(path: Path) -> str:
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
    # Inside <script>, "</script" would end the element and "<!--" changes parsing.
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _css(path: Path) -> str:
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))

    def data_uri(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        target = (path.parent / ref).resolve()
        if _REMOTE.match(ref) or not target.is_file():
            raise OfflineAssetError(f"{path.name}: cannot inline url({ref})")
        mime = "image/png" if target.suffix == ".png" else "application/octet-stream"
        b64 = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{b64})"

    return _CSS_URL.sub(data_uri, text).replace("</style", "<\\/style")


def _asset_name(url: str) -> str:
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def inline_assets(html: str) -> str:
    """Replace folium's CDN ``<script>``/``<link>`` tags by inlined local copies.

    Parameters
    ----------
    html : str
        ``m.get_root().render()`` output.

    Returns
    -------
    str
        Self-contained HTML.

    Raises
    ------
    OfflineAssetError
        If a tag refers to an asset with no local copy, or a network reference remains.
    """

    def replacer(
        kind: str, local: dict[str, Path], tag: str, body: Callable[[Path], str]
    ) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            url = match.group(1)
            name = _asset_name(url)
            if name in local:
                return f"<{tag}>{body(local[name])}</{tag}>"
            if _DROP.search(url):
                return ""
            raise OfflineAssetError(f"no local copy of {kind} {url}")

        return replace

    script = replacer("script", _JS, "script", _js)
    link = replacer("stylesheet", _CSS, "style", _css)
    out = _LINK_CSS.sub(link, _SCRIPT_SRC.sub(script, html))
    check_offline(out)
    return out


class _Resources(HTMLParser):
    """Collect every resource reference a browser would fetch from the page's tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video") and a.get("src"):
            self.refs.append(a["src"])
        if tag == "link" and a.get("href"):
            self.refs.append(a["href"])
        if "style" in a:
            self.refs += _CSS_URL.findall(a["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.refs += _CSS_URL.findall(data)


def check_offline(html: str) -> None:
    """Raise if a tag or stylesheet of ``html`` points at the network.

    Tags are parsed, not grepped: inlined Leaflet legitimately contains the text
    ``https://leafletjs.com`` (an attribution link, not a resource).

    Parameters
    ----------
    html : str
        The page.

    Raises
    ------
    OfflineAssetError
        If a ``<script src>``, ``<link href>``, media ``src`` or CSS ``url(...)`` refers to
        ``http://``, ``https://`` or ``//``.
    """
    parser = _Resources()
    parser.feed(html)
    parser.close()
    remote = [r for r in parser.refs if _REMOTE.match(r)]
    if remote:
        raise OfflineAssetError(
            f"the map still loads {len(remote)} remote resource(s): {remote[:5]}"
        )


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write ``m`` as a self-contained offline HTML file, atomically.

    The page is rendered, its CDN assets are inlined, the result is checked for network
    references, then written to a temporary file in the target folder and renamed, so a
    reader never sees a half-written map.

    Parameters
    ----------
    m : folium.Map
        The map (e.g. from :func:`maps.render.render_map`).
    path : str or os.PathLike
        Output file, e.g. ``runs/demo/map.html``. Its folder must exist.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    OfflineAssetError
        If the map needs an asset with no local copy.
    """
    out = Path(path)
    html = inline_assets(m.get_root().render())
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; a map is shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    logger.info("wrote %s (%d bytes)", out, out.stat().st_size)
    return out
