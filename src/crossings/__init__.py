"""crossings: an open observatory and simulator of small-boat crossings of the English Channel.

Data flows one way: ``sources`` (read official files, weather, tides) -> ``store`` (DuckDB, every release kept) ->
``analysis``, ``sim``, ``forecast`` -> ``report`` / ``cli``.

Contains public sector information licensed under the Open Government Licence v3.0 (Home Office small-boat
statistics); see ``crossings/data/LICENCE.md`` and :data:`ATTRIBUTION`.
"""
from __future__ import annotations

__version__ = "0.1.0"

ATTRIBUTION = (
    "Source: Home Office, 'Migrants detected crossing the English Channel in small boats'. Crown copyright. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
ATTRIBUTION_CONDITIONS = "Weather and wave data: Open-Meteo.com, CC BY 4.0. Tide constants: TICON-4 (SEANOE), CC BY 4.0."
