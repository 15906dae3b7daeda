"""Explain infeasible scenarios in planner words, with numbers, in Vietnamese or English.

First cheap pre-solve checks that quote figures ("40% by 2025 needs 1,160 moves; the
yearly processing capacity allows 2 × 650 = 1,300"); otherwise the solver's conflicting
rules found through named assumptions (:func:`models.conflicts.conflicting_rules`), turned
into sentences here.

Every sentence is a :class:`Note`: a key of the message catalogue
(:mod:`relocation.messages`, ``infeas.*`` and ``rule.*``) and its raw figures. A note is
written once (``summary.json``'s ``explanation_notes``) and rendered in either language
when shown, with the language's number style (``1,300`` / ``1.300``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from relocation.domain.problem import Problem
from relocation.messages import tn


def _clean(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers (notes and lists kept)."""
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _plain(value: Any) -> Any:
    """``value`` as JSON data (notes as dicts)."""
    if isinstance(value, Note):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Note:
    """One sentence of an explanation: a catalogue key and the figures it quotes.

    Attributes
    ----------
    key : str
        A key of :data:`relocation.messages.CATALOGUE` (the same in every language).
    values : mapping
        The template's fields: numbers (formatted by the template, in the language's
        style), text, or other notes (rendered in the same language; a list of notes is
        joined by ``"; "``).
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clean = {k: _clean(v) for k, v in self.values.items()}
        object.__setattr__(self, "values", MappingProxyType(clean))

    def text(self, lang: str = "en") -> str:
        """The sentence in ``lang`` (``vi`` or ``en``; anything else gives English)."""
        return tn(lang, self.key, **self.values)

    def as_dict(self) -> dict[str, Any]:
        """``{"key": …, "values": {…}}`` for ``summary.json`` (nested notes as dicts)."""
        return {"key": self.key, "values": {k: _plain(v) for k, v in self.values.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Note:
        """The note of :meth:`as_dict` (nested notes restored)."""

        def restore(v: Any) -> Any:
            if isinstance(v, Mapping) and set(v) == {"key", "values"}:
                return cls.from_dict(v)
            if isinstance(v, list):
                return [restore(x) for x in v]
            return v

        return cls(str(data["key"]), {k: restore(v) for k, v in data["values"].items()})


def render(notes: Iterable[Note], lang: str) -> list[str]:
    """Each note as a sentence in ``lang``."""
    return [n.text(lang) for n in notes]


def precheck(problem: Problem) -> list[Note]:
    """Reasons the scenario surely has no plan (empty when none is found cheaply)."""
    out: list[Note] = []
    firms, opts, sc = problem.firms, problem.options, problem.scenario
    fid = firms["firm_id"].to_numpy()
    years = problem.years
    has_opt = np.zeros(len(firms), dtype=bool)
    has_opt[opts["firm"].unique()] = True
    mand = problem.planned & firms["mandatory"].to_numpy()
    stuck = np.flatnonzero(mand & ~has_opt)
    if len(stuck):
        names = ", ".join(str(f) for f in fid[stuck[:5]]) + (" …" if len(stuck) > 5 else "")
        out.append(Note("infeas.no_site", {"n": len(stuck), "names": names}))
    n, before = problem.n_slated, problem.n_moved_before
    lim = sc.limits
    first_year = opts.groupby("firm")["year"].min()
    for q in sc.quota:
        lo, hi = q.min_count(n), q.max_count(n)
        need = lo - before
        window = {"share": q.min_share, "year": q.by_year, "need": need}
        k = q.by_year - years[0] + 1
        if before > hi:
            out.append(Note("infeas.before_over_ceiling", {
                "before": before, "start": years[0], "share": q.max_share,
                "year": q.by_year, "hi": hi}))
        due = int((mand & (firms["deadline_year"].to_numpy() <= q.by_year)).sum())
        if before + due > hi:
            out.append(Note("infeas.due_over_ceiling", {
                "due": due, "year": q.by_year, "share": q.max_share, "allowed": hi - before}))
        if need <= 0 or sc.rules.soft_quota:
            continue
        if lim.max_moves_per_year is not None and lim.max_moves_per_year * k < need:
            out.append(Note("infeas.capacity", {
                **window, "k": k, "cap": lim.max_moves_per_year,
                "total": k * lim.max_moves_per_year}))
        ready = first_year[first_year <= q.by_year]
        if len(ready) < need:
            out.append(Note("infeas.ready", {**window, "ready": len(ready)}))
            continue
        # Land: even the smallest ready firms must fit in the land open by then.
        area = opts[opts["year"] <= q.by_year].groupby("firm")["area_m2"].min()
        smallest = np.sort(area.to_numpy())[:need].sum()
        land = problem.capacity_m2[:, k - 1].clip(min=0).sum()
        if smallest > land:
            out.append(Note("infeas.land", {
                **window, "smallest_ha": float(smallest) / 1e4, "land_ha": float(land) / 1e4}))
    return out


def _site_index(problem: Problem, site: str) -> int:
    return int(np.flatnonzero(problem.sites["site_id"].to_numpy() == site)[0])


def describe_rule(problem: Problem, key: str) -> Note:
    """One rule key (``capacity:D_VSIP3:2025``) in planner words with its numbers."""
    kind, *rest = key.split(":")
    sc = problem.scenario
    n = problem.n_slated
    if kind == "quota":
        year, side = int(rest[0]), rest[1]
        q = next(q for q in sc.quota if q.by_year == year)
        if side == "min":
            return Note("rule.quota_min", {"share": q.min_share, "n": n, "year": year,
                                           "count": q.min_count(n)})
        return Note("rule.quota_max", {"share": q.max_share, "year": year,
                                       "count": q.max_count(n)})
    if kind == "capacity":
        site, year = rest[0], int(rest[1])
        j = _site_index(problem, site)
        cap = problem.capacity_m2[j, year - problem.years[0]]
        return Note("rule.capacity", {"name": str(problem.sites.at[j, "name"]), "site": site,
                                      "year": year, "ha": max(float(cap), 0.0) / 1e4})
    if kind == "moves":
        return Note("rule.moves", {"year": rest[0], "cap": sc.limits.max_moves_per_year})
    if kind == "min_moves":
        return Note("rule.min_moves", {"year": rest[0], "n": sc.limits.min_moves_per_year})
    if kind == "move_group":
        return Note("rule.move_group", {"group": rest[0]})
    if kind == "clearance":
        return Note("rule.clearance", {"park": rest[0], "year": rest[1]})
    if kind == "budget":
        return Note("rule.budget", {"year": rest[0],
                                    "vnd": float(sc.limits.budget_vnd_per_year or 0)})
    if kind == "deadline":
        f = int(np.flatnonzero(problem.firms["firm_id"].to_numpy() == rest[0])[0])
        row = problem.firms.iloc[f]
        return Note("rule.deadline", {"firm": str(row["firm_id"]), "name": str(row["name"]),
                                      "year": str(row["deadline_year"])})
    return Note("rule.other", {"key": key})


def summarise_core(problem: Problem, keys: Sequence[str]) -> list[Note]:
    """Group a conflicting set of rules into a few sentences."""
    by_kind: dict[str, list[str]] = {}
    for k in keys:
        by_kind.setdefault(k.split(":")[0], []).append(k)
    lines: list[Note] = []
    for kind in ("quota", "moves", "min_moves", "budget", "capacity", "deadline",
                 "move_group", "clearance"):
        ks = sorted(by_kind.get(kind, []))
        if not ks:
            continue
        if kind in ("capacity", "deadline") and len(ks) > 4:
            sample = [describe_rule(problem, k) for k in ks[:3]]
            if kind == "deadline":
                lines.append(Note("rule.many_deadline", {"n": len(ks), "sample": sample}))
                continue
            years = sorted({int(k.rsplit(":", 1)[1]) for k in ks})
            total = sum(
                max(0.0, float(problem.capacity_m2[_site_index(problem, k.split(":")[1]),
                                                   int(k.rsplit(":", 1)[1]) - problem.years[0]]))
                for k in ks
            )
            lines.append(Note("rule.many_capacity", {
                "n": len(ks), "sample": sample, "ha": total / 1e4,
                "years": ", ".join(map(str, years))}))
        else:
            lines.extend(describe_rule(problem, k) for k in ks)
    return lines


def core_notes(problem: Problem, core: Sequence[str] | None) -> list[Note]:
    """The explanation of a solver-proven infeasibility from its conflicting rules, if any."""
    if core:
        return [Note("infeas.core_head"), *summarise_core(problem, core)]
    return [Note("infeas.no_core")]


def best_share_note(by_year: int | None, share: float | None) -> Note | None:
    """"The highest share achievable by Y is S" (None without a share)."""
    if share is None:
        return None
    return Note("infeas.best_share", {"year": by_year, "share": float(share)})


def explanation_lines(summary: Mapping[str, Any], lang: str, best: bool = False) -> list[str]:
    """A run's explanation (``summary.json``) in ``lang``; with its best share if ``best``.

    Summaries written before notes existed (no ``explanation_notes``) give their English
    ``explanation`` as written.
    """
    raw = summary.get("explanation_notes")
    if raw is None:
        lines = list(summary.get("explanation") or [])
    else:
        lines = render((Note.from_dict(d) for d in raw), lang)
    if best:
        b = summary.get("best_achievable_share") or {}
        note = best_share_note(b.get("by_year"), b.get("share"))
        if note is not None:
            lines.append(note.text(lang))
    return lines


def search_note(search: Any) -> Note | None:
    """Why a bounded search of :mod:`models.conflicts` gave a degraded answer (None if not).

    ``search`` is a :class:`~models.conflicts.ConflictSearch` or
    :class:`~models.conflicts.ShareSearch`; its ``reason`` is a catalogue key.
    """
    if not search.reason:
        return None
    return Note(search.reason, {"seconds": float(search.seconds), "status": search.status})
