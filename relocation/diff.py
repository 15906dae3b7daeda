"""Compare two run folders: which firms move earlier, later, elsewhere, no longer or newly.

Reads each run's ``schedule.csv`` (ids kept as text; the ``'`` that
:func:`geodata.outputs.write_csv` puts before formula-like text is removed) and
``summary.json`` (plan totals per term).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from geodata.outputs import write_csv
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.labels import label
from relocation.domain.problem import ALL_TERMS, COST_TERMS, DISRUPTION_TERMS
from relocation.messages import number, t
from relocation.run_folder import check_run_folder

#: Columns of ``schedule.csv`` the diff needs.
NEEDED = ("firm_id", "firm_name", "site_id", "site_name", "year", "total_vnd")
#: Order of the change kinds in the output.
CHANGES = (
    "earlier",
    "later",
    "elsewhere",
    "elsewhere+earlier",
    "elsewhere+later",
    "no_longer",
    "newly",
)
#: Columns of the diff table.
DIFF_COLUMNS = (
    "firm_id",
    "firm_name",
    "change",
    "year_a",
    "year_b",
    "site_id_a",
    "site_id_b",
    "site_name_a",
    "site_name_b",
    "total_vnd_a",
    "total_vnd_b",
    "delta_vnd",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RunData:
    """What the diff reads from a run folder.

    Attributes
    ----------
    path : pathlib.Path
        The run folder.
    schedule : pandas.DataFrame
        ``firm_id``, ``firm_name``, ``site_id``, ``site_name`` (str), ``year`` (int64),
        ``total_vnd`` (int64, the move's weighted total), indexed by nothing in particular.
    summary : dict
        ``summary.json``.
    """

    path: Path
    schedule: pd.DataFrame
    summary: dict[str, Any]


@dataclass(frozen=True)
class RunDiff:
    """The difference B − A of two runs.

    Attributes
    ----------
    changes : pandas.DataFrame
        One row per firm whose move differs (columns ``DIFF_COLUMNS``; years and VND as
        Int64, blank where the firm does not move in that run; ``delta_vnd`` treats a
        missing move as 0), ordered by change kind then ``firm_id``.
    totals : dict
        ``objective``, ``cost``, ``disruption`` and each plan term: ``(a, b, b − a)`` VND.
    counts : dict
        Change kind → number of firms.
    """

    changes: pd.DataFrame
    totals: dict[str, tuple[int, int, int]]
    counts: dict[str, int]


def _unneutralise(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def read_run(run: Path) -> RunData:
    """Read a run folder's ``schedule.csv`` and ``summary.json``.

    Raises
    ------
    InputError
        Missing folder or file, a malformed ``summary.json`` or ``scenario.toml``, a run
        without a plan, missing columns, bad values (file, row and column named).
    """
    run = Path(run)
    summary, _ = check_run_folder(run, ("schedule.csv",), "compare")
    path = run / "schedule.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    issues = [
        InputIssue(str(path), None, c, None, "missing column") for c in NEEDED if c not in raw
    ]
    if issues:
        raise InputError(issues, summary="cannot read the run")
    df = raw[list(NEEDED)].copy()
    for col in ("firm_id", "firm_name", "site_id", "site_name"):
        df[col] = df[col].map(_unneutralise)
    for col in ("year", "total_vnd"):
        values = []
        for i, v in enumerate(df[col].tolist()):
            try:
                values.append(int(v.strip()))
            except ValueError:
                issues.append(InputIssue(str(path), i + 2, col, v, "not a whole number"))
                values.append(0)
        df[col] = pd.array(values, dtype="int64")
    dup = df["firm_id"].duplicated(keep=False)
    for i in df.index[dup]:
        issues.append(
            InputIssue(
                str(path), int(i) + 2, "firm_id", df.at[i, "firm_id"], "firm scheduled twice"
            )
        )
    if issues:
        raise InputError(issues, summary="cannot read the run")
    return RunData(run, df, summary)


def _kind(row: pd.Series) -> str | None:
    a, b = pd.notna(row["year_a"]), pd.notna(row["year_b"])
    if a and not b:
        return "no_longer"
    if b and not a:
        return "newly"
    moved = row["site_id_a"] != row["site_id_b"]
    when = (
        "earlier"
        if row["year_b"] < row["year_a"]
        else "later"
        if row["year_b"] > row["year_a"]
        else ""
    )
    if moved:
        return "elsewhere" + (f"+{when}" if when else "")
    return when or None


def _plan_totals(summary: dict[str, Any]) -> dict[str, int]:
    terms = {t: int(summary["terms"].get(t, 0)) for t in ALL_TERMS}
    objective = summary.get("weighted_objective", summary.get("objective"))
    return {
        "objective": int(objective or 0),
        "cost": sum(terms[t] for t in COST_TERMS),
        "disruption": sum(terms[t] for t in DISRUPTION_TERMS),
        **terms,
    }


def diff_runs(a: RunData, b: RunData) -> RunDiff:
    """Compare run B against run A, firm by firm and in total.

    Parameters
    ----------
    a, b : RunData
        From :func:`read_run`.

    Returns
    -------
    RunDiff
    """
    left = a.schedule.rename(columns=lambda c: c if c == "firm_id" else f"{c}_a")
    right = b.schedule.rename(columns=lambda c: c if c == "firm_id" else f"{c}_b")
    both = left.merge(right, on="firm_id", how="outer")
    both["firm_name"] = both["firm_name_b"].fillna(both["firm_name_a"])
    both["change"] = both.apply(_kind, axis=1) if len(both) else pd.Series(dtype=object)
    ch = both[both["change"].notna()].copy()
    for col in ("year_a", "year_b", "total_vnd_a", "total_vnd_b"):
        ch[col] = ch[col].astype("Int64")
    ch["delta_vnd"] = (ch["total_vnd_b"].fillna(0) - ch["total_vnd_a"].fillna(0)).astype("Int64")
    ch["_order"] = ch["change"].map({k: i for i, k in enumerate(CHANGES)})
    ch = ch.sort_values(["_order", "firm_id"]).reset_index(drop=True)
    ch = ch[list(DIFF_COLUMNS)]
    ta, tb = _plan_totals(a.summary), _plan_totals(b.summary)
    totals = {k: (ta[k], tb[k], tb[k] - ta[k]) for k in ta}
    counts = {k: int((ch["change"] == k).sum()) for k in CHANGES}
    return RunDiff(ch, totals, counts)


def _bn(v: float, lang: str = "en") -> str:
    return number(f"{v / 1e9:+,.2f}", lang) if v else "0"


def change_word(kind: str, lang: str = "en") -> str:
    """A change kind (``elsewhere+later``) in ``lang`` (English: as the code, ``_`` as space)."""
    return t(lang, "diff.change." + kind.replace("+", "_"))


def term_word(term: str, lang: str = "en") -> str:
    """A plan term in ``lang``: its code in English, its workbook label in Vietnamese."""
    if lang != "vi":
        return term
    return label(f"{term}_vnd", "vi").removesuffix(" (VND)")


def format_diff(
    d: RunDiff, name_a: str, name_b: str, limit: int | None = None, lang: str = "en"
) -> str:
    """The diff as plain text: totals, counts per change kind, then the firm table.

    Parameters
    ----------
    d : RunDiff
    name_a, name_b : str
        How to call the two runs.
    limit : int, optional
        Show at most this many firms (the CSV has them all).
    lang : str
        ``vi`` or ``en`` (the words and the number style; ids and names as written).

    Returns
    -------
    str
    """
    lines = [t(lang, "diff.head", a=name_a, b=name_b)]
    for key in ("objective", "cost", "disruption"):
        a, b, delta = d.totals[key]
        lines.append("  " + t(
            lang, "diff.total", what=t(lang, f"diff.{key}").ljust(11),
            a=number(f"{a / 1e9:>14,.2f}", lang), b=number(f"{b / 1e9:>14,.2f}", lang),
            delta=_bn(delta, lang),
        ))
    terms = [f"{term_word(k, lang)} {_bn(d.totals[k][2], lang)}" for k in ALL_TERMS
             if d.totals[k][2]]
    if terms:
        lines.append("  " + t(lang, "diff.by_term", terms=", ".join(terms)))
    counts = ", ".join(f"{change_word(k, lang)} {n}" for k, n in d.counts.items() if n)
    lines.append("  " + t(lang, "diff.changed", n=len(d.changes))
                 + (f" ({counts})" if counts else ""))
    if not len(d.changes):
        return "\n".join(lines)
    shown = d.changes if limit is None else d.changes.head(limit)

    def cell(v: Any) -> str:
        return "—" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    rows = [tuple(t(lang, f"diff.col.{c}") for c in
                  ("firm_id", "firm_name", "change", "year", "site", "delta"))]
    for r in shown.itertuples(index=False):
        name = r.firm_name if len(r.firm_name) <= 40 else r.firm_name[:39] + "…"
        rows.append(
            (
                r.firm_id,
                name,
                change_word(r.change, lang),
                f"{cell(r.year_a)}→{cell(r.year_b)}",
                f"{cell(r.site_id_a)}→{cell(r.site_id_b)}",
                _bn(int(r.delta_vnd), lang),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        lines.append("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    if len(shown) < len(d.changes):
        lines.append("  " + t(lang, "diff.more", n=len(d.changes) - len(shown)))
    return "\n".join(lines)


def write_diff_csv(d: RunDiff, path: Path) -> None:
    """Write the firm table as CSV (UTF-8 with BOM, formula-safe)."""
    write_csv(d.changes, Path(path))
