"""Finding a workspace's tables and reading them as text, with every problem collected.

Readers return every cell as stripped text (``RawTable``) so that conversion, in
``geodata.columns``, can name the file, row, column and value of each bad cell. Row numbers
are the ones a spreadsheet shows (header = row 1, first data row = row 2); for GeoJSON and
GeoPackage they are 1-based feature numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from relocation.domain.errors import InputIssue
from relocation.domain.issue_text import issue_text

logger = logging.getLogger(__name__)

#: Every table a workspace may hold, in reading order.
TABLES = (
    "sectors", "zones", "sites", "site_phases", "firms", "stations", "pairs", "actuals",
    "decisions",
)
REQUIRED_TABLES = frozenset({"firms", "sites", "zones", "stations", "sectors"})
TABLE_EXTENSIONS = (".csv", ".xlsx", ".geojson", ".gpkg")
GEO_EXTENSIONS = (".geojson", ".gpkg")
WORKSPACE_GPKG = "workspace.gpkg"
SCENARIO_FILE = "scenario.toml"

#: Refuse larger inputs outright: beyond these the planner is not the right tool anyway, and a
#: bounded read keeps a mistaken path (a disk image, a log) from exhausting memory.
MAX_FILE_BYTES = 500 * 1024 * 1024
MAX_ROWS = {
    "firms": 200_000,
    "sites": 5_000,
    "zones": 5_000,
    "stations": 10_000,
    "sectors": 1_000,
    "site_phases": 100_000,
    "pairs": 2_000_000,
    "actuals": 200_000,
    "decisions": 200_000,
}

_VALUE_CHARS = 60
#: Letters (and combining tone marks) that only Vietnamese text decoded from Windows-1258 has.
_VIETNAMESE_MARKS = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")


def short(value: object) -> str:
    """Return ``value`` as text cut to a readable length for messages."""
    text = str(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


class IssueLog:
    """Collects input issues so that every problem is reported at once."""

    def __init__(self) -> None:
        self.issues: list[InputIssue] = []

    def error(
        self,
        file: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        """Record an error."""
        self._add(file, message, row, column, value, "error")

    def warn(
        self,
        file: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        """Record a warning (printed; does not stop the run)."""
        self._add(file, message, row, column, value, "warning")

    def _add(
        self, file: str, message: str, row: int | None, column: str | None, value: object,
        severity: str,
    ) -> None:
        val = None if value is None else short(value)
        self.issues.append(InputIssue(file, row, column, val, message, severity))

    @property
    def errors(self) -> list[InputIssue]:
        """The issues of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[InputIssue]:
        """The issues of severity ``warning``."""
        return [i for i in self.issues if i.severity == "warning"]


@dataclass(frozen=True)
class TableSource:
    """Where one table comes from.

    Attributes
    ----------
    name : str
        Table name (``firms``, ``sites``, ...).
    path : pathlib.Path
        The file.
    layer : str or None
        The layer, for a table held in ``workspace.gpkg``.
    label : str
        The name used in messages: the file name, or ``workspace.gpkg:<layer>``.
    """

    name: str
    path: Path
    layer: str | None
    label: str

    @property
    def is_geo(self) -> bool:
        """Whether the source is a GeoJSON or GeoPackage (rows are features)."""
        return self.path.suffix.lower() in GEO_EXTENSIONS


@dataclass
class RawTable:
    """A table read as text.

    Attributes
    ----------
    source : TableSource
        Where it was read from.
    data : pandas.DataFrame
        Every column as stripped ``str`` (``""`` for blank); lower-case column names.
    rows : numpy.ndarray
        int, the row (or feature) number of each record as the user sees it.
    geometry : numpy.ndarray or None
        Shapely geometries in ``crs`` (``None`` entries for missing ones), or ``None`` for a
        table without geometry.
    crs : pyproj.CRS or None
        CRS of ``geometry``.
    """

    source: TableSource
    data: pd.DataFrame
    rows: np.ndarray
    geometry: np.ndarray | None = None
    crs: CRS | None = None

    @property
    def label(self) -> str:
        """File name used in messages."""
        return self.source.label

    def __len__(self) -> int:
        return len(self.data)


