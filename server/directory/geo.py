"""Distances for `near`, in a form SQLite can filter and order with plain arithmetic.

Every position is also stored as its unit vector (x, y, z) on the sphere. The squared chord
between two unit vectors, (x-x0)² + (y-y0)² + (z-z0)², is a strictly increasing function of the
great-circle distance, so `chord² <= chord²(km)` selects exactly the haversine disc and
`ORDER BY chord²` is the order by distance, with no Python per row and no approximation margin
(only float rounding, around 1e-12 km). A latitude band and a longitude range that contain the
disc let SQLite read only the rows of the region from an index clustered by position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # the mean radius, as search.haversine_km uses
_MARGIN = 1e-6  # relative widening of the bounding box, far above any float error


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord2(km: float) -> float:
    """The squared chord (on the unit sphere) of a great-circle distance."""
    angle = min(km / EARTH_RADIUS_KM, math.pi)
    return (2 * math.sin(angle / 2)) ** 2


def km_of_chord2(value: float) -> float:
    """The great-circle distance of a squared chord: the inverse of `chord2`."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(max(value, 0.0)) / 2))


@dataclass(frozen=True)
class Box:
    """Latitude band and longitude ranges (one, or two across the antimeridian) holding a disc."""

    min_lat: float
    max_lat: float
    lon_ranges: tuple[tuple[float, float], ...]  # empty: every longitude


def bounding_box(lat: float, lon: float, km: float) -> Box:
    angle = km / EARTH_RADIUS_KM
    dlat = math.degrees(angle) * (1 + _MARGIN) + 1e-9
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90 or angle >= math.pi / 2:  # reaches a pole
        return Box(max(min_lat, -90.0), min(max_lat, 90.0), ())
    # The widest longitude of a spherical cap is reached off its centre's parallel.
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    if ratio >= 1:
        return Box(min_lat, max_lat, ())
    dlon = math.degrees(math.asin(ratio)) * (1 + _MARGIN) + 1e-9
    if dlon >= 180:
        return Box(min_lat, max_lat, ())
    west, east = lon - dlon, lon + dlon
    if west < -180:
        return Box(min_lat, max_lat, ((west + 360, 180.0), (-180.0, east)))
    if east > 180:
        return Box(min_lat, max_lat, ((west, 180.0), (-180.0, east - 360)))
    return Box(min_lat, max_lat, ((west, east),))
