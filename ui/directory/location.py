"""Where "autour de moi" searches from: the practice location of the settings, or the centre of
Lyon when none is set (the search form says so). What the directory opens for a correspondent (a
composer, the téléexpertise form) goes through the navigator (`ui/navigator.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app import settings


@dataclass(frozen=True)
class PracticeLocation:
    lat: float
    lon: float
    label: str
    is_default: bool = False


# Place Bellecour: the centre of Lyon, where the regional service (and the demo's GP) is.
LYON = PracticeLocation(45.7578, 4.8320, "Lyon", is_default=True)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _location_of(value: Any) -> PracticeLocation | None:
    """A practice location from the settings' record (lat, lon, commune), a dict with the same
    keys, or a (lat, lon) pair; None when it is not a usable place."""
    if value is None:
        return None
    if isinstance(value, PracticeLocation):
        return value
    if isinstance(value, tuple | list) and len(value) == 2:
        lat, lon = _number(value[0]), _number(value[1])
        return PracticeLocation(lat, lon, "votre lieu d'exercice") if lat and lon else None
    get: Callable[[str], Any]
    get = value.get if isinstance(value, dict) else (lambda key: getattr(value, key, None))
    lat, lon = _number(get("lat")), _number(get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    label = get("label") or get("commune") or get("city") or "votre lieu d'exercice"
    return PracticeLocation(lat, lon, str(label))


def practice_location(value: Any = None) -> PracticeLocation:
    """`value`, else the practice location of the current settings, else Lyon (the default)."""
    if value is None:
        value = settings.current().practice_location
    return _location_of(value) or LYON


__all__ = ["LYON", "PracticeLocation", "practice_location"]
