"""The search "autour de moi" on a directory without `near` (the national Annuaire Santé API
has none; DESIGN §2.3): the postal codes of the départements around the practice, as
`address-postalcode` prefixes, which every FHIR server searches (a string parameter matches from
its start; commas are OR).

CENTRES: the population-weighted centre of each département's communes, derived once from
server/demo/data/communes.csv (names and codes: INSEE COG, Licence Ouverte / Etalab 2.0;
positions and populations: GeoNames, www.geonames.org, CC BY 4.0);
tests/app/test_directory_national.py checks the tables still match that file.

REACH_KM: how far from its centre a département's farthest commune lies (same file, rounded up):
a département whose centre is within the radius plus its reach may hold places within the
radius. A fixed reach (45 km) left out the edges of départements, even a practice's own
(Divonne-les-Bains, Ain; issue 14 §4).
"""

from __future__ import annotations

import math
from typing import Any

EARTH_RADIUS_KM = 6371.0088
GEOLOCATION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/geolocation"

CENTRES: dict[str, tuple[float, float]] = {
    "01": (46.101, 5.305),
    "02": (49.618, 3.403),
    "03": (46.318, 3.151),
    "04": (43.743, 5.983),
    "05": (44.597, 6.241),
    "06": (43.673, 7.170),
    "07": (44.840, 4.631),
    "08": (49.759, 4.802),
    "09": (42.980, 1.773),
    "10": (48.322, 4.064),
    "11": (43.185, 2.598),
    "12": (44.293, 2.551),
    "13": (43.379, 5.328),
    "14": (49.208, -0.270),
    "15": (45.040, 2.543),
    "16": (45.475, -0.081),
    "17": (45.755, -0.896),
    "18": (47.098, 2.359),
    "19": (45.279, 1.673),
    "21": (47.291, 4.982),
    "22": (48.536, -2.873),
    "23": (46.135, 1.913),
    "24": (45.069, 0.631),
    "25": (47.293, 6.374),
    "26": (44.822, 4.934),
    "27": (49.131, 1.138),
    "28": (48.495, 1.396),
    "29": (48.263, -4.198),
    "2A": (41.837, 8.872),
    "2B": (42.550, 9.349),
    "30": (43.917, 4.358),
    "31": (43.574, 1.401),
    "32": (43.678, 0.622),
    "33": (44.841, -0.591),
    "34": (43.540, 3.690),
    "35": (48.187, -1.689),
    "36": (46.812, 1.642),
    "37": (47.352, 0.689),
    "38": (45.325, 5.515),
    "39": (46.810, 5.673),
    "40": (43.824, -0.944),
    "41": (47.557, 1.423),
    "42": (45.597, 4.306),
    "43": (45.201, 3.890),
    "44": (47.262, -1.710),
    "45": (47.905, 2.127),
    "46": (44.562, 1.602),
    "47": (44.356, 0.485),
    "48": (44.481, 3.238),
    "49": (47.362, -0.551),
    "50": (49.047, -1.374),
    "51": (49.133, 4.112),
    "52": (48.326, 5.184),
    "53": (48.126, -0.748),
    "54": (48.827, 6.117),
    "55": (48.962, 5.351),
    "56": (47.762, -2.957),
    "57": (49.166, 6.423),
    "58": (47.061, 3.245),
    "59": (50.547, 3.164),
    "60": (49.338, 2.484),
    "61": (48.608, -0.049),
    "62": (50.522, 2.447),
    "63": (45.772, 3.174),
    "64": (43.370, -0.951),
    "65": (43.196, 0.090),
    "66": (42.673, 2.855),
    "67": (48.610, 7.671),
    "68": (47.861, 7.326),
    "69": (45.761, 4.829),
    "70": (47.632, 6.227),
    "71": (46.652, 4.602),
    "72": (47.971, 0.187),
    "73": (45.586, 6.106),
    "74": (46.081, 6.345),
    "75": (48.856, 2.347),
    "76": (49.521, 0.785),
    "77": (48.722, 2.740),
    "78": (48.871, 2.010),
    "79": (46.529, -0.391),
    "80": (49.972, 2.271),
    "81": (43.730, 2.145),
    "82": (43.990, 1.302),
    "83": (43.259, 6.153),
    "84": (43.996, 4.988),
    "85": (46.711, -1.422),
    "86": (46.609, 0.395),
    "87": (45.842, 1.230),
    "88": (48.175, 6.564),
    "89": (47.958, 3.480),
    "90": (47.621, 6.874),
    "91": (48.648, 2.328),
    "92": (48.856, 2.260),
    "93": (48.908, 2.462),
    "94": (48.798, 2.443),
    "95": (49.011, 2.262),
    "971": (16.212, -61.548),
    "972": (14.628, -61.001),
    "973": (4.960, -52.873),
    "974": (-21.088, 55.467),
    "976": (-12.798, 45.179),
}


