"""Bilingual (Vietnamese / English) labels of output columns and terms.

The workbook's two header rows (Vietnamese over English) come from :data:`COLUMNS`; a test
opens a written workbook and checks every header pair against it.
"""

from __future__ import annotations

#: Column -> (Vietnamese, English).
COLUMNS: dict[str, tuple[str, str]] = {
    "firm_id": ("Mã doanh nghiệp", "Firm id"),
    "firm_name": ("Tên doanh nghiệp", "Firm name"),
    "origin_zone_id": ("Mã vùng đi", "Origin zone id"),
    "origin_zone": ("Vùng đi", "Origin zone"),
    "site_id": ("Mã KCN/CCN đến", "Destination site id"),
    "site_name": ("KCN/CCN đến", "Destination site"),
    "year": ("Năm di dời", "Move year"),
    "fixed": ("Cố định", "Fixed"),
    "permit_vnd": ("Thủ tục, giấy phép (VND)", "Permits (VND)"),
    "dismantle_transport_vnd": ("Tháo dỡ, vận chuyển (VND)", "Dismantling and transport (VND)"),
    "fitout_vnd": ("Xây dựng, lắp đặt (VND)", "Fit-out (VND)"),
    "rent_vnd": ("Tiền thuê đất (VND)", "Land rent (VND)"),
    "downtime_vnd": ("Ngừng sản xuất (VND)", "Downtime (VND)"),
    "surveyed_vnd": ("Chi phí khảo sát (VND)", "Surveyed cost (VND)"),
    "conversion_vnd": ("Chuyển đổi công năng tại chỗ (VND)", "Conversion in place (VND)"),
    "action": ("Hình thức (di dời / chuyển đổi công năng)", "Action (move / convert in place)"),
    "support_vnd": ("Hỗ trợ từ ngân sách (VND)", "Public support (VND)"),
    "commute_vnd": ("Đi lại thêm của người lao động (VND)", "Workers' extra commute (VND)"),
    "attrition_vnd": ("Mất lao động (VND)", "Worker attrition (VND)"),
    "preference_vnd": ("Không theo nguyện vọng (VND)", "Preference not met (VND)"),
    "stability_vnd": ("Thay đổi so với kế hoạch gốc (VND)", "Change from the baseline (VND)"),
    "land_delay_vnd": (
        "Giá trị đất chậm giải phóng (VND)", "Value of freed land lost by waiting (VND)"
    ),
    "supply_split_vnd": ("Chia tách chuỗi cung ứng (VND)", "Supply groups split (VND)"),
    "total_vnd": ("Tổng có trọng số (VND)", "Weighted total (VND)"),
    "distance_km": ("Khoảng cách (km)", "Distance (km)"),
    "employees": ("Số lao động", "Employees"),
    "area_m2": ("Diện tích cần (m²)", "Area needed (m²)"),
    "released_m2": ("Đất đã giao (m²)", "Land released (m²)"),
    "used_m2": ("Đất đã dùng (m²)", "Land used (m²)"),
    "free_m2": ("Đất còn trống (m²)", "Land free (m²)"),
    "moves": ("Số doanh nghiệp di dời", "Firms moved"),
    "share": ("Tỷ lệ đã di dời", "Share moved"),
    # Freed-land sheets (relocation/domain/land_ledger.py): every total says what it counts.
    "zone_id": ("Mã vùng (đơn vị cũ)", "Zone id (former unit)"),
    "ward_2025": ("Phường/xã từ 1/7/2025", "Ward/commune since 1 Jul 2025"),
    "freed_ha": ("Đất đã giải phóng (ha)", "Land freed (ha)"),
    "usable_ha": ("Đất sử dụng được (ha)", "Land usable (ha)"),
    "awaiting_remediation_ha": ("Đất chờ xử lý môi trường (ha)", "Awaiting remediation (ha)"),
    "tod_core_ha": ("Sử dụng được: lõi TOD (ha)", "Usable: TOD core (ha)"),
    "tod_transition_ha": ("Sử dụng được: chuyển tiếp TOD (ha)", "Usable: TOD transition (ha)"),
    "social_housing_ha": ("Sử dụng được: nhà ở xã hội (ha)", "Usable: social housing (ha)"),
    "commerce_services_ha": (
        "Sử dụng được: thương mại – dịch vụ (ha)",
        "Usable: commerce and services (ha)",
    ),
    "green_public_ha": ("Sử dụng được: cây xanh – công cộng (ha)", "Usable: green space (ha)"),
    "social_housing_units": ("Số căn NOXH (đất sử dụng được)", "Social-housing units (usable)"),
    "parcels_freed": ("Số thửa đã giải phóng", "Parcels freed"),
    # Cumulative tables (site load, freed land): the state at the end of a year, not a move.
    "end_of_year": ("Tính đến hết năm", "As of the end of year"),
    "zone_name": ("Khu vực", "Zone"),
    # The summary sheet's columns.
    "item_vi": ("Chỉ tiêu", "Item (Vietnamese)"),
    "item_en": ("Chỉ tiêu (tiếng Anh)", "Item"),
    "value": ("Giá trị", "Value"),
    "baseline_site_id": ("KCN/CCN theo kế hoạch gốc", "Baseline site"),
    "baseline_year": ("Năm theo kế hoạch gốc", "Baseline year"),
    "new_site_id": ("KCN/CCN mới", "New site"),
    "new_year": ("Năm mới", "New year"),
    "why": ("Lý do thay đổi", "Why"),
    "rule": ("Quy định", "Rule"),
    "saving_vnd": ("Tiết kiệm (VND)", "Saving (VND)"),
}

