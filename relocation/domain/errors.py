"""The project's exceptions and the exit codes the CLI maps them to."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
#: A solve (or a sweep scenario) that ended without any plan within its time limit.
EXIT_NO_PLAN = 4
EXIT_SIGINT = 130
EXIT_SIGTERM = 143


@dataclass(frozen=True)
class InputIssue:
    """One problem found in the input files.

    Attributes
    ----------
    file : str
        File name (relative to the workspace), e.g. ``firms.csv``.
    row : int or None
        1-based data row as a spreadsheet shows it (the header is row 1, so the first data
        row is row 2); ``None`` for a whole-file or whole-column problem.
    column : str or None
        Column (or TOML key path) concerned.
    value : str or None
        The offending value as read, shortened.
    message : str
        What is wrong, in plain words.
    severity : str
        ``"error"`` or ``"warning"``.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"

    def format(self) -> str:
        """One line: ``file, row R, column C (value 'v'): message`` (``warning: `` prefixed).

        GeoJSON/GeoPackage rows are features and TOML rows are lines, so they are named so.
        """
        lowered = self.file.lower()
        if lowered.endswith(".toml"):
            word = "line"
        elif lowered.endswith((".geojson", ".gpkg")) or ".gpkg:" in lowered:
            word = "feature"
        else:
            word = "row"
        where = self.file
        if self.row is not None:
            where += f", {word} {self.row}"
        if self.column:
            where += f", column {self.column}"
        value = "" if self.value is None else f" (value {self.value!r})"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{where}{value}: {self.message}"


class RelocationError(Exception):
    """Base class of the project's errors."""


@dataclass
class InputError(RelocationError):
    """Bad input: the workspace (or a CLI argument) is not well formed. Exit code 2."""

    issues: list[InputIssue] = field(default_factory=list)
    summary: str = "the input is not valid"

    def __post_init__(self) -> None:
        super().__init__(self.summary)

    def __str__(self) -> str:
        errors = [i for i in self.issues if i.severity == "error"]
        lines = [f"{self.summary}: {len(errors)} error(s)"]
        lines += ["  " + i.format() for i in self.issues]
        return "\n".join(lines)


class InfeasibleError(RelocationError):
    """A well-formed scenario the data cannot satisfy. Exit code 3."""

    def __init__(
        self,
        explanation: list[str],
        best_share: float | None = None,
        translations: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__("; ".join(explanation))
        self.explanation = explanation
        self.best_share = best_share
        #: The explanation in other languages: language code -> lines.
        self.translations = dict(translations or {})

    def lines(self, lang: str) -> list[str]:
        """The explanation in ``lang`` (as given, English, when not translated)."""
        return list(self.translations.get(lang, self.explanation))


#: Longest value shown in a message.
_VALUE_CHARS = 60
#: Whole-model checks name their item in the message: ``quota[1].by_year ...``.
_ITEM_IN_MESSAGE = re.compile(r"\b([a-z_]+)\[(\d+)\]\.([a-z_]+)")

#: Where an issue about a dotted key is reported: ``key -> (file, column)``.
Locate = Callable[[str], tuple[str, "str | None"]]


def short(value: object) -> str:
    """``value`` as text cut to a readable length for messages."""
    text = str(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _unwrap(annotation: Any) -> Any:
    """The model class inside ``X | None``, ``tuple[X, ...]`` or ``list[X]`` (else as given)."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin in (typing.Union, types.UnionType) and len(args) == 1:
            annotation = args[0]
        elif origin in (tuple, list) and args:
            annotation = args[0]
        else:
            return annotation


def section_keys(model: type[pydantic.BaseModel], parts: list[str]) -> tuple[str, list[str]]:
    """The table at dotted ``parts`` of ``model`` and the keys it accepts.

    List indices are skipped (``quota.0`` is a quota window). Returns the table's name as
    written in TOML (``[limits]``, ``the scenario``) and its keys, empty when ``parts``
    does not lead to a table.
    """
    node: Any = model
    names: list[str] = []
    for part in parts:
        if part.isdigit():
            names.append(part)
            continue
        fields = getattr(node, "model_fields", None)
        if fields is None or part not in fields:
            return ".".join([*names, part]), []
        node = _unwrap(fields[part].annotation)
        names.append(part)
    keys = list(getattr(node, "model_fields", {}))
    return (f"[{'.'.join(names)}]" if names else "the scenario"), keys


def _source_key(loc: str, keys: list[str]) -> str | None:
    """The given key an error location comes from (the longest that covers it)."""
    for key in sorted(keys, key=len, reverse=True):
        if loc == key or loc.startswith(key + ".") or key.startswith(loc + "."):
            return key
    return None


def validation_issues(
    exc: pydantic.ValidationError,
    model: type[pydantic.BaseModel],
    locate: str | Locate,
    given: Mapping[str, Any] | None = None,
) -> list[InputIssue]:
    """Translate a pydantic validation error into input issues (the one translation).

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error of ``model.model_validate``.
    model : type
        The model validated (its fields name the keys an unknown key could have been).
    locate : str or callable
        The file the data came from (``scenario.toml``; the issue's column is the dotted key),
        or a function ``key -> (file, column)`` for settings given one by one (``--set``).
    given : mapping, optional
        The dotted keys and values set (``--set`` overrides): an error is reported at the
        key it comes from, with its value as given.

    Returns
    -------
    list of InputIssue
        One per error: file, column (dotted key), value, what is wrong.
    """
    keys = list(given or {})
    issues: list[InputIssue] = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        named = err["type"] == "extra_forbidden"  # the message names the key itself
        if not loc:  # whole-model checks name their item in the message only
            match = _ITEM_IN_MESSAGE.search(message)
            loc = ".".join(match.groups()) if match else ""
            named = True
        if err["type"] == "extra_forbidden":
            parts = loc.split(".")
            table, valid = section_keys(model, parts[:-1])
            message = f"unknown key {loc!r}; {table} has " + ", ".join(valid)
        key = _source_key(loc, keys) if loc else None
        if key is None and len(keys) == 1:
            key = keys[0]
        if key is not None and given is not None:
            value: Any = given[key]
        else:
            value = err.get("input")
        shown = None if isinstance(value, dict | list | tuple) else short(value)
        where = key or loc
        if isinstance(locate, str):
            file, column = locate, where or None
        else:
            file, column = locate(where)
        if loc and key is not None and loc != key and not named:
            message = f"{loc}: {message}"
        issues.append(InputIssue(file, None, column, shown, message))
    return issues