REACH_KM: dict[str, int] = {
    "01": 98,
    "02": 95,
    "03": 206,
    "04": 96,
    "05": 121,
    "06": 68,
    "07": 150,
    "08": 75,
    "09": 99,
    "10": 59,
    "11": 84,
    "12": 59,
    "13": 75,
    "14": 108,
    "15": 151,
    "16": 137,
    "17": 146,
    "18": 79,
    "19": 189,
    "21": 157,
    "22": 87,
    "23": 56,
    "24": 95,
    "25": 59,
    "26": 120,
    "27": 106,
    "28": 53,
    "29": 71,
    "2A": 56,
    "2B": 68,
    "30": 86,
    "31": 109,
    "32": 121,
    "33": 141,
    "34": 122,
    "35": 67,
    "36": 54,
    "37": 65,
    "38": 95,
    "39": 126,
    "40": 123,
    "41": 107,
    "42": 78,
    "43": 118,
    "44": 65,
    "45": 71,
    "46": 130,
    "47": 110,
    "48": 102,
    "49": 50,
    "50": 72,
    "51": 105,
    "52": 113,
    "53": 99,
    "54": 85,
    "55": 103,
    "56": 67,
    "57": 136,
    "58": 107,
    "59": 91,
    "60": 65,
    "61": 73,
    "62": 147,
    "63": 113,
    "64": 74,
    "65": 88,
    "66": 80,
    "67": 84,
    "68": 108,
    "69": 101,
    "70": 137,
    "71": 114,
    "72": 48,
    "73": 106,
    "74": 49,
    "75": 6,
    "76": 90,
    "77": 68,
    "78": 42,
    "79": 58,
    "80": 92,
    "81": 126,
    "82": 121,
    "83": 70,
    "84": 64,
    "85": 74,
    "86": 101,
    "87": 54,
    "88": 75,
    "89": 62,
    "90": 17,
    "91": 45,
    "92": 12,
    "93": 12,
    "94": 14,
    "95": 39,
    "971": 45,
    "972": 30,
    "973": 195,
    "974": 44,
    "976": 20,
}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def postal_prefix(departement: str) -> str:
    """The start of the postal codes of a département: Corsica's are 20…, overseas 971…"""
    return "20" if departement in ("2A", "2B") else departement


def departements_around(lat: float, lon: float, km: float) -> list[str]:
    """The départements that may hold places within `km` of (lat, lon), nearest first: always
    the nearest one. No cap: a département left out is results lost."""
    ranked = sorted((distance_km(lat, lon, c[0], c[1]), d) for d, c in CENTRES.items())
    chosen = [d for dist, d in ranked if dist <= km + REACH_KM[d]]
    return chosen or [ranked[0][1]]


def postal_prefixes_around(lat: float, lon: float, km: float) -> str:
    """`address-postalcode` for "autour de moi": the prefixes of departements_around, comma-
    separated and without repeats (2A and 2B share 20)."""
    prefixes = dict.fromkeys(postal_prefix(d) for d in departements_around(lat, lon, km))
    return ",".join(prefixes)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def position_of(address: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) of a FHIR Address from its standard `geolocation` extension, if valid."""
    for extension in address.get("extension") or []:
        if not isinstance(extension, dict) or extension.get("url") != GEOLOCATION_EXTENSION:
            continue
        parts = {
            e.get("url"): _number(e.get("valueDecimal"))
            for e in extension.get("extension") or []
            if isinstance(e, dict)
        }
        lat, lon = parts.get("latitude"), parts.get("longitude")
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    return None
