"""Map labels in Vietnamese (default) and English, and the escaping of shown text."""

from __future__ import annotations

import html
import json
from typing import Any

#: Characters that would break out of (or be evaluated in) a JS template literal, which is
#: how folium 0.20 embeds Tooltip and Popup text (note §1.7).
_TEMPLATE_LITERAL = str.maketrans({"\\": "&#92;", "`": "&#96;", "$": "&#36;"})

LANGS = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Kế hoạch di dời doanh nghiệp Bình Dương", "Bình Dương enterprise relocation plan"),
    "attribution": (
        "Ranh giới và vị trí mang tính minh hoạ (gần đúng ±2–5 km)",
        "Boundaries and locations are approximate (±2–5 km)",
    ),
    "zones": ("Khu vực (đi / đến)", "Zones (origin / destination)"),
    "zone_origin": ("Khu vực di dời đi", "Origin zone"),
    "zone_destination": ("Khu vực tiếp nhận", "Destination zone"),
    "zone_both": ("Khu vực vừa đi vừa đến", "Origin and destination"),
    "zone_other": ("Khu vực khác", "Other zone"),
    "zone": ("Khu vực", "Zone"),
    "kind": ("Loại", "Kind"),
    "deadline": ("Hạn di dời", "Deadline"),
    "lines": ("Tuyến đường sắt dự kiến và nhà ga", "Planned lines and stations"),
    "tod": ("Vành đai TOD", "TOD rings"),
    "tod_core_ring": ("Bán kính lõi TOD", "TOD core radius"),
    "tod_transition_ring": ("Bán kính chuyển tiếp TOD", "TOD transition radius"),
    "station": ("Nhà ga", "Station"),
    "opens": ("khai thác", "opens"),
    "freed": ("Đất được giải phóng", "Freed land"),
    "remediation": ("Đang chờ xử lý môi trường", "Awaiting remediation"),
    "flows": ("Luồng di dời", "Relocation flows"),
    "sites": ("Khu / cụm công nghiệp tiếp nhận", "Destination parks and clusters"),
    "firms": ("Doanh nghiệp thuộc diện di dời", "Slated firms"),
    "not_moved": ("Chưa di dời trong kế hoạch", "Not moved in the plan"),
    "converted": ("Chuyển đổi công năng tại chỗ", "Converted in place"),
    "moved_in": ("Di dời năm", "Moves in"),
    "year": ("Năm", "Year"),
    "play": ("Phát", "Play"),
    "sector": ("Ngành", "Sector"),
    "employees": ("Lao động", "Workers"),
    "destination": ("Nơi đến", "Destination"),
    "cost": ("Chi phí", "Cost"),
    "bn_vnd": ("tỷ đồng", "VND bn"),
    "firms_n": ("doanh nghiệp", "firms"),
    "workers_n": ("lao động", "workers"),
    "by_year": ("đến năm", "by"),
    "released": ("Đất đã mở", "Land released"),
    "used": ("Đã sử dụng", "Used"),
    "free": ("Còn trống", "Free"),
    "land_class": ("Loại đất", "Land class"),
    "reason": ("Lý do", "Reason"),
    "available": ("Sử dụng từ năm", "Usable from"),
    "area": ("Diện tích", "Area"),
    "name": ("Tên", "Name"),
    "legend": ("Chú giải", "Legend"),
    "share_used": ("Tỷ lệ đất đã dùng", "Share of land used"),
    "low_use": ("< 50 %", "< 50 %"),
    "mid_use": ("50–90 %", "50–90 %"),
    "high_use": ("≥ 90 %", "≥ 90 %"),
    "flow_width": ("Độ dày: số", "Width: number of"),
    "firm_id": ("Mã doanh nghiệp", "Firm id"),
    "move_year": ("Năm di dời", "Move year"),
    "support": ("Trong đó hỗ trợ từ ngân sách", "Of which public support"),
    "cluster": ("Nhóm điểm (số là số doanh nghiệp)", "Cluster (the number counts firms)"),
    "fixed": ("Cố định", "Fixed"),
    "fixed_legend": ("Cố định (đã ký, hoặc khóa)", "Fixed (committed, or locked)"),
    "main_terms": ("Khoản chi phí chính", "Main cost terms"),
    "alternative": ("Phương án thay thế tốt nhất", "Best alternative"),
    "nearest_other": ("KCN/CCN gần nhất không chọn", "Nearest site not chosen"),
    "costs_more": ("cả kế hoạch tốn thêm", "the whole plan costs more by"),
    "saves": ("cả kế hoạch tiết kiệm", "the whole plan saves"),
    "possible_more": ("khả thi, cả kế hoạch tốn thêm", "possible, the whole plan costs more by"),
    "possible_saves": ("khả thi, cả kế hoạch tiết kiệm", "possible, the whole plan saves"),
    "no_alternative": ("không có phương án thay thế khả thi", "no feasible alternative"),
    "freed_by_zoom": (
        "Đất giải phóng: tổng theo khu vực (ha, theo loại); phóng to từ mức {zoom} để xem "
        "từng thửa.",
        "Freed land: totals by zone (ha, by class); zoom to level {zoom} or closer for parcels.",
    ),
}


def label(key: str, lang: str) -> str:
    """Return the label ``key`` in ``lang`` (``"vi"`` or ``"en"``), unescaped.

    Parameters
    ----------
    key : str
        A key of ``LABELS``.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        The label text.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LABELS[key][LANGS.index(lang)]


def safe_text(value: Any) -> str:
    """HTML-escape ``value`` and neutralise JS template-literal syntax.

    Use for everything that reaches folium's ``Tooltip``/``Popup`` or our own HTML:
    ``<``, ``>``, ``&``, quotes, backticks, ``$`` and backslashes become entities, so a
    firm named ``<img onerror=…>`` or ``${…}`` is shown, never run.

    Parameters
    ----------
    value : Any
        Text (converted with ``str``).

    Returns
    -------
    str
        Escaped text, safe in HTML and inside a JS template literal.
    """
    return html.escape(str(value), quote=True).translate(_TEMPLATE_LITERAL)


def fmt_int(value: float, lang: str) -> str:
    """Format a whole number with the language's thousands separator (``.`` in vi).

    Parameters
    ----------
    value : float
        The number (rounded).
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        E.g. ``12.345`` (vi) or ``12,345`` (en).
    """
    s = f"{round(value):,}"
    return s.replace(",", ".") if lang == "vi" else s


def fmt_dec(value: float, lang: str, digits: int = 1) -> str:
    """Format a decimal number (``,`` as the decimal mark in vi).

    Parameters
    ----------
    value : float
        The number.
    lang : str
        ``"vi"`` or ``"en"``.
    digits : int
        Decimals.

    Returns
    -------
    str
        E.g. ``12,5`` (vi) or ``12.5`` (en).
    """
    s = f"{value:,.{digits}f}"
    if lang == "vi":
        s = s.replace(",", " ").replace(".", ",").replace(" ", ".")
    return s


def compact_json(value: Any) -> str:
    """Serialise ``value`` as compact JSON that is safe inside a ``<script>`` element.

    UTF-8 is kept (Vietnamese text stays 1–3 bytes a character instead of 6-byte
    escapes); ``<``, ``>``, ``&``, ``'`` and the JS line separators are escaped.

    Parameters
    ----------
    value : Any
        JSON-serialisable data.

    Returns
    -------
    str
        A JavaScript expression.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text
