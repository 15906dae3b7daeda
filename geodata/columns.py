"""Typed conversion of text columns, reporting file, row, column and value of each bad cell."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geodata.tables import IssueLog, RawTable
from relocation.domain.issue_text import issue_text

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")
#: Largest whole number accepted: exact as a float, and far from int64 overflow in the model.
MAX_INTEGER = 2**53 - 1
TRUE_WORDS = frozenset({"true", "1", "yes", "có", "y", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "không", "n", "f"})


def has_columns(raw: RawTable, log: IssueLog, columns: Iterable[str], why: str = "") -> bool:
    """Check that required columns exist, reporting each missing one.

    Parameters
    ----------
    raw : RawTable
        The table.
    log : IssueLog
        Receives one error per missing column.
    columns : iterable of str
        Required column names.
    why : str
        Extra explanation appended to the message.

    Returns
    -------
    bool
        Whether all are present.
    """
    ok = True
    for col in columns:
        if col not in raw.data.columns:
            found = ", ".join(raw.data.columns) or "none"
            log.error(
                raw.label, f"missing required column{why} (columns found: {found})", column=col
            )
            ok = False
    return ok


def _cells(raw: RawTable, col: str) -> pd.Series:
    if col in raw.data.columns:
        return raw.data[col]
    return pd.Series([""] * len(raw), dtype=str)


def text(raw: RawTable, log: IssueLog, col: str, required: bool = True) -> pd.Series:
    """Text column; with ``required``, a blank cell is an error.

    Returns
    -------
    pandas.Series
        ``str`` values (``""`` where blank or absent).
    """
    values = _cells(raw, col)
    if required and col in raw.data.columns:
        for pos in np.flatnonzero((values == "").to_numpy()):
            log.error(raw.label, issue_text("value_required"), row=int(raw.rows[pos]), column=col,
                      value="")
    return values.astype(str).reset_index(drop=True)


def number(
    raw: RawTable,
    log: IssueLog,
    col: str,
    *,
    required: bool = True,
    minimum: float | None = None,
    strict: bool = False,
    default: float = np.nan,
) -> pd.Series:
    """Float column; ``minimum`` with ``strict`` means ``> minimum``, else ``>= minimum``.

    Blank cells take ``default`` unless ``required``. Returns a float Series (NaN where bad).
    """
    values = _cells(raw, col)
    out = np.full(len(values), np.nan)
    for pos, cell in enumerate(values):
        row = int(raw.rows[pos])
        if cell == "":
            if required and col in raw.data.columns:
                log.error(raw.label, issue_text("number_required"), row=row, column=col,
                          value="")
            out[pos] = default
            continue
        if not _NUMBER.match(cell):
            key = "not_number_hint" if "," in cell else "not_number"
            log.error(raw.label, issue_text(key), row=row, column=col, value=cell)
            continue
        val = float(cell)
        if not np.isfinite(val):  # "1e309" matches the pattern but is infinite
            log.error(raw.label, issue_text("too_large"), row=row, column=col, value=cell)
            continue
        if minimum is not None and (val <= minimum if strict else val < minimum):
            message = issue_text("must_gt" if strict else "must_ge", minimum=f"{minimum:g}")
            log.error(raw.label, message, row=row, column=col, value=cell)
            continue
        out[pos] = val
    return pd.Series(out, dtype=float)


#: ``what`` of :func:`integer` -> issue keys (blank where required, not such a value).
_WHAT = {
    "a whole number": ("whole_required", "not_whole"),
    "a whole year": ("whole_year_required", "not_whole_year"),
    "a whole year or *": ("whole_year_star_required", "not_whole_year_star"),
}


def integer(
    raw: RawTable,
    log: IssueLog,
    col: str,
    *,
    required: bool = True,
    minimum: int | None = None,
    what: str = "a whole number",
) -> pd.Series:
    """Whole-number column (``2025`` or ``2025.0``); pandas ``Int64``, NA where blank or bad.

    ``what`` names the value in messages: ``a whole number``, ``a whole year`` or ``a whole
    year or *`` (their wording is in :mod:`relocation.domain.issue_text`).
    """
    required_key, not_key = _WHAT[what]
    required_text, not_text = issue_text(required_key), issue_text(not_key)
    values = _cells(raw, col)
    out: list[int | None] = [None] * len(values)
    for pos, cell in enumerate(values):
        row = int(raw.rows[pos])
        if cell == "":
            if required and col in raw.data.columns:
                log.error(raw.label, required_text, row=row, column=col, value="")
            continue
        if not _INTEGER.match(cell):
            log.error(raw.label, not_text, row=row, column=col, value=cell)
            continue
        val = int(cell.split(".")[0])
        if abs(val) > MAX_INTEGER:
            log.error(raw.label, issue_text("too_large_max", maximum=MAX_INTEGER), row=row,
                      column=col, value=cell)
            continue
        if minimum is not None and val < minimum:
            log.error(raw.label, issue_text("must_ge", minimum=minimum), row=row, column=col,
                      value=cell)
            continue
        out[pos] = val
    return pd.Series(out, dtype="Int64")


def boolean(raw: RawTable, log: IssueLog, col: str, *, default: bool | None = None) -> pd.Series:
    """Boolean column (true/false, 1/0, yes/no, có/không). Blank takes ``default`` if given.

    Returns a ``bool`` Series (False where bad; the error is logged).
    """
    values = _cells(raw, col)
    out = np.zeros(len(values), dtype=bool)
    for pos, cell in enumerate(values):
        word = cell.lower()
        if word in TRUE_WORDS:
            out[pos] = True
        elif word in FALSE_WORDS:
            out[pos] = False
        elif word == "" and default is not None:
            out[pos] = default
        else:
            log.error(
                raw.label, issue_text("bool_required" if word == "" else "not_bool_hint"),
                row=int(raw.rows[pos]), column=col, value=cell,
            )
    return pd.Series(out, dtype=bool)


def choice(
    raw: RawTable,
    log: IssueLog,
    col: str,
    allowed: Iterable[str],
    *,
    required: bool = True,
) -> pd.Series:
    """Enumerated text column, compared case-insensitively; blank gives ``""`` unless required."""
    allowed = tuple(allowed)
    cells = _cells(raw, col)
    values = cells.str.lower()
    # A missing column is reported once by ``has_columns``, not once per row.
    present = col in raw.data.columns
    for pos, cell in enumerate(values):
        if cell == "" and (not required or not present):
            continue
        if cell not in allowed:
            key = "value_required_one_of" if cell == "" else "not_allowed_one_of"
            log.error(
                raw.label, issue_text(key, allowed=", ".join(allowed)),
                row=int(raw.rows[pos]), column=col, value=cells.iloc[pos],
            )
    return values.where(values.isin(allowed), "").astype(str).reset_index(drop=True)


def unique_ids(raw: RawTable, log: IssueLog, col: str, ids: pd.Series) -> None:
    """Report every row of every duplicated id (blank ids are reported elsewhere)."""
    dup = ids.duplicated(keep=False) & (ids != "")
    if not dup.any():
        return
    for value, positions in ids[dup].groupby(ids[dup]).groups.items():
        rows = [int(raw.rows[p]) for p in positions]
        listed = ", ".join(str(r) for r in rows)
        for row in rows:
            log.error(
                raw.label, issue_text("duplicate", column=col, rows=listed), row=row, column=col,
                value=value,
            )


def split_list(cell: str) -> list[str]:
    """Items of a ``;``-separated cell, stripped, blanks dropped."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def references(
    raw: RawTable,
    log: IssueLog,
    col: str,
    values: pd.Series,
    known: Iterable[str],
    target: str,
    *,
    as_list: bool = False,
) -> None:
    """Report cells naming ids that do not exist in ``target`` (e.g. ``zones.zone_id``)."""
    known = set(known)
    for pos, cell in enumerate(values):
        items = split_list(cell) if as_list else ([cell] if cell else [])
        missing = [i for i in items if i not in known]
        if missing:
            log.error(
                raw.label, issue_text("unknown_ref", target=target, ids=", ".join(missing)),
                row=int(raw.rows[pos]), column=col, value=cell,
            )
