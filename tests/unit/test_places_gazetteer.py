"""Place names parse as the places people mean, and geocode near them."""

from __future__ import annotations

import pytest

from domain.geo import Point, distance_km, geocode, within_km
from domain.locations import parse_location

US = "United States"
PLACES = [
    ("La Crosse, WI", "La Crosse", "Wisconsin", US, Point(43.80, -91.24)),
    ("La Mesa", "La Mesa", "California", US, Point(32.77, -117.02)),
    ("Manhattan Beach, CA", "Manhattan Beach", "California", US, Point(33.88, -118.41)),
    ("Arlington Heights", "Arlington Heights", "Illinois", US, Point(42.09, -87.98)),
    ("Lake Zurich, IL", "Lake Zurich", "Illinois", US, Point(42.20, -88.09)),
    ("South Lyon, MI", "South Lyon", "Michigan", US, Point(42.46, -83.65)),
    ("North Wales, PA", "North Wales", "Pennsylvania", US, Point(40.21, -75.28)),
    ("Ontario, CA", "Ontario", "California", US, Point(34.06, -117.65)),
    ("Indiana, PA", "Indiana", "Pennsylvania", US, Point(40.62, -79.15)),
    ("Jamaica, NY", "Jamaica", "New York", US, Point(40.69, -73.81)),
    ("Weave - Headquarters (Lehi, UT)", "Lehi", "Utah", US, Point(40.39, -111.85)),
    ("San Francisco Bay Area", "San Francisco", "California", US, Point(37.77, -122.42)),
]


@pytest.mark.parametrize(("text", "city", "region", "country", "point"), PLACES)
def test_place_names_parse_as_the_place_people_mean(
    text: str, city: str, region: str, country: str, point: Point
) -> None:
    place = parse_location(text)
    assert (place.city, place.region, place.country) == (city, region, country)
    found = geocode(text)
    assert found is not None and distance_km(found, point) < 5


def test_remote_germany_is_remote_in_germany() -> None:
    place = parse_location("Remote (Germany)")
    assert (place.city, place.country, place.is_remote) == (None, "Germany", True)
    found = geocode(place)
    assert found is not None and within_km(found, Point(51.2, 10.4), 400)


@pytest.mark.parametrize(
    ("alias", "name"),
    [("NYC", "New York, NY"), ("Manhattan", "New York, NY"), ("Bay Area", "San Francisco, CA"),
     ("Bangalore", "Bengaluru"), ("Saint Louis, MO", "St. Louis, MO")],
)  # fmt: skip
def test_alternate_names_geocode_to_the_same_place(alias: str, name: str) -> None:
    a, b = geocode(alias), geocode(name)
    assert a is not None and b is not None and distance_km(a, b) < 15


def test_distance_between_austin_and_dallas_is_about_300_km() -> None:
    austin, dallas = geocode("Austin, TX"), geocode("Dallas, TX")
    assert austin is not None and dallas is not None
    assert 280 < distance_km(austin, dallas) < 310
    assert not within_km(austin, dallas, 25)


def test_a_remote_place_has_no_coordinates() -> None:
    assert geocode("Remote") is None
