"""The timeline of policy and enforcement events: a curated, sourced file shipped with the package, plus the user's.

An event has an ``id``, a ``date``, a ``title``, a ``kind`` from :class:`Kind`, a short ``description`` and at least
one public source address; an optional ``date_note`` says how the date is known when the sources do not state
the day (for example a report of "Saturday" dated by its publication). Files are YAML (``events:`` list of mappings) or CSV (columns id, date, title, kind,
description, sources; several sources separated by spaces or ';'). A user's file is validated like a scenario: the
first problem is one line naming the file, the row (event number in YAML, line in CSV) and the field.
:mod:`crossings.events.impact` compares what came after an event with the forecast made before it.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from enum import Enum
from pathlib import Path

import pydantic
import yaml

from ..config import bundled_path
from ..errors import InputError, field_problem

SHIPPED_FILE = "events.yaml"
ATTRIBUTION = "Events timeline compiled for crossings from official and press sources (each event cites its own)"
FIELDS = ("id", "date", "title", "kind", "description", "sources")  # required; date_note is optional


class Kind(str, Enum):
    """What sort of event."""

    AGREEMENT = "agreement"  # UK-France (or other) agreements and treaties
    FUNDING = "funding"  # money pledged for enforcement
    POLICY = "policy"  # a government announces or ends a policy
    LEGISLATION = "legislation"  # an Act receives Royal Assent / a law is passed
    COURT = "court"  # a judgment or court measure
    ENFORCEMENT = "enforcement"  # operations at sea or on the coast, first interceptions or returns
    GOVERNMENT = "government"  # changes of government
    SUMMIT = "summit"  # meetings of leaders
    INCIDENT = "incident"  # mass-casualty incidents


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text for the model to check (2025-13-01 is an error of that
    row and field, not a crash of the YAML parser)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class Event(pydantic.BaseModel):
    """One dated event of the timeline."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    id: str = pydantic.Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    date: date
    title: str = pydantic.Field(min_length=3, max_length=200)
    kind: Kind
    description: str = pydantic.Field(min_length=3, max_length=1000)
    sources: tuple[str, ...] = pydantic.Field(min_length=1)
    date_note: str | None = pydantic.Field(default=None, min_length=3, max_length=300)

    @pydantic.field_validator("sources", mode="before")
    @classmethod
    def _split(cls, v):
        if isinstance(v, str):
            v = [s for s in re.split(r"[\s;]+", v) if s]
        return v

    @pydantic.field_validator("sources")
    @classmethod
    def _urls(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for s in v:
            if not _URL.match(s):
                raise ValueError(f"not a web address (http:// or https://): {s!r}")
        return v

    @pydantic.field_validator("date")
    @classmethod
    def _from_2000(cls, v: date) -> date:
        if v.year < 2000:
            raise ValueError(f"implausible date {v.isoformat()}")
        return v


def _message(err: dict) -> str:
    if err.get("type") == "enum":
        return f"not one of the kinds {', '.join(k.value for k in Kind)}, got {err.get('input')!r}"
    return field_problem(err)


def _validate(rows: list[tuple[int, object]], file: str) -> list[Event]:
    events, seen = [], {}
    for row, data in rows:
        if not isinstance(data, dict):
            raise InputError(f"an event must be a mapping of fields, got {type(data).__name__}", file=file, row=row)
        try:
            ev = Event.model_validate(data)
        except pydantic.ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else None
            raise InputError(_message(err), file=file, row=row, column=field) from None
        if ev.id in seen:
            raise InputError(f"event id {ev.id!r} twice (first at row {seen[ev.id]})", file=file, row=row,
                             column="id")
        seen[ev.id] = row
        events.append(ev)
    return events


def read_events(path: str | Path) -> list[Event]:
    """Events from a YAML or CSV file, each checked; raises ``InputError`` at the first bad row."""
    p = Path(path)
    file = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", file=file) from None
    if p.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column {missing[0]!r} (need {', '.join(FIELDS)})", file=file, row=1,
                             column=missing[0])
        rows = [(i, {k: v for k, v in r.items() if k is not None and (v or "").strip() != ""})
                for i, r in enumerate(reader, start=2)]
    else:
        try:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(f"YAML syntax error: {getattr(exc, 'problem', None) or exc}", file=file,
                             row=mark.line + 1 if mark else None) from None
        if isinstance(data, dict) and set(data) == {"events"}:
            data = data["events"]
        if not isinstance(data, list):
            raise InputError("expected a list of events (or a mapping with one key 'events')", file=file)
        rows = list(enumerate(data, start=1))
    return _validate(rows, file)


def shipped_events() -> list[Event]:
    """The curated timeline shipped with the package."""
    return read_events(bundled_path(SHIPPED_FILE))


def timeline(user_file: str | Path | None = None, kind: str | Kind | None = None) -> list[Event]:
    """Shipped events plus the user's (a user event with a shipped id replaces it), by date; optionally one kind."""
    events = {e.id: e for e in shipped_events()}
    if user_file:
        events.update({e.id: e for e in read_events(user_file)})
    out = sorted(events.values(), key=lambda e: (e.date, e.id))
    if kind is not None:
        k = Kind(kind)
        out = [e for e in out if e.kind is k]
    return out


def events_frame(events: list[Event]):
    """The events as a table (sources joined by spaces)."""
    import pandas as pd
    return pd.DataFrame({"id": [e.id for e in events], "date": [e.date for e in events],
                         "kind": [e.kind.value for e in events], "title": [e.title for e in events],
                         "description": [e.description for e in events],
                         "sources": [" ".join(e.sources) for e in events],
                         "date_note": [e.date_note or "" for e in events]},
                        columns=["id", "date", "kind", "title", "description", "sources", "date_note"])


def find(events: list[Event], event_id: str) -> Event:
    for e in events:
        if e.id == event_id:
            return e
    raise InputError(f"no event with id {event_id!r} (see 'crossings events')")
