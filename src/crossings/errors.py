"""Errors the package raises on bad input, each naming where the problem is."""
from __future__ import annotations

import re
from datetime import date

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class CrossingsError(Exception):
    """Base class: a problem the user can act on; the CLI prints it in one line."""


class InputError(CrossingsError):
    """A file or value that cannot be read as what it claims to be.

    The message names the file and, where known, the sheet, row and column, so a user can open the file and look.
    """

    def __init__(self, problem: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None):
        self.problem, self.file, self.sheet, self.row, self.column = problem, file, sheet, row, column
        where = [f"{k} {v!r}" if k in ("sheet", "column") else f"{k} {v}"
                 for k, v in (("file", file), ("sheet", sheet), ("row", row), ("column", column)) if v is not None]
        super().__init__(f"{', '.join(where)}: {problem}" if where else problem)


def parse_day(value: str) -> date:
    """A day written YYYY-MM-DD, and only so (not 20251201, 2025-W49-1, 2025-1-1 or a timestamp, which
    :meth:`date.fromisoformat` or pydantic would take): :class:`ValueError` "'<value>' is not a date (YYYY-MM-DD)"
    otherwise. The one date check of the CLI's options and the web API's parameters."""
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


def check_not_future(day: date, name: str, why: str, today: date | None = None) -> None:
    """Refuse a day after ``today`` (default: the system date): :class:`InputError` '<name> <day> is in the future
    (today is <today>): <why>'. ``name`` is the option or parameter that gave the day (``--as-of``, ``as_of``)."""
    today = today or date.today()
    if day > today:
        raise InputError(f"{name} {day.isoformat()} is in the future (today is {today.isoformat()}): {why}")


class NetworkError(CrossingsError):
    """A remote source could not be reached; nothing was changed."""


class ScenarioError(CrossingsError):
    """A scenario file or value is invalid; the message names the field."""


def field_problem(err: dict) -> str:
    """One pydantic validation error (an item of ``ValidationError.errors()``) as a short plain phrase, for the
    one-line errors of scenarios and events files."""
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    msg = err.get("msg", "invalid")
    for pre in ("Value error, ", "Assertion failed, "):
        if msg.startswith(pre):
            return msg[len(pre):]
    if "input" in err and not isinstance(err["input"], (dict, list, tuple)):
        msg = f"{msg}, got {err['input']!r}"
    return msg