def discover_tables(root: Path, log: IssueLog) -> dict[str, TableSource]:
    """Find each table's file in a workspace folder.

    Parameters
    ----------
    root : pathlib.Path
        The workspace folder.
    log : IssueLog
        Receives a missing required table or two candidates for one table.

    Returns
    -------
    dict
        Table name → its source, for the tables found once.
    """
    by_lower = {p.name.lower(): p for p in sorted(root.iterdir()) if p.is_file()}
    candidates: dict[str, list[TableSource]] = {t: [] for t in TABLES}
    for table in TABLES:
        for ext in TABLE_EXTENSIONS:
            path = by_lower.get(table + ext)
            if path is not None:
                candidates[table].append(TableSource(table, path, None, path.name))
    gpkg = by_lower.get(WORKSPACE_GPKG)
    if gpkg is not None:
        for layer in _list_layers(gpkg, log):
            table = layer.lower()
            if table in candidates:
                label = f"{gpkg.name}:{layer}"
                candidates[table].append(TableSource(table, gpkg, layer, label))
    found: dict[str, TableSource] = {}
    for table, options in candidates.items():
        if len(options) > 1:
            names = " and ".join(o.label for o in options)
            log.error(options[0].label, issue_text("two_files", table=table, names=names))
        elif options:
            found[table] = options[0]
        elif table in REQUIRED_TABLES:
            exts = ", ".join(table + e for e in TABLE_EXTENSIONS)
            log.error(
                table + ".csv",
                issue_text("required_table", table=table, exts=exts, gpkg=WORKSPACE_GPKG),
            )
    return found


def _list_layers(path: Path, log: IssueLog) -> list[str]:
    import pyogrio

    if not _size_ok(path, path.name, log):
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL raises several types for unreadable files
        log.error(path.name, issue_text("gpkg_unreadable", error=exc))
        return []


def _size_ok(path: Path, label: str, log: IssueLog) -> bool:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        log.error(
            label,
            issue_text("file_too_big", size_mb=size / 2**20, limit_mb=MAX_FILE_BYTES // 2**20),
        )
        return False
    return True


def read_table(source: TableSource, log: IssueLog) -> RawTable | None:
    """Read one table as text.

    Parameters
    ----------
    source : TableSource
        Where the table is.
    log : IssueLog
        Receives unreadable files, encoding problems and malformed rows.

    Returns
    -------
    RawTable or None
        ``None`` when the file cannot be read at all (the reason is in ``log``).
    """
    if source.layer is None and not _size_ok(source.path, source.label, log):
        return None
    ext = source.path.suffix.lower()
    if ext == ".csv":
        table = _read_csv(source, log)
    elif ext == ".xlsx":
        table = _read_xlsx(source, log)
    else:
        table = _read_geo(source, log)
    if table is None:
        return None
    limit = MAX_ROWS[source.name]
    if len(table) > limit:
        log.error(
            source.label,
            issue_text("too_many_rows", rows=len(table), limit=limit, table=source.name),
        )
        return None
    return table


def decode_text(data: bytes, label: str, log: IssueLog) -> str | None:
    """Decode a text file: UTF-8 (BOM accepted), else recognisable Windows-1258.

    Windows-1258 (Vietnamese legacy Windows) decodes almost any byte string, so it is only
    accepted when the result contains letters that Vietnamese text has and other Western
    code pages do not; anything else is refused rather than garbled.

    Parameters
    ----------
    data : bytes
        File contents.
    label : str
        File name for messages.
    log : IssueLog
        Receives the refusal, or a warning when Windows-1258 was used.

    Returns
    -------
    str or None
        Text in Unicode NFC, or ``None`` if refused.
    """
    if b"\x00" in data:
        log.error(
            label,
            issue_text("nul_bytes"),
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        try:
            legacy = data.decode("cp1258")
        except UnicodeDecodeError:
            legacy = None
        if legacy is not None and _VIETNAMESE_MARKS & set(legacy):
            log.warn(
                label,
                issue_text("read_as_cp1258"),
            )
            return unicodedata.normalize("NFC", legacy)
        key = "bad_utf8_truncated" if exc.start >= len(data) - 3 else "bad_utf8"
        log.error(label, issue_text(key, byte=byte, line=line))
        return None
    # NFC so that an id typed with decomposed diacritics matches the same id elsewhere.
    return unicodedata.normalize("NFC", text)


def _read_csv(source: TableSource, log: IssueLog) -> RawTable | None:
    data = source.path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        log.error(source.label, issue_text("zip_not_csv"))
        return None
    text = decode_text(data, source.label, log)
    if text is None:
        return None
    first_line = text.split("\n", 1)[0]
    # Excel in locales with a decimal comma saves CSV with ';' between fields.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, fields in enumerate(reader, start=1):
            records.append((number, fields))
    except csv.Error as exc:
        log.error(
            source.label,
            issue_text("malformed_csv", line=reader.line_num, error=exc),
        )
        return None
    records = [(n, f) for n, f in records if any(v.strip() for v in f)]
    if not records:
        log.error(source.label, issue_text("empty_file"))
        return None
    header_row, header = records[0]
    columns = _header(header, source.label, header_row, log)
    if columns is None:
        return None
    width = len(columns)
    rows: list[int] = []
    values: list[list[str]] = []
    last = records[-1][0]
    for number, fields in records[1:]:
        if len(fields) > width and not any(v.strip() for v in fields[width:]):
            fields = fields[:width]  # trailing separators, as some exports add
        if len(fields) != width:
            cut = number == last and len(fields) < width
            log.error(
                source.label,
                issue_text("row_fields_truncated" if cut else "row_fields", fields=len(fields),
                           width=width),
                row=number,
            )
            continue
        rows.append(number)
        values.append([v.strip() for v in fields])
    frame = pd.DataFrame(values, columns=columns, dtype=str) if values else _empty(columns)
    return RawTable(source, frame, np.asarray(rows, dtype=np.int64))


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in columns})


