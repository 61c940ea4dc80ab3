"""One glossary of the variable names used across the package, with their units.

Names carry their unit where one applies (``wave_height_m``); counts are plain integers of people or boats.
"""
GLOSSARY: dict[str, str] = {
    "date": "calendar day (UK), the day the Home Office counts an arrival",
    "week_ending": "last day (Sunday) of a week in the official weekly table SB_02",
    "migrants_arrived": "people detected arriving in the UK in small boats on the day [people]",
    "boats_arrived": "small boats detected arriving [boats]",
    "uncontrolled_landings": "boats that landed in the UK without interception, a subset of boats_arrived [boats]",
    "migrants_prevented": "people prevented from departing France or returned to France, French estimate [people]",
    "events_prevented": "crossing attempts prevented, French estimate [events]",
    "people_per_boat": "migrants_arrived / boats_arrived over a period [people per boat]",
    "crossing_day": "a day with at least one boat arrived [bool]",
    "release_date": "publication date of the official file a value comes from",
    "sha256": "hex digest of the ingested file's bytes",
    "wind_speed_ms": "10 m wind speed [m/s]",
    "wind_gust_ms": "10 m wind gust [m/s]",
    "wind_direction_deg": "direction the wind blows from [degrees true]",
    "wave_height_m": "significant wave height [m]",
    "water_level_m": "predicted water level above chart datum [m]",
    "launches": "boats that left the French coast [boats]",
    "migrants_rescued": "people rescued at sea and returned to France [people]",
    "incidents": "boats with people in the water or in distress needing rescue [boats]",
    "deaths": "people who died at sea [people]",
    "people_waiting": "people on the French coast waiting to cross [people]",
    "p_crossing_day": "probability that a day is a crossing day [0-1]",
}
