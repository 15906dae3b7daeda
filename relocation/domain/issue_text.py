"""What the workspace validators write about bad input, in English and Vietnamese.

The wording of every issue message lives here, in the domain, so that ``geodata/`` (which
may import only ``relocation.domain``) writes its messages from these templates with
:func:`issue_text`, and the application (``relocation/messages.py``) shows the same message
in Vietnamese: it merges :data:`ISSUES` into its catalogue and matches an English message
against these templates to fill in the Vietnamese one with the same values.
"""

from __future__ import annotations

from typing import Any

#: Issue key (``issue.*``) -> (English template, Vietnamese template): ``str.format``
#: templates with the same fields (a test checks them).
ISSUES: dict[str, tuple[str, str]] = {
    "issue.missing_column": (
        "required column is missing",
        "thiếu cột bắt buộc",
    ),
    "issue.missing_column_found": (
        "missing required column{why} (columns found: {found})",
        "thiếu cột bắt buộc{why} (các cột có: {found})",
    ),
    "issue.missing_col": (
        "missing column",
        "thiếu cột",
    ),
    "issue.missing": (
        "missing",
        "thiếu",
    ),
    "issue.not_number": (
        "not a number",
        "không phải là số",
    ),
    "issue.not_number_hint": (
        "not a number (use '.' for decimals and no thousands separators)",
        "không phải là số (dùng '.' cho phần thập phân và không dùng dấu phân cách hàng nghìn)",
    ),
    "issue.not_whole": (
        "not a whole number",
        "không phải là số nguyên",
    ),
    "issue.not_bool": (
        "not a boolean",
        "không phải giá trị đúng/sai",
    ),
    "issue.not_allowed": (
        "not an allowed value",
        "không phải giá trị được phép",
    ),
    "issue.must_gt": (
        "must be > {minimum}",
        "phải > {minimum}",
    ),
    "issue.must_ge": (
        "must be ≥ {minimum}",
        "phải ≥ {minimum}",
    ),
    "issue.duplicate": (
        "duplicate {column} (rows {rows})",
        "{column} bị trùng (các dòng {rows})",
    ),
    "issue.duplicate_id": (
        "duplicate firm id",
        "mã doanh nghiệp bị trùng",
    ),
    "issue.unknown_ref": (
        "unknown {target}: {ids}",
        "không có {target}: {ids}",
    ),
    "issue.unknown_site": (
        "unknown site id",
        "không có mã địa điểm này",
    ),
    "issue.unknown_zone": (
        "unknown zone id",
        "không có mã vùng này",
    ),
    "issue.unknown_key": (
        "unknown key {key}; {table} has {keys}",
        "khoá lạ {key}; {table} có {keys}",
    ),
    "issue.unknown_column": (
        "unknown column, ignored",
        "cột lạ, bỏ qua",
    ),
    "issue.no_folder": (
        "no such folder",
        "không có thư mục này",
    ),
    "issue.not_folder": (
        "not a folder",
        "không phải thư mục",
    ),
    "issue.not_utf8": (
        "not UTF-8 text",
        "không phải văn bản UTF-8",
    ),
    "issue.geometry": (
        "missing or empty geometry",
        "thiếu hình học hoặc hình học rỗng",
    ),
    "issue.lang": (
        "must be vi or en",
        "phải là vi hoặc en",
    ),
    "issue.tiles": (
        "must be osm",
        "phải là osm",
    ),
    "issue.set_syntax": (
        "expected key=value, e.g. limits.max_moves_per_year=500",
        "cần dạng khoá=giá_trị, ví dụ limits.max_moves_per_year=500",
    ),
    "issue.explain_which": (
        "give a FIRM_ID or --all (one of them)",
        "cho một FIRM_ID hoặc --all (một trong hai)",
    ),
    "issue.no_firm": (
        "the run has no such firm",
        "lần chạy không có doanh nghiệp này",
    ),
    "issue.out_exists": (
        "the output folder exists; pass --force to replace it",
        "thư mục kết quả đã có; thêm --force để thay nó",
    ),
    "issue.out_not_folder": (
        "exists and is not a folder; choose another --out",
        "đã có và không phải thư mục; hãy chọn --out khác",
    ),
    "issue.two_files": (
        "two files for table '{table}': {names}; keep one",
        "hai tệp cho bảng '{table}': {names}; hãy giữ một",
    ),
    "issue.required_table": (
        "required table '{table}' is missing: expected one of {exts} or a '{table}' layer in "
        "{gpkg}",
        "thiếu bảng bắt buộc '{table}': cần một trong các tệp {exts} hoặc lớp '{table}' trong "
        "{gpkg}",
    ),
    "issue.gpkg_unreadable": (
        "cannot read the GeoPackage (truncated or corrupt?): {error}",
        "không đọc được GeoPackage (bị cắt cụt hoặc hỏng?): {error}",
    ),
    "issue.file_too_big": (
        "the file is {size_mb:,.0f} MB; the limit is {limit_mb} MB",
        "tệp có {size_mb:,.0f} MB; giới hạn là {limit_mb} MB",
    ),
    "issue.file_larger_than": (
        "the file is larger than {limit_mb} MB",
        "tệp lớn hơn {limit_mb} MB",
    ),
    "issue.too_many_rows": (
        "{rows:,} rows; at most {limit:,} {table} rows are supported",
        "{rows:,} dòng; chỉ hỗ trợ tối đa {limit:,} dòng {table}",
    ),
    "issue.nul_bytes": (
        "the file contains NUL bytes: it is binary (or UTF-16), not a UTF-8 text file",
        "tệp chứa byte NUL: đây là tệp nhị phân (hoặc UTF-16), không phải tệp văn bản UTF-8",
    ),
    "issue.read_as_cp1258": (
        "the file is not UTF-8; it was read as Windows-1258 (Vietnamese legacy encoding). Save it "
        "as UTF-8 to silence this warning",
        "tệp không phải UTF-8; đã được đọc theo Windows-1258 (bảng mã tiếng Việt cũ). Hãy lưu lại "
        "dưới dạng UTF-8 để tắt cảnh báo này",
    ),
    "issue.bad_utf8": (
        "the file is not valid UTF-8 (byte 0x{byte:02x} on line {line}) and is not recognisable "
        "Windows-1258 either; save it as UTF-8 (Excel: 'CSV UTF-8')",
        "tệp không phải UTF-8 hợp lệ (byte 0x{byte:02x} ở dòng {line}) và cũng không nhận ra được "
        "là Windows-1258; hãy lưu dưới dạng UTF-8 (Excel: 'CSV UTF-8')",
    ),
    "issue.bad_utf8_truncated": (
        "the file is not valid UTF-8 (byte 0x{byte:02x} on line {line}) (the file may be "
        "truncated) and is not recognisable Windows-1258 either; save it as UTF-8 (Excel: 'CSV "
        "UTF-8')",
        "tệp không phải UTF-8 hợp lệ (byte 0x{byte:02x} ở dòng {line}) (tệp có thể bị cắt cụt) và "
        "cũng không nhận ra được là Windows-1258; hãy lưu dưới dạng UTF-8 (Excel: 'CSV UTF-8')",
    ),
    "issue.zip_not_csv": (
        "the file is a zip archive (an .xlsx renamed?), not CSV text",
        "tệp là tệp nén zip (một tệp .xlsx bị đổi tên?), không phải văn bản CSV",
    ),
    "issue.malformed_csv": (
        "malformed CSV near line {line}: {error} (an unclosed quote, or a truncated file?)",
        "CSV sai định dạng gần dòng {line}: {error} (dấu ngoặc kép chưa đóng, hoặc tệp bị cắt "
        "cụt?)",
    ),
    "issue.empty_file": (
        "the file is empty: a header row is required",
        "tệp rỗng: cần một dòng tiêu đề",
    ),
    "issue.row_fields": (
        "the row has {fields} fields but the header has {width}",
        "dòng có {fields} trường nhưng tiêu đề có {width}",
    ),
    "issue.row_fields_truncated": (
        "the row has {fields} fields but the header has {width} (the file looks truncated)",
        "dòng có {fields} trường nhưng tiêu đề có {width} (tệp có vẻ bị cắt cụt)",
    ),
    "issue.header_cell_empty": (
        "header cell {cell} is empty",
        "ô tiêu đề thứ {cell} bị trống",
    ),
    "issue.column_twice": (
        "the column appears twice in the header",
        "cột xuất hiện hai lần trong tiêu đề",
    ),
    "issue.xlsx_unreadable": (
        "not a readable .xlsx workbook (truncated, corrupt or another format?): {error}",
        "không phải bảng tính .xlsx đọc được (bị cắt cụt, hỏng hoặc định dạng khác?): {error}",
    ),
    "issue.first_sheet_empty": (
        "the first sheet is empty: a header row is required",
        "trang tính đầu tiên rỗng: cần một dòng tiêu đề",
    ),
    "issue.beyond_header": (
        "the row has values beyond the header's {width} columns",
        "dòng có giá trị nằm ngoài {width} cột của tiêu đề",
    ),
    "issue.file_unreadable": (
        "cannot read the file (truncated, corrupt or not {suffix}?): {error}",
        "không đọc được tệp (bị cắt cụt, hỏng hoặc không phải {suffix}?): {error}",
    ),
    "issue.no_crs": (
        "the layer has geometries but no CRS; declare one",
        "lớp có hình học nhưng không có hệ quy chiếu (CRS); hãy khai báo một hệ",
    ),
    "issue.same_attribute_name": (
        "two attribute columns have the same name (ignoring case)",
        "hai cột thuộc tính trùng tên (không phân biệt chữ hoa, chữ thường)",
    ),
    "issue.value_required": (
        "a value is required",
        "cần một giá trị",
    ),
    "issue.number_required": (
        "a number is required",
        "cần một số",
    ),
    "issue.too_large": (
        "the number is too large",
        "số quá lớn",
    ),
    "issue.too_large_max": (
        "the number is too large (at most {maximum:,})",
        "số quá lớn (tối đa {maximum:,})",
    ),
    "issue.whole_required": (
        "a whole number is required",
        "cần một số nguyên",
    ),
    "issue.bool_required": (
        "a boolean is required (true/false, 1/0, yes/no, có/không)",
        "cần giá trị đúng/sai (true/false, 1/0, yes/no, có/không)",
    ),
    "issue.not_bool_hint": (
        "not a boolean (true/false, 1/0, yes/no, có/không)",
        "không phải giá trị đúng/sai (true/false, 1/0, yes/no, có/không)",
    ),
    "issue.value_required_one_of": (
        "a value is required: one of {allowed}",
        "cần một giá trị: một trong {allowed}",
    ),
    "issue.not_allowed_one_of": (
        "not an allowed value: one of {allowed}",
        "không phải giá trị được phép: một trong {allowed}",
    ),
    "issue.no_geometry_layer": (
        "the layer has no geometry: points (or parcels) are required",
        "lớp không có hình học: cần điểm (hoặc thửa đất)",
    ),
    "issue.feature_no_geometry": (
        "the feature has no geometry",
        "đối tượng không có hình học",
    ),
    "issue.wrong_geometry": (
        "expected {allowed}, got {got}",
        "cần {allowed}, nhận được {got}",
    ),
    "issue.invalid_polygon": (
        "invalid polygon: {why}",
        "đa giác không hợp lệ: {why}",
    ),
    "issue.polygon_not_point": (
        "expected a Polygon or MultiPolygon, got Point",
        "cần Polygon hoặc MultiPolygon, nhận được Point",
    ),
    "issue.no_scenario": (
        "required file scenario.toml is missing",
        "thiếu tệp bắt buộc scenario.toml",
    ),
    "issue.bad_toml": (
        "not valid TOML: {why}",
        "không phải TOML hợp lệ: {why}",
    ),
    "issue.no_file": (
        "no such file",
        "không có tệp này",
    ),
    "issue.grid_section": (
        "unknown section (expected [grid] or [[scenarios]])",
        "mục lạ (cần [grid] hoặc [[scenarios]])",
    ),
    "issue.grid_table": (
        "expected a [grid] table",
        "cần một bảng [grid]",
    ),
    "issue.grid_empty": (
        "empty list of values",
        "danh sách giá trị rỗng",
    ),
    "issue.grid_scenarios_table": (
        "expected a [[scenarios]] table",
        "cần một bảng [[scenarios]]",
    ),
    "issue.grid_unknown_key": (
        "unknown key (expected name and set)",
        "khoá lạ (cần name và set)",
    ),
    "issue.grid_needs_name": (
        "every [[scenarios]] entry needs a name",
        "mỗi mục [[scenarios]] cần có tên (name)",
    ),
    "issue.grid_expected_table": (
        "expected a table",
        "cần một bảng",
    ),
    "issue.no_rows": (
        "the {table} table has no rows (at least one is needed)",
        "bảng {table} không có dòng nào (cần ít nhất một dòng)",
    ),
    "issue.zones_polygons": (
        "zones are polygons: give them as zones.geojson, zones.gpkg or a 'zones' layer of "
        "workspace.gpkg",
        "vùng là đa giác: hãy cung cấp dưới dạng zones.geojson, zones.gpkg hoặc lớp 'zones' của "
        "workspace.gpkg",
    ),
    "issue.pair_twice": (
        "the firm–site pair is listed twice (rows {rows})",
        "cặp doanh nghiệp – địa điểm bị liệt kê hai lần (các dòng {rows})",
    ),
    "issue.station_outside": (
        "the station lies {km:.1f} km outside the study area (the zones, plus {buffer_km:g} km)",
        "nhà ga nằm ngoài vùng nghiên cứu {km:.1f} km (các vùng, cộng thêm {buffer_km:g} km)",
    ),
    "issue.outside_horizon": (
        "outside the horizon {start}–{end}",
        "ngoài kỳ kế hoạch {start}–{end}",
    ),
    "issue.earliest_after_end": (
        "earliest_year is after the horizon end {end}: the firm cannot move in it",
        "earliest_year sau năm cuối kỳ kế hoạch {end}: doanh nghiệp không thể di dời trong kỳ",
    ),
    "issue.unusually_large": (
        "unusually large ({m2:,.0f} m² = {ha:g} ha or more): check the unit",
        "lớn bất thường (từ {m2:,.0f} m² = {ha:g} ha trở lên): hãy kiểm tra đơn vị",
    ),
    "issue.unusually_small": (
        "unusually small (under {m2:g} m²): check the unit",
        "nhỏ bất thường (dưới {m2:g} m²): hãy kiểm tra đơn vị",
    ),
    "issue.unusually_many": (
        "unusually many employees (over {n:,})",
        "số lao động nhiều bất thường (trên {n:,})",
    ),
    "issue.deadline_before_start": (
        "deadline_year is before the horizon start {start}: its mandatory firms cannot meet it",
        "deadline_year trước năm đầu kỳ kế hoạch {start}: các doanh nghiệp bắt buộc của vùng "
        "không thể đáp ứng",
    ),
    "issue.no_free_land": (
        "the site has no free land",
        "địa điểm không còn đất trống",
    ),
    "issue.land_short": (
        "mandatory firms still to move need {need_ha:,.1f} ha; sites release at most "
        "{released_ha:,.1f} ha by {end} (after firms moved earlier): a plan may be infeasible",
        "các doanh nghiệp bắt buộc còn phải di dời cần {need_ha:,.1f} ha; các địa điểm chỉ giao "
        "tối đa {released_ha:,.1f} ha đến hết {end} (sau khi trừ doanh nghiệp đã chuyển trước): "
        "kế hoạch có thể không khả thi",
    ),
    "issue.polluting_no_site": (
        "{n} mandatory firms are polluting (high) but no site accepts polluting firms: a plan is "
        "infeasible",
        "{n} doanh nghiệp bắt buộc gây ô nhiễm (cao) nhưng không địa điểm nào nhận doanh nghiệp "
        "gây ô nhiễm: kế hoạch không khả thi",
    ),
    "issue.needs_site": (
        "a '{status}' row needs the site",
        "dòng '{status}' cần có địa điểm",
    ),
    "issue.takes_no_site": (
        "a '{status}' firm takes no site: leave site_id blank",
        "doanh nghiệp '{status}' không nhận địa điểm: để trống site_id",
    ),
    "issue.year_or_star": (
        "a year or * is required",
        "cần một năm hoặc *",
    ),
    "issue.both_star": (
        "site_id and year are both *: name a site, a year or both",
        "site_id và year đều là *: hãy nêu địa điểm, năm hoặc cả hai",
    ),
    "issue.already_moved": (
        "the firm already moved in {year} (firms.moved_year): one record per firm",
        "doanh nghiệp đã di dời năm {year} (firms.moved_year): mỗi doanh nghiệp một bản ghi",
    ),
    "issue.after_end": (
        "the year is after the horizon end {end}",
        "năm sau năm cuối kỳ kế hoạch {end}",
    ),
    "issue.committed_in_horizon": (
        "a committed move must be in the horizon {start}–{end}",
        "một cam kết di dời phải nằm trong kỳ kế hoạch {start}–{end}",
    ),
    "issue.bad_toml_col": (
        "not valid TOML at column {col}: {why}",
        "không phải TOML hợp lệ ở cột {col}: {why}",
    ),
    "issue.firm_outside_zone_in": (
        "the firm's point (lon {lon:.5f}, lat {lat:.5f}) lies outside its zone {zone}; it lies in "
        "zone {other}",
        "điểm của doanh nghiệp (kinh độ {lon:.5f}, vĩ độ {lat:.5f}) nằm ngoài vùng {zone} của nó; "
        "điểm nằm trong vùng {other}",
    ),
    "issue.firm_outside_zone_none": (
        "the firm's point (lon {lon:.5f}, lat {lat:.5f}) lies outside its zone {zone}; it lies in "
        "no zone",
        "điểm của doanh nghiệp (kinh độ {lon:.5f}, vĩ độ {lat:.5f}) nằm ngoài vùng {zone} của nó; "
        "điểm không thuộc vùng nào",
    ),
    "issue.site_outside_zone_in": (
        "the site's point (lon {lon:.5f}, lat {lat:.5f}) lies outside its zone {zone}; it lies in "
        "zone {other}",
        "điểm của địa điểm (kinh độ {lon:.5f}, vĩ độ {lat:.5f}) nằm ngoài vùng {zone} của nó; "
        "điểm nằm trong vùng {other}",
    ),
    "issue.site_outside_zone_none": (
        "the site's point (lon {lon:.5f}, lat {lat:.5f}) lies outside its zone {zone}; it lies in "
        "no zone",
        "điểm của địa điểm (kinh độ {lon:.5f}, vĩ độ {lat:.5f}) nằm ngoài vùng {zone} của nó; "
        "điểm không thuộc vùng nào",
    ),
    "issue.latlon_swapped": (
        "lat/lon look swapped (the coordinates read as latitude, longitude)",
        "vĩ độ/kinh độ có vẻ bị đảo (toạ độ được đọc là vĩ độ, kinh độ)",
    ),
    "issue.columns_swapped": (
        "{second}/{first} look swapped",
        "{second}/{first} có vẻ bị đảo",
    ),
    "issue.no_wgs84": (
        "cannot be converted from {crs} to WGS84",
        "không chuyển được từ {crs} sang WGS84",
    ),
    "issue.outside_vietnam_bounds": (
        "outside Vietnam (lon {lon0:g}–{lon1:g}, lat {lat0:g}–{lat1:g}): bounds {minx:.5f}, "
        "{miny:.5f}, {maxx:.5f}, {maxy:.5f}",
        "ngoài lãnh thổ Việt Nam (kinh độ {lon0:g}–{lon1:g}, vĩ độ {lat0:g}–{lat1:g}): khung bao "
        "{minx:.5f}, {miny:.5f}, {maxx:.5f}, {maxy:.5f}",
    ),
    "issue.outside_vietnam_after": (
        "outside Vietnam (lon {lon0:g}–{lon1:g}, lat {lat0:g}–{lat1:g}) after conversion: lon "
        "{lon:.5f}, lat {lat:.5f}",
        "ngoài lãnh thổ Việt Nam (kinh độ {lon0:g}–{lon1:g}, vĩ độ {lat0:g}–{lat1:g}) sau khi "
        "chuyển đổi: kinh độ {lon:.5f}, vĩ độ {lat:.5f}",
    ),
    "issue.whole_year_required": (
        "a whole year is required",
        "cần một năm (số nguyên)",
    ),
    "issue.not_whole_year": (
        "not a whole year",
        "không phải là năm (số nguyên)",
    ),
    "issue.whole_year_star_required": (
        "a whole year or * is required",
        "cần một năm (số nguyên) hoặc *",
    ),
    "issue.not_whole_year_star": (
        "not a whole year or *",
        "không phải là năm (số nguyên) hoặc *",
    ),
    "issue.moved_before_start": (
        "moved_year must be before the horizon start {start} (firms moved later are planned, not "
        "given)",
        "moved_year phải trước năm đầu kỳ kế hoạch {start} (doanh nghiệp chuyển sau đó được lập "
        "kế hoạch, không nhập sẵn)",
    ),
    "issue.available_from_required": (
        "available_from is required for a site without site_phases rows",
        "cần available_from cho địa điểm không có dòng nào trong site_phases",
    ),
    "issue.outputs_bad_which": (
        "must be a comma-separated list of: {choices}",
        "phải là danh sách phân tách bằng dấu phẩy gồm: {choices}",
    ),
    "issue.outputs_not_run": (
        "neither a run folder (summary.json) nor a sweep folder (sweep.json)",
        "không phải thư mục lần chạy (summary.json) cũng không phải thư mục quét (sweep.json)",
    ),
    "issue.pyd_ge": (
        "Input should be greater than or equal to {limit}",
        "phải lớn hơn hoặc bằng {limit}",
    ),
    "issue.pyd_gt": (
        "Input should be greater than {limit}",
        "phải lớn hơn {limit}",
    ),
    "issue.pyd_le": (
        "Input should be less than or equal to {limit}",
        "phải nhỏ hơn hoặc bằng {limit}",
    ),
    "issue.pyd_lt": (
        "Input should be less than {limit}",
        "phải nhỏ hơn {limit}",
    ),
    "issue.pyd_number": (
        "Input should be a valid number, unable to parse string as a number",
        "phải là một số (không đọc được chuỗi thành số)",
    ),
    "issue.pyd_int_fraction": (
        "Input should be a valid integer, got a number with a fractional part",
        "phải là số nguyên (giá trị có phần thập phân)",
    ),
    "issue.pyd_int_parse": (
        "Input should be a valid integer, unable to parse string as an integer",
        "phải là số nguyên (không đọc được chuỗi thành số nguyên)",
    ),
    "issue.pyd_bool": (
        "Input should be a valid boolean, unable to interpret input",
        "phải là giá trị đúng/sai (không hiểu được giá trị)",
    ),
    "issue.pyd_expected": (
        "Input should be {expected}",
        "phải là {expected}",
    ),
    "issue.pyd_finite": (
        "Input should be a finite number",
        "phải là một số hữu hạn",
    ),
    "issue.end_before_start": (
        "end ({end}) is before start ({start})",
        "năm cuối ({end}) trước năm đầu ({start})",
    ),
    "issue.horizon_too_long": (
        "the horizon may span at most 41 years",
        "kỳ kế hoạch dài tối đa 41 năm",
    ),
    "issue.min_above_max": (
        "min_share ({lo}) is above max_share ({hi})",
        "min_share ({lo}) lớn hơn max_share ({hi})",
    ),
    "issue.min_moves_above_max": (
        "min_moves_per_year {lo} is above max_moves_per_year {hi}",
        "min_moves_per_year {lo} lớn hơn max_moves_per_year {hi}",
    ),
    "issue.transition_below_core": (
        "tod_transition_m must not be below tod_core_m",
        "tod_transition_m không được nhỏ hơn tod_core_m",
    ),
    "issue.two_windows": (
        "two quota windows for by_year {year}",
        "hai cửa sổ chỉ tiêu cho cùng by_year {year}",
    ),
    "issue.window_outside": (
        "quota[{i}].by_year {year} is outside the horizon {start}–{end}",
        "quota[{i}].by_year {year} nằm ngoài kỳ kế hoạch {start}–{end}",
    ),
    "issue.value_not_table": (
        "{key} is a value, not a table",
        "{key} là một giá trị, không phải một bảng",
    ),
    "issue.list_needs_item": (
        "{key} is a list: use an item number, e.g. {key}.0",
        "{key} là một danh sách: hãy dùng số thứ tự, ví dụ {key}.0",
    ),
    "issue.pyd_either": (
        "Input should be {first} or {second}",
        "phải là {first} hoặc {second}",
    ),
    "issue.firm_zone_kind": (
        "a firm's zone must be of kind origin or both",
        "vùng của doanh nghiệp phải thuộc loại origin hoặc both",
    ),
    "issue.site_zone_kind": (
        "a site's zone must be of kind destination or both",
        "vùng của địa điểm phải thuộc loại destination hoặc both",
    ),
    "issue.moved_site_required": (
        "moved_year is given, so moved_site_id is required (both or neither)",
        "đã có moved_year nên cần moved_site_id (có cả hai hoặc không có cả hai)",
    ),
    "issue.moved_year_required": (
        "moved_site_id is given, so moved_year is required (both or neither)",
        "đã có moved_site_id nên cần moved_year (có cả hai hoặc không có cả hai)",
    ),
    "issue.deadline_required": (
        "the zone has slated firms, so deadline_year is required",
        "vùng có doanh nghiệp phải di dời nên cần deadline_year",
    ),
    "issue.free_area_required": (
        "free_area_m2 is required for a site without site_phases rows",
        "cần free_area_m2 cho địa điểm không có dòng nào trong site_phases",
    ),
    "issue.site_refuses_sector": (
        "site {site} does not accept the firm's sector {sector}",
        "địa điểm {site} không nhận ngành {sector} của doanh nghiệp",
    ),
    "issue.site_refuses_polluting": (
        "site {site} does not accept polluting firms ({firm})",
        "địa điểm {site} không nhận doanh nghiệp gây ô nhiễm ({firm})",
    ),
    "issue.site_too_small": (
        "firm {firm} needs {m2:,.0f} m², more than site {site} accepts ({limit:,.0f} m²)",
        "doanh nghiệp {firm} cần {m2:,.0f} m², nhiều hơn mức địa điểm {site} nhận ({limit:,.0f} "
        "m²)",
    ),
    "issue.site_over_full": (
        "site {site} is over-full in {year}: moved and committed firms need {used:,.0f} m², "
        "{released:,.0f} m² released by then",
        "địa điểm {site} quá tải năm {year}: các doanh nghiệp đã chuyển và cam kết chuyển cần "
        "{used:,.0f} m², đến lúc đó mới giao {released:,.0f} m²",
    ),
}


def issue_text(key: str, /, **values: Any) -> str:
    """The English message of issue ``key`` (``issue.`` may be left out) with ``values``.

    Raises
    ------
    KeyError
        The key is not in :data:`ISSUES`.
    """
    full = key if key.startswith("issue.") else f"issue.{key}"
    return ISSUES[full][0].format(**values)
