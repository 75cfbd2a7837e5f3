"""Forms generated from a channel's settings model: fields out, posted text back into settings.

Every channel's pydantic config model (`channels/<kind>/config.py`) is the one description of its
settings; this module walks it to draw inputs and to read a post back into the dict the model
validates, so a new field on a model appears on `/settings/inboxes` without a template change.
Secrets are write-only: their inputs are always empty, and a blank secret keeps the stored one.
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from omnidesk.channels.schemas import is_secret_name

InputKind = Literal["text", "number", "secret", "checkbox", "select", "lines", "json"]


@dataclass(frozen=True)
class FormField:
    """One input of a generated form; `path` is its dotted name in the settings."""

    path: str
    label: str
    kind: InputKind
    required: bool
    hint: str | None = None
    choices: tuple[str, ...] = ()
    value: str = ""  # never a secret's value
    stored: bool = False  # a secret that is set (shown as "set; leave blank to keep")


@dataclass(frozen=True)
class FormSection:
    """A nested settings model: optional ones are switched on by a checkbox `use:<path>`."""

    path: str
    label: str
    optional: bool
    enabled: bool
    fields: list[FormField | FormSection] = field(default_factory=list)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Return (the annotation without None, whether None was allowed)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), len(args) < len(get_args(annotation))
    return annotation, False


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _input_kind(name: str, annotation: Any) -> tuple[InputKind, tuple[str, ...]]:
    if annotation is SecretStr or is_secret_name(name):
        return "secret", ()
    if annotation is bool:
        return "checkbox", ()
    if annotation in (int, float):
        return "number", ()
    if get_origin(annotation) is Literal:
        return "select", tuple(str(a) for a in get_args(annotation))
    if get_origin(annotation) is list and get_args(annotation) in ((str,),):
        return "lines", ()
    if annotation is str:
        return "text", ()
    return "json", ()


def _shown(kind: InputKind, value: Any) -> str:
    if value is None or kind == "secret":
        return ""
    if kind == "lines":
        return "\n".join(str(v) for v in value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, indent=2)
    if kind == "checkbox":
        return "on" if value else ""
    return str(value)


def _default(info: FieldInfo) -> Any:
    if info.default is not PydanticUndefined:
        return info.default
    return info.default_factory() if info.default_factory is not None else None  # type: ignore[call-arg]


def describe_form(model: type[BaseModel], current: Mapping[str, Any] | None = None,
                  prefix: str = "") -> list[FormField | FormSection]:
    """Describe the inputs of a settings model, filled from current (plain) settings."""
    current = current or {}
    out: list[FormField | FormSection] = []
    for name, info in model.model_fields.items():
        annotation, nullable = _unwrap(info.annotation)
        path = f"{prefix}{name}"
        given = current.get(name)
        if _is_model(annotation):
            out.append(FormSection(path, _label(name), optional=not info.is_required(),
                                   enabled=given is not None or info.is_required(),
                                   fields=describe_form(annotation, given or {}, f"{path}.")))
            continue
        kind, choices = _input_kind(name, annotation)
        value = given if name in current else _default(info)
        out.append(FormField(path, _label(name), kind, info.is_required() and not nullable,
                             info.description, choices, _shown(kind, value),
                             stored=kind == "secret" and bool(given)))
    return out


class FormReadError(ValueError):
    """A posted value that is not what its field takes (bad JSON, a letter in a number)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def _read(kind: InputKind, path: str, raw: str) -> Any:
    if kind == "checkbox":
        return raw in ("on", "true", "1")
    if kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if kind == "number":
        try:
            number = float(raw)
        except ValueError:
            raise FormReadError(path, "must be a number") from None
        return int(number) if number.is_integer() else number
    if kind == "json":
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FormReadError(path, f"is not valid JSON ({exc.msg}, line {exc.lineno})") from None
    return raw.strip()


def read_form(model: type[BaseModel], form: Mapping[str, str],
              stored: Mapping[str, Any] | None = None, prefix: str = "") -> dict[str, Any]:
    """Read posted inputs back into settings; blank secrets keep the stored (plain) values."""
    stored = stored or {}
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation, _ = _unwrap(info.annotation)
        path = f"{prefix}{name}"
        if _is_model(annotation):
            if info.is_required() or form.get(f"use:{path}"):
                out[name] = read_form(annotation, form, stored.get(name) or {}, f"{path}.")
            continue
        kind, _ = _input_kind(name, annotation)
        raw = form.get(path, "")
        if kind == "checkbox" or raw.strip():
            out[name] = _read(kind, path, raw)
        elif kind == "secret" and stored.get(name):
            out[name] = stored[name]
    return out


def echo_form(model: type[BaseModel], form: Mapping[str, str],
              stored: Mapping[str, Any] | None = None) -> list[FormField | FormSection]:
    """Describe the form again with what was typed kept (secrets still blank) after a refusal."""
    items = describe_form(model, stored)
    return [_echo(item, form) for item in items]


def _echo(item: FormField | FormSection, form: Mapping[str, str]) -> FormField | FormSection:
    if isinstance(item, FormSection):
        enabled = item.enabled if not item.optional else bool(form.get(f"use:{item.path}"))
        return FormSection(item.path, item.label, item.optional, enabled,
                           [_echo(f, form) for f in item.fields])
    if item.kind == "secret":
        return item
    value = form.get(item.path, "")
    return FormField(item.path, item.label, item.kind, item.required, item.hint, item.choices,
                     value, item.stored)
