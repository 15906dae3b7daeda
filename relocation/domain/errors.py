"""The project's exceptions and the exit codes the CLI maps them to."""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
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

    def __init__(self, explanation: list[str], best_share: float | None = None) -> None:
        super().__init__("; ".join(explanation))
        self.explanation = explanation
        self.best_share = best_share
