"""A scenario: period, sea-state driver, parameters with units, doctrine; read from YAML and validated.

Every parameter that is not a switch or a list can be a number or a prior (see :mod:`crossings.sim.params`).
Bounds are part of the field type (probabilities in [0, 1], counts and rates >= 0); a value outside them, an
unknown field, or an end before the start is a :class:`~crossings.errors.ScenarioError` naming the field.
See docs/model.md for what each parameter means and where its default comes from.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..conditions.thresholds import Thresholds  # the one definition of a crossable day (rating, forecast, sim)
from ..errors import ScenarioError, field_problem
from .params import Prior, prior_field

if TYPE_CHECKING:  # pandas is imported where it is used: a small simulate does not need it (startup time)
    import pandas as pd

Probability = prior_field(0.0, 1.0, "probability [0-1]")
NonNegative = prior_field(0.0, None, "non-negative number")
AtLeastOne = prior_field(1.0, None, "number >= 1")
AnyNumber = prior_field(None, None, "number")

#: The period a scenario may cover: from the first day of the official series to two years after today, and at
#: most MAX_YEARS years at once (a longer period is refused before any work: issue 7, memory).
FIRST_DATE = date(2018, 1, 1)
MAX_YEARS = 10
MAX_DAYS = 3653
YEARS_AHEAD = 2


def last_date(today: date | None = None) -> date:
    """The last day a scenario may reach: two years after ``today`` (default: the system date)."""
    t = today or date.today()
    try:
        return t.replace(year=t.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return t.replace(year=t.year + YEARS_AHEAD, day=28)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _monthly(v: list[float], lo: float, hi: float | None) -> list[float]:
    if len(v) != 12:
        raise ValueError(f"needs 12 monthly values (January to December), got {len(v)}")
    for i, x in enumerate(v):
        if x < lo or (hi is not None and x > hi):
            bound = f">= {lo:g}" if x < lo else f"<= {hi:g}"
            raise ValueError(f"item {i} ({MONTHS[i]}) must be {bound}, got {x:g}")
    return [float(x) for x in v]


def _yearly(v: dict[int, float], lo: float, hi: float | None) -> dict[int, float]:
    for y, x in v.items():
        if not FIRST_DATE.year - 1 <= y <= 2100:
            raise ValueError(f"year {y} is not a calendar year between {FIRST_DATE.year - 1} and 2100")
        if x < lo or (hi is not None and x > hi):
            bound = f">= {lo:g}" if x < lo else f"<= {hi:g}"
            raise ValueError(f"year {y} must be {bound}, got {x:g}")
    return {int(y): float(v[y]) for y in sorted(v)}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class WeatherGeneratorSpec(_Section):
    """Two-state Markov chain of crossable days, one pair of probabilities per calendar month."""
    p_crossable_after_crossable: list[float] = Field(
        description="P(day crossable | previous day crossable), January..December [0-1]")
    p_crossable_after_not: list[float] = Field(
        description="P(day crossable | previous day not crossable), January..December [0-1]")

    @field_validator("p_crossable_after_crossable", "p_crossable_after_not")
    @classmethod
    def _twelve(cls, v):
        return _monthly(v, 0.0, 1.0)


class SeriesSpec(_Section):
    """A CSV of daily conditions (date, wind_speed_ms, wind_gust_ms, wave_height_m) covering the period."""
    path: str = Field(description="CSV file; a relative path is taken from the scenario file's folder")
    thresholds: Thresholds


class SeaState(_Section):
    driver: Literal["generator", "series"] = Field(description="stochastic weather generator or a real series")
    generator: WeatherGeneratorSpec | None = None
    series: SeriesSpec | None = None
    launch_intensity_sigma: NonNegative = Field(
        description="log-sd of the day-to-day multiplier of launches on crossable days (how good the day is) [-]")

    @model_validator(mode="after")
    def _driver_section(self):
        if getattr(self, self.driver) is None:
            raise ValueError(f"driver is {self.driver!r} but the '{self.driver}' section is missing")
        return self


class People(_Section):
    initial_people_waiting: NonNegative = Field(
        description="people on the French coast on the first simulated day (the first warm-up day) in a year of "
                    "level 1, scaled by that year's inflow_year_level [people]")
    inflow_people_per_day: NonNegative = Field(
        description="mean arrivals on the coast in a year of level 1 in inflow_year_level [people/day]")
    inflow_year_level: dict[int, float] = Field(
        default_factory=dict,
        description="relative inflow level by calendar year (1 = inflow_people_per_day); years before the first "
                    "listed take its value, years after the last follow a random walk from it [-]")
    inflow_year_sigma: NonNegative = Field(
        description="log-sd of the change of the inflow level from one calendar year to the next, for years after "
                    "the last one listed in inflow_year_level (drawn per replicate and calendar year) [-]")
    inflow_monthly_factor: list[float] = Field(
        description="relative inflow by month January..December, rescaled to average 1 [-]")
    inflow_month_sigma: NonNegative = Field(
        default=0.0, validate_default=True,
        description="log-sd of each calendar month's inflow around the monthly pattern (a lognormal factor of "
                    "mean 1, drawn per replicate and calendar month); 0 = every month on the pattern [-]")
    attrition_per_day: Probability = Field(description="share of waiting people who leave the coast per day [1/day]")
    departure_fraction: Probability = Field(
        description="share of waiting people who try to leave on a crossable day of average quality [-]")
    return_after_prevention: Probability = Field(
        description="share of people prevented or rescued who come back to the coast to try again [-]")

    @field_validator("inflow_monthly_factor")
    @classmethod
    def _twelve(cls, v):
        v = _monthly(v, 0.0, None)
        if sum(v) <= 0:
            raise ValueError("must not be all zero")
        return v

    @field_validator("inflow_year_level")
    @classmethod
    def _levels(cls, v):
        return _yearly(v, 0.0, None)


class Boats(_Section):
    people_per_boat_at_reference: AtLeastOne = Field(
        description="mean people per boat on people_per_boat_reference_date [people/boat]")
    people_per_boat_reference_date: date = Field(description="calendar date the level above applies to")
    people_per_boat_trend_per_year: AnyNumber = Field(
        description="change of mean people per boat per year after the reference date (and before it when no "
                    "history is given) [people/boat/year]")
    people_per_boat_history: dict[int, float] = Field(
        default_factory=dict,
        description="mean people per boat by calendar year (placed at 1 July, joined by straight lines): the shape "
                    "of the level before the reference date, scaled to meet the level there [people/boat]")
    loading_sigma: NonNegative = Field(description="log-sd of the day's people per boat around the mean [-]")
    max_boats_per_day: NonNegative = Field(
        description="smugglers' boat supply: most boats that can leave a day [boats/day]")
    taxi_boat_share: Probability = Field(description="share of boats attempting that are taxi-boats, in a year of "
                                                     "factor 1 in taxi_boat_share_year_factor [-]")
    taxi_boat_share_year_factor: dict[int, float] = Field(
        default_factory=dict,
        description="taxi-boat share of a calendar year relative to taxi_boat_share (years before the first listed "
                    "take its value, after the last the last one; none listed: 1) [0-1]")
    aa_canal_share_of_taxi_boats: Probability = Field(
        description="share of taxi-boats that leave from the Aa canal at Gravelines [-]")
    aa_canal_full_capacity_hours: float = Field(
        gt=0, description="night navigable hours at which Aa-canal departures are not limited by the tide [h]")
    aa_canal_min_level_m: float = Field(
        description="water level (above mean sea level) needed to leave the Aa canal [m]")
    aa_canal_max_hours_from_high_water: float = Field(
        gt=0, description="a boat leaves the Aa canal at most this long from high water [h]")


class BeachPrevention(_Section):
    p_success: Probability = Field(description="probability that a beach launch attempt is stopped [0-1]")


class SeaInterception(_Section):
    p_detect: Probability = Field(description="probability that a taxi-boat is detected at sea [0-1]")
    p_success: Probability = Field(description="probability that a detected taxi-boat is stopped and towed back [0-1]")
    p_incident: Probability = Field(
        description="probability that an interception puts people in the water (an incident) [0-1]")


class UKInterception(_Section):
    p_uncontrolled_landing: Probability = Field(
        description="probability that an arriving boat lands without interception [0-1]")


class Doctrine(_Section):
    name: str = Field(description="short name of the doctrine")
    beach_prevention: BeachPrevention
    sea_interception: SeaInterception
    uk_interception: UKInterception


class Hazard(_Section):
    p_incident_at_reference: Probability = Field(
        description="probability that a boat at sea is in distress, at the reference load and average sea [0-1]")
    reference_people_per_boat: AtLeastOne = Field(
        description="load at which the incident probability applies [people/boat]")
    overload_exponent: NonNegative = Field(
        description="incident probability scales as (load/reference)**exponent, capped at 1 [-]")
    roughness_log_multiplier: NonNegative = Field(
        description="incident probability multiplied by exp(k*(roughness-0.5)), roughness in [0, 1] [-]")
    p_fatal_given_incident: Probability = Field(
        description="probability that an incident kills at least one person [0-1]")
    deaths_per_fatal_incident: AtLeastOne = Field(description="mean deaths in a fatal incident [people]")


class Adaptation(_Section):
    displacement_to_taxi: NonNegative = Field(
        description="rise of the taxi-boat share per unit rise of beach prevention above its reference [-]")
    beach_prevention_reference: Probability = Field(
        description="beach prevention under which taxi_boat_share was observed [0-1]")
    deterrence_per_sea_interception: Probability = Field(
        description="relative drop of departures per unit of taxi-boat interception probability [-]")


class Scenario(BaseModel):
    """A validated scenario. Period ``start``..``end`` inclusive (days)."""
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    start: date = Field(description="first day simulated")
    end: date = Field(description="last day simulated (inclusive)")
    sea_state: SeaState
    people: People
    boats: Boats
    doctrine: Doctrine
    hazard: Hazard
    adaptation: Adaptation
    source_path: str | None = Field(default=None, description="file the scenario was read from (set on loading)")

    warm_up_days: int = Field(
        default=30, ge=0, le=366,
        description="days simulated before start and not reported, so the people waiting on the first reported "
                    "day are near their level for the date [days]")

    @field_validator("start")
    @classmethod
    def _start_in_range(cls, v: date):
        if v < FIRST_DATE:
            raise ValueError(f"must be on or after {FIRST_DATE} (the first day of the official series), got {v}")
        return v

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, v: date, info):
        start = info.data.get("start")
        if start is not None and v < start:
            raise ValueError(f"must not be before start ({start}), got {v}")
        last = last_date()
        if v > last:
            raise ValueError(f"must be on or before {last} (two years after today), got {v}")
        if start is not None and (v - start).days + 1 > MAX_DAYS:
            raise ValueError(f"the period {start} to {v} is longer than {MAX_YEARS} years; simulate at most "
                             f"{MAX_DAYS} days (for example up to {start + timedelta(days=MAX_DAYS - 1)})")
        return v

    def days(self) -> np.ndarray:
        """The simulated days, ``datetime64[D]``."""
        return np.arange(np.datetime64(self.start, "D"), np.datetime64(self.end, "D") + 1)

    def dates(self) -> pd.DatetimeIndex:
        """The simulated days, as a DatetimeIndex."""
        import pandas as pd
        return pd.date_range(self.start, self.end, freq="D")

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def priors(self) -> dict[str, Prior]:
        """Every number-or-prior parameter by dotted name, e.g. ``doctrine.sea_interception.p_success``."""
        out: dict[str, Prior] = {}

        def walk(model: BaseModel, prefix: str) -> None:
            for name in type(model).model_fields:
                v = getattr(model, name)
                if isinstance(v, Prior):
                    out[prefix + name] = v
                elif isinstance(v, BaseModel):
                    walk(v, f"{prefix}{name}.")
        walk(self, "")
        return out

    def uncertain(self) -> dict[str, Prior]:
        """The parameters given as priors (not fixed numbers)."""
        return {k: v for k, v in self.priors().items() if not v.is_fixed}

    def base_dir(self) -> Path:
        return Path(self.source_path).parent if self.source_path else Path.cwd()

    def with_values(self, **dotted: Any) -> "Scenario":
        """A copy with some fields replaced, by dotted name (``**{"doctrine.beach_prevention.p_success": 0}``);
        the result is validated again."""
        data = self.model_dump(mode="python")
        for key, value in dotted.items():
            node = data
            *path, last = key.split(".")
            for p in path:
                node = node[p]
            if last not in node:
                raise ScenarioError(f"scenario {self.name}: field '{key}': unknown field")
            node[last] = value
        return scenario_from_dict(data, label=self.name)


def _loc(loc: tuple) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "(top level)"


def scenario_from_dict(data: dict, label: str = "<dict>") -> Scenario:
    """Validate a mapping as a :class:`Scenario`; errors become ``ScenarioError`` naming ``label`` and the field."""
    if data is None:
        raise ScenarioError(f"scenario {label}: the file is empty")
    if not isinstance(data, dict):
        raise ScenarioError(f"scenario {label}: must be a mapping of fields, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        more = exc.error_count() - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ScenarioError(f"scenario {label}: field '{_loc(err['loc'])}': {field_problem(err)}{tail}") from None


def shipped_scenarios() -> dict[str, Path]:
    """The doctrine scenarios shipped with the package: name -> YAML path."""
    folder = Path(str(resources.files("crossings") / "sim" / "scenarios"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when there (4x faster)
    """yaml.SafeLoader without the implicit timestamp type: a date stays a string until the schema parses it, so
    a bad date (``end: 2025-31-12``) is a field error instead of a crash inside the YAML reader."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"scenario {path}: cannot read: {exc.strerror or exc}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506  a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"scenario {path.name}:{where}: YAML syntax error: {problem}") from None


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int) -> Scenario:
    p = Path(path)
    data = _read_yaml(p)
    if isinstance(data, dict):
        data = {**data, "source_path": str(p)}
    return scenario_from_dict(data, label=p.name)


def load_scenario(source: str | Path) -> Scenario:
    """A scenario from a YAML path or a shipped doctrine name (``status_quo``, ``sea_interception``, ...)."""
    if isinstance(source, Scenario):
        return source
    p = Path(source)
    if not p.exists():
        shipped = shipped_scenarios()
        if str(source) in shipped:
            p = shipped[str(source)]
        else:
            raise ScenarioError(f"scenario {source}: no such file and not a shipped doctrine "
                                f"(shipped: {', '.join(shipped)})")
    if p.is_dir():
        raise ScenarioError(f"scenario {p}: is a folder, not a YAML file")
    p = p.resolve()
    return _load_cached(str(p), p.stat().st_mtime_ns)