#: Terms of the summary sheet (one word per meaning: "khoảng cách" is a distance).
TERMS: dict[str, tuple[str, str]] = {
    "gap": ("Sai số tối ưu (gap)", "Optimality gap"),
    "best_bound": ("Cận dưới (VND)", "Best bound (VND)"),
}


#: Solver statuses of a run (``summary.json`` ``status``) in words: status -> (vi, en).
SOLVER_STATUS: dict[str, tuple[str, str]] = {
    "OPTIMAL": ("Tối ưu", "Optimal"),
    "FEASIBLE": ("Khả thi", "Feasible"),
    "INFEASIBLE": ("Không khả thi", "Infeasible"),
    "UNKNOWN": ("Không có phương án trong thời hạn", "No plan within the time limit"),
}


def status_word(status: str, lang: str = "vi") -> str:
    """A solver status of :data:`SOLVER_STATUS` in ``vi`` or ``en`` (as given when unknown)."""
    vi, en = SOLVER_STATUS.get(str(status), (str(status), str(status)))
    return vi if lang == "vi" else en


#: Values of the ``fixed`` column (:class:`relocation.domain.status.Fixed`): code -> (vi, en).
FIXED: dict[str, tuple[str, str]] = {
    "committed": ("đã ký (cam kết)", "committed"),
    "locked_site_year": (
        "khóa nơi đến và năm (quyết định)", "site and year locked (decision)"
    ),
    "locked_site": ("khóa nơi đến (quyết định)", "site locked (decision)"),
    "locked_year": ("khóa năm (quyết định)", "year locked (decision)"),
}


def fixed_label(code: str, lang: str | None = None) -> str:
    """A :data:`FIXED` value in ``vi``, ``en`` or both (``None``: "vi / en"); ``""`` for none."""
    if not code:
        return ""
    vi, en = FIXED[code]
    return {"vi": vi, "en": en}.get(lang or "", f"{vi} / {en}")


def fixed_code(text: str) -> str:
    """The :data:`FIXED` code of a ``fixed`` cell as :func:`fixed_label` wrote it (or a code).

    Raises
    ------
    KeyError
        For text that is no ``fixed`` value.
    """
    if not text or text in FIXED:
        return text
    for code in FIXED:
        if text in (fixed_label(code), *FIXED[code]):
            return code
    raise KeyError(text)


def label(column: str, lang: str = "vi") -> str:
    """Label of a column in ``vi`` or ``en`` (the column name when unknown)."""
    vi, en = COLUMNS.get(column, (column, column))
    return vi if lang == "vi" else en


def term(key: str, lang: str = "vi") -> str:
    """A term of :data:`TERMS` in ``vi`` or ``en``."""
    vi, en = TERMS[key]
    return vi if lang == "vi" else en