def _header(fields: list[Any], label: str, row: int, log: IssueLog) -> list[str] | None:
    names = [unicodedata.normalize("NFC", cell_text(f)).strip().lower() for f in fields]
    while names and not names[-1]:
        names.pop()
    ok = True
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not name:
            log.error(label, issue_text("header_cell_empty", cell=i + 1), row=row)
            ok = False
        elif name in seen:
            log.error(label, issue_text("column_twice"), row=row, column=name)
            ok = False
        seen.add(name)
    return names if ok else None


def cell_text(value: Any) -> str:
    """Text of a spreadsheet or GIS attribute value (``""`` for blank).

    Whole floats print without ``.0`` (Excel stores every number as a float) so that ids and
    years survive; dates print in ISO form.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if np.isnan(number):
            return ""
        if np.isfinite(number) and number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value).strip()


def _read_xlsx(source: TableSource, log: IssueLog) -> RawTable | None:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                raw_rows = [
                    (number, list(cells))
                    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
            finally:
                book.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        log.error(
            source.label,
            issue_text("xlsx_unreadable", error=exc),
        )
        return None
    records = [(n, [cell_text(v) for v in cells]) for n, cells in raw_rows]
    records = [(n, c) for n, c in records if any(c)]
    if not records:
        log.error(source.label, issue_text("first_sheet_empty"))
        return None
    header_row, header = records[0]
    columns = _header(header, source.label, header_row, log)
    if columns is None:
        return None
    width = len(columns)
    rows: list[int] = []
    values: list[list[str]] = []
    for number, cells in records[1:]:
        if any(cells[width:]):
            log.error(
                source.label,
                issue_text("beyond_header", width=width),
                row=number,
            )
            continue
        cells = (cells + [""] * width)[:width]
        rows.append(number)
        values.append([unicodedata.normalize("NFC", c) for c in cells])
    frame = pd.DataFrame(values, columns=columns, dtype=str) if values else _empty(columns)
    return RawTable(source, frame, np.asarray(rows, dtype=np.int64))


def _read_geo(source: TableSource, log: IssueLog) -> RawTable | None:
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(source.path, layer=source.layer, on_invalid="ignore")
    except Exception as exc:  # GDAL raises several types for unreadable files
        log.error(
            source.label, issue_text("file_unreadable", suffix=source.path.suffix, error=exc),
        )
        return None
    geometry = None
    crs = None
    if "geometry" in frame.columns:
        geometry = np.array(
            [None if g is None or pd.isna(g) else g for g in frame.geometry.array], dtype=object
        )
        crs = frame.crs
        frame = pd.DataFrame(frame.drop(columns="geometry"))
        if crs is None and any(g is not None for g in geometry):
            log.error(source.label, issue_text("no_crs"))
            return None
    columns = [unicodedata.normalize("NFC", str(c)).strip().lower() for c in frame.columns]
    if len(set(columns)) != len(columns):
        log.error(source.label, issue_text("same_attribute_name"))
        return None
    texts = {
        name: pd.Series(
            [unicodedata.normalize("NFC", cell_text(v)) for v in frame[orig]], dtype=str
        )
        for name, orig in zip(columns, frame.columns, strict=True)
    }
    data = pd.DataFrame(texts) if texts else pd.DataFrame(index=range(len(frame)))
    data = data.reset_index(drop=True)
    rows = np.arange(1, len(data) + 1, dtype=np.int64)
    return RawTable(source, data, rows, geometry, crs)


_TOML_POS = re.compile(r"at line (\d+), column (\d+)")


def toml_error_position(message: str) -> tuple[int | None, int | None]:
    """Line and column of a ``tomllib.TOMLDecodeError`` message (Python 3.11 keeps no attrs)."""
    match = _TOML_POS.search(message)
    if match is None:
        return None, None
    return int(match.group(1)), int(match.group(2))
