"""Every ``scenario.toml`` key a ``--set`` (or a grid file) can change, from the model itself.

The keys, types and defaults are read from :class:`relocation.domain.scenario.Scenario` (one
source of truth); the meaning is the field's ``description`` where it has one, else the
catalogue's ``key.KEY`` entry, else its section's (``section.NAME``) — see
:mod:`relocation.messages`.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

import pydantic
from pydantic_core import PydanticUndefined

from relocation import messages
from relocation.domain.scenario import Scenario


@dataclass(frozen=True)
class SettingKey:
    """One settable key: ``key`` (dotted; ``N`` an item number, ``ID`` an id), type, default."""

    key: str
    type: str
    default: Any
    description: str | None
    section: str


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return "|".join(str(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is tuple:
        return f"list[{_type_name(args[0])}]" if args else "list"
    if origin is dict:
        return _type_name(args[1])
    if annotation is type(None):
        return "none"
    return getattr(annotation, "__name__", str(annotation))


def _model_in(annotation: Any) -> type[pydantic.BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, pydantic.BaseModel):
            return arg
    return None


def _default(info: pydantic.fields.FieldInfo) -> Any:
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]
    return None if info.default is PydanticUndefined else info.default


def _walk(model: type[pydantic.BaseModel], prefix: str, section: str) -> list[SettingKey]:
    rows: list[SettingKey] = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        ann = info.annotation
        inner = _model_in(ann)
        if inner is not None and typing.get_origin(ann) is tuple:
            rows += _walk(inner, f"{key}.N.", section or name)
        elif inner is not None:
            rows += _walk(inner, f"{key}.", section or name)
        elif typing.get_origin(ann) is dict:
            rows.append(SettingKey(f"{key}.ID", _type_name(ann), None, info.description,
                                   section or name))
        else:
            rows.append(SettingKey(key, _type_name(ann), _default(info), info.description,
                                   section or name))
    return rows


def scenario_keys() -> list[SettingKey]:
    """Every leaf key of the scenario, in the model's order."""
    return _walk(Scenario, "", "")


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return messages.t(lang, "keys.none")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_shown(v, lang) for v in value) + "]"
    return str(value)


def meaning(row: SettingKey, lang: str) -> str:
    """What a key means: the catalogue's ``key.KEY`` in ``lang``, else its description."""
    own = messages.CATALOGUE[lang].get(f"key.{row.key}")
    if own:
        return own
    if row.description:
        return row.description
    return ""


def format_keys(rows: list[SettingKey], lang: str) -> str:
    """The keys grouped by section: ``key  type  (default …)`` then the meaning, indented."""
    lines = [messages.t(lang, "keys.header", n=len(rows))]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            title = messages.CATALOGUE[lang].get(f"section.{section}", "")
            lines.append("")
            lines.append(f"[{section}]" + (f"  {title}" if title else ""))
        default = "" if row.key.endswith(".ID") or ".N." in row.key else (
            f"  ({messages.t(lang, 'keys.default')} {_shown(row.default, lang)})"
        )
        lines.append(f"  {row.key}  <{row.type}>{default}")
        text = meaning(row, lang)
        if text:
            lines.append(f"      {text}")
    lines.append("")
    lines.append(messages.t(lang, "keys.item") + " " + messages.t(lang, "keys.id"))
    return "\n".join(lines)
