"""The communes the demo directory is spread over, read from server/demo/data/communes.csv.

Positions come from GeoNames (CC BY 4.0, see the CSV header and build_communes.py). Postal codes
are derived here, not real: the arrondissements of Paris, Lyon and Marseille get their true forms
(750xx, 6900x, 130xx), the most populous commune of a département gets `<dép>000`, the others
`<dép>` + a deterministic three-digit ending taken from a hash of the INSEE code.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "communes.csv"
# Communes split into municipal arrondissements: the demo places people in the arrondissements.
SPLIT_COMMUNES = frozenset({"75056", "69123", "13055"})


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    departement: str
    region: str
    lat: float
    lon: float
    population: int  # 0 when unknown (small commune placed approximately)
    postal_code: str

    @property
    def city(self) -> str:
        """The name an address carries: "Lyon" for "Lyon 3e Arrondissement"."""
        if self.name.endswith(" Arrondissement"):
            return self.name.split(" ")[0]
        return self.name


def _postal_code(insee: str, departement: str, biggest: bool) -> str:
    if insee.startswith("751") and insee != "75056":
        return "750" + insee[3:]
    if insee.startswith("6938"):
        return "6900" + insee[4]
    if insee.startswith("132") and insee[:2] == "13":
        return "130" + insee[3:]
    digest = int.from_bytes(hashlib.sha256(insee.encode()).digest()[:4], "big")
    if len(departement) == 3:  # overseas: 971…976 + two digits
        return departement + ("00" if biggest else f"{10 + digest % 80:02d}")
    prefix = "20" if departement in ("2A", "2B") else departement
    return prefix + ("000" if biggest else f"{10 * (1 + digest % 99):03d}")


@cache
def load_communes(path: Path = DATA_FILE) -> tuple[Commune, ...]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    biggest: dict[str, tuple[int, str]] = {}
    for row in rows:
        pop = int(row["population"] or 0)
        if pop > biggest.get(row["dep"], (-1, ""))[0]:
            biggest[row["dep"]] = (pop, row["insee"])
    return tuple(
        Commune(
            insee=row["insee"],
            name=row["name"],
            departement=row["dep"],
            region=row["reg"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"] or 0),
            postal_code=_postal_code(
                row["insee"], row["dep"], biggest.get(row["dep"], (0, ""))[1] == row["insee"]
            ),
        )
        for row in rows
    )


def commune_by_insee(insee: str) -> Commune:
    for commune in load_communes():
        if commune.insee == insee:
            return commune
    raise KeyError(insee)
