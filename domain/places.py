"""Every place name we know: countries, ISO codes, regions, cities, their aliases, remote words."""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from typing import NamedTuple

US, UK, CA = "United States", "United Kingdom", "Canada"

# Areas wider than a country, time zones and filler that name no single place.
MACROS = frozenset(
    {
        "europe", "eu", "european union", "emea", "apac", "latam", "namer", "amer", "americas",
        "north america", "south america", "latin america", "africa", "asia", "middle east",
        "eastern europe", "western europe", "nordics", "dach", "benelux", "east coast",
        "west coast", "central timezone", "eastern", "pacific", "cet", "est", "pst", "utc", "gmt",
        "pnw", "north to south america", "multiple locations", "any location", "engineering",
        "timezone", "east", "west", "north", "south", "central", "greater", "great",
    }
)  # fmt: skip
# The one spelling of "this place is remote": in job locations and in candidates' preferences.
REMOTE_WORDS = r"remote(?:ly)?|anywhere|worldwide|global(?:ly)?|work from home|wfh|distributed"
REMOTE = re.compile(rf"\b(?:{REMOTE_WORDS})\b", re.I)

COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    US: ("us", "usa", "united states of america", "u s", "u s a"),
    UK: ("uk", "great britain", "britain", "gb"),
    CA: ("can",), "Germany": ("deutschland",), "France": (), "Spain": ("espana",),
    "Portugal": (), "Italy": ("italia",), "Netherlands": ("the netherlands", "holland"),
    "Belgium": (), "Luxembourg": (), "Switzerland": (), "Austria": (), "Ireland": (),
    "Denmark": (), "Sweden": (), "Norway": (), "Finland": (), "Iceland": (), "Estonia": (),
    "Latvia": (), "Lithuania": (), "Poland": (), "Czech Republic": ("czechia",), "Slovakia": (),
    "Slovenia": (), "Croatia": (), "Serbia": (), "Hungary": (), "Romania": (), "Bulgaria": (),
    "Greece": (), "Cyprus": (), "Malta": (), "Ukraine": (), "Belarus": (), "Turkey": ("turkiye",),
    "Israel": (), "United Arab Emirates": ("uae", "u a e"), "Saudi Arabia": ("ksa",),
    "Qatar": (), "Egypt": (), "Morocco": (), "Nigeria": (), "Kenya": (), "Ghana": (),
    "Uganda": (), "Rwanda": (), "Ethiopia": (), "South Africa": (),
    "Ivory Coast": ("cote d'ivoire", "cote divoire"), "India": (), "Pakistan": (), "Bangladesh": (),
    "Sri Lanka": (), "Nepal": (), "China": (), "Hong Kong": (), "Taiwan": (), "Japan": (),
    "South Korea": ("korea", "republic of korea"), "Singapore": (), "Malaysia": (),
    "Indonesia": (), "Philippines": (), "Vietnam": ("viet nam",), "Thailand": (),
    "Australia": (), "New Zealand": (), "Mexico": (), "Brazil": ("brasil",), "Argentina": (),
    "Colombia": (), "Chile": (), "Peru": (), "Uruguay": (), "Paraguay": (), "Panama": (),
    "Costa Rica": (), "Dominican Republic": (), "Guatemala": (), "Ecuador": (), "Venezuela": (),
    "Cayman Islands": (), "Kazakhstan": (), "Armenia": (), "Russia": (), "Iran": (),
    "Bolivia": (), "Togo": (), "Cape Verde": (), "Cameroon": (), "Senegal": (), "Tunisia": (),
    "Algeria": (), "Jordan": (), "Lebanon": (), "Kuwait": (), "Bahrain": (), "Oman": (),
    "Honduras": (), "El Salvador": (), "Jamaica": (), "Albania": (), "North Macedonia": (),
    "Moldova": (), "Azerbaijan": (), "Uzbekistan": (), "Cambodia": (), "Tanzania": (),
    "Zimbabwe": (), "Zambia": (), "Mauritius": (),
}  # fmt: skip
ISO2_COUNTRIES: dict[str, str] = {
    "US": US, "GB": UK, "UK": UK, "CA": CA, "DE": "Germany", "FR": "France", "ES": "Spain",
    "IT": "Italy", "NL": "Netherlands", "BE": "Belgium", "CH": "Switzerland", "AT": "Austria",
    "IE": "Ireland", "PL": "Poland", "PT": "Portugal", "SE": "Sweden", "NO": "Norway",
    "DK": "Denmark", "FI": "Finland", "IN": "India", "JP": "Japan", "CN": "China",
    "AU": "Australia", "NZ": "New Zealand", "SG": "Singapore", "BR": "Brazil", "MX": "Mexico",
    "AR": "Argentina", "CO": "Colombia", "IL": "Israel", "AE": "United Arab Emirates",
}  # fmt: skip
US_CITIES: dict[str, str] = {  # city: state
    "San Francisco": "CA", "Los Angeles": "CA", "Mountain View": "CA", "Palo Alto": "CA",
    "Redwood City": "CA", "San Jose": "CA", "Sunnyvale": "CA", "Santa Clara": "CA",
    "San Mateo": "CA", "Menlo Park": "CA", "Foster City": "CA", "Oakland": "CA",
    "Berkeley": "CA", "San Leandro": "CA", "Torrance": "CA", "San Diego": "CA", "Irvine": "CA",
    "Santa Monica": "CA", "New York": "NY", "Brooklyn": "NY", "Seattle": "WA", "Bellevue": "WA",
    "Boston": "MA", "Cambridge": "MA", "Austin": "TX", "Dallas": "TX", "Houston": "TX",
    "San Antonio": "TX", "Denver": "CO", "Boulder": "CO", "Chicago": "IL", "Atlanta": "GA",
    "Miami": "FL", "Tampa": "FL", "Orlando": "FL", "Phoenix": "AZ", "Scottsdale": "AZ",
    "Salt Lake City": "UT", "Lehi": "UT", "Washington": "DC", "Philadelphia": "PA",
    "Pittsburgh": "PA", "Detroit": "MI", "Minneapolis": "MN", "Portland": "OR",
    "Las Vegas": "NV", "Jersey City": "NJ", "Hoboken": "NJ", "Raleigh": "NC", "Charlotte": "NC",
    "Nashville": "TN", "Columbus": "OH", "Cincinnati": "OH", "Cleveland": "OH",
    "Baltimore": "MD", "Kansas City": "MO", "St. Louis": "MO", "Des Moines": "IA",
    "Honolulu": "HI", "Arlington": "VA", "New Albany": "OH", "Colorado Springs": "CO",
    "Indianapolis": "IN",
}  # fmt: skip
WORLD_CITIES: dict[str, str] = {  # city: country
    "London": UK, "Manchester": UK, "Edinburgh": UK, "Glasgow": UK, "Belfast": UK,
    "Bristol": UK, "Leeds": UK, "Oxford": UK, "Reading": UK, "Milton Keynes": UK,
    "Nottingham": UK, "Birmingham": UK, "Toronto": CA, "Montreal": CA, "Vancouver": CA,
    "Ottawa": CA, "Calgary": CA, "Edmonton": CA, "Waterloo": CA, "Halifax": CA,
    "Winnipeg": CA, "Paris": "France", "Lyon": "France", "Marseille": "France",
    "Bordeaux": "France", "Toulouse": "France", "Nantes": "France", "Lille": "France",
    "Strasbourg": "France", "Berlin": "Germany", "Munich": "Germany", "Hamburg": "Germany",
    "Frankfurt": "Germany", "Cologne": "Germany", "Dusseldorf": "Germany",
    "Stuttgart": "Germany", "Heidelberg": "Germany", "Darmstadt": "Germany",
    "Hannover": "Germany", "Kiel": "Germany", "Leipzig": "Germany", "Erfurt": "Germany",
    "Duisburg": "Germany", "Heilbronn": "Germany", "Nuremberg": "Germany",
    "Amsterdam": "Netherlands",
    "Rotterdam": "Netherlands", "The Hague": "Netherlands", "Utrecht": "Netherlands",
    "Eindhoven": "Netherlands", "Brussels": "Belgium", "Antwerp": "Belgium", "Ghent": "Belgium",
    "Luxembourg": "Luxembourg", "Zurich": "Switzerland", "Geneva": "Switzerland",
    "Basel": "Switzerland", "Lausanne": "Switzerland", "Vienna": "Austria", "Dublin": "Ireland",
    "Cork": "Ireland", "Copenhagen": "Denmark", "Stockholm": "Sweden", "Gothenburg": "Sweden",
    "Oslo": "Norway", "Helsinki": "Finland", "Reykjavik": "Iceland", "Tallinn": "Estonia",
    "Riga": "Latvia", "Vilnius": "Lithuania", "Warsaw": "Poland", "Krakow": "Poland",
    "Wroclaw": "Poland", "Gdansk": "Poland", "Prague": "Czech Republic", "Brno": "Czech Republic",
    "Bratislava": "Slovakia", "Ljubljana": "Slovenia", "Zagreb": "Croatia", "Belgrade": "Serbia",
    "Budapest": "Hungary", "Bucharest": "Romania", "Cluj-Napoca": "Romania", "Sofia": "Bulgaria",
    "Athens": "Greece", "Nicosia": "Cyprus", "Limassol": "Cyprus", "Valletta": "Malta",
    "Kyiv": "Ukraine", "Lviv": "Ukraine", "Minsk": "Belarus", "Madrid": "Spain",
    "Barcelona": "Spain", "Valencia": "Spain", "Seville": "Spain", "Malaga": "Spain",
    "Las Palmas": "Spain", "Lisbon": "Portugal", "Porto": "Portugal", "Milan": "Italy",
    "Rome": "Italy", "Turin": "Italy", "Naples": "Italy", "Florence": "Italy", "Bologna": "Italy",
    "Istanbul": "Turkey", "Tel Aviv": "Israel", "Jerusalem": "Israel", "Haifa": "Israel",
    "Dubai": "United Arab Emirates", "Abu Dhabi": "United Arab Emirates",
    "Riyadh": "Saudi Arabia", "Jeddah": "Saudi Arabia", "Doha": "Qatar", "Cairo": "Egypt",
    "Casablanca": "Morocco", "Lagos": "Nigeria", "Abuja": "Nigeria", "Nairobi": "Kenya",
    "Mombasa": "Kenya", "Johannesburg": "South Africa", "Cape Town": "South Africa",
    "Accra": "Ghana", "Kampala": "Uganda", "Kigali": "Rwanda", "Abidjan": "Ivory Coast",
    "Addis Ababa": "Ethiopia", "Bengaluru": "India", "Hyderabad": "India", "Mumbai": "India",
    "Pune": "India", "Chennai": "India", "Delhi": "India", "New Delhi": "India",
    "Gurugram": "India", "Noida": "India", "Kolkata": "India", "Ahmedabad": "India",
    "Karachi": "Pakistan", "Lahore": "Pakistan", "Islamabad": "Pakistan", "Dhaka": "Bangladesh",
    "Colombo": "Sri Lanka", "Singapore": "Singapore", "Hong Kong": "Hong Kong", "Tokyo": "Japan",
    "Osaka": "Japan", "Seoul": "South Korea", "Beijing": "China", "Shanghai": "China",
    "Shenzhen": "China", "Guangzhou": "China", "Hangzhou": "China", "Taipei": "Taiwan",
    "Kuala Lumpur": "Malaysia", "Jakarta": "Indonesia", "Manila": "Philippines",
    "Cebu": "Philippines", "Ho Chi Minh City": "Vietnam", "Hanoi": "Vietnam",
    "Bangkok": "Thailand", "Sydney": "Australia", "Melbourne": "Australia",
    "Brisbane": "Australia", "Perth": "Australia", "Adelaide": "Australia",
    "Canberra": "Australia", "Auckland": "New Zealand", "Wellington": "New Zealand",
    "Mexico City": "Mexico", "Guadalajara": "Mexico", "Monterrey": "Mexico",
    "Sao Paulo": "Brazil", "Rio de Janeiro": "Brazil", "Buenos Aires": "Argentina",
    "Bogota": "Colombia", "Medellin": "Colombia", "Santiago": "Chile", "Lima": "Peru",
    "Montevideo": "Uruguay", "Santo Domingo": "Dominican Republic", "Panama City": "Panama",
}  # fmt: skip
CITY_REGIONS: dict[str, str] = {
    "Toronto": "Ontario", "Ottawa": "Ontario", "Waterloo": "Ontario", "Montreal": "Quebec",
    "Vancouver": "British Columbia", "Calgary": "Alberta", "Edmonton": "Alberta",
    "Halifax": "Nova Scotia", "Winnipeg": "Manitoba", "Bengaluru": "Karnataka",
    "Mumbai": "Maharashtra", "Pune": "Maharashtra", "Hyderabad": "Telangana",
    "Chennai": "Tamil Nadu", "Gurugram": "Haryana", "Noida": "Uttar Pradesh",
    "Kolkata": "West Bengal", "Ahmedabad": "Gujarat", "Sydney": "New South Wales",
    "Melbourne": "Victoria", "Brisbane": "Queensland", "Perth": "Western Australia",
    "Adelaide": "South Australia", "Munich": "Bavaria", "Barcelona": "Catalonia",
    "London": "England", "Manchester": "England", "Bristol": "England", "Leeds": "England",
    "Oxford": "England", "Reading": "England", "Milton Keynes": "England",
    "Nottingham": "England", "Birmingham": "England", "Edinburgh": "Scotland",
    "Glasgow": "Scotland", "Belfast": "Northern Ireland",
}  # fmt: skip
CITY_ALIASES: dict[str, str] = {  # spelling: city
    "nyc": "New York", "new york city": "New York", "manhattan": "New York", "sf": "San Francisco",
    "san fran": "San Francisco", "bay area": "San Francisco", "sf bay area": "San Francisco",
    "san francisco bay area": "San Francisco", "la": "Los Angeles", "dc": "Washington",
    "washington dc": "Washington", "st louis": "St. Louis", "saint louis": "St. Louis",
    "bangalore": "Bengaluru", "gurgaon": "Gurugram", "bombay": "Mumbai", "delhi ncr": "Delhi",
    "munchen": "Munich", "koln": "Cologne", "zuerich": "Zurich", "geneve": "Geneva",
    "wien": "Vienna", "praha": "Prague", "warszawa": "Warsaw", "lisboa": "Lisbon",
    "milano": "Milan", "roma": "Rome", "kiev": "Kyiv", "cluj": "Cluj-Napoca",
    "manilla": "Manila", "cdmx": "Mexico City", "ciudad de mexico": "Mexico City",
    "saigon": "Ho Chi Minh City", "nurnberg": "Nuremberg", "den haag": "The Hague",
    "bruxelles": "Brussels",
}  # fmt: skip
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "PR": "Puerto Rico",
}  # fmt: skip

CANADIAN_PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip

# Regions that are written out in full only (no abbreviation is safe to read for them).
OTHER_REGIONS: dict[str, str] = {
    "England": "United Kingdom", "Scotland": "United Kingdom", "Wales": "United Kingdom",
    "Northern Ireland": "United Kingdom",
    "New South Wales": "Australia", "Victoria": "Australia", "Queensland": "Australia",
    "Western Australia": "Australia", "South Australia": "Australia", "Tasmania": "Australia",
    "Karnataka": "India", "Maharashtra": "India", "Telangana": "India", "Tamil Nadu": "India",
    "Haryana": "India", "Uttar Pradesh": "India", "West Bengal": "India",
    "Gujarat": "India", "Kerala": "India", "Bavaria": "Germany", "Catalonia": "Spain",
}  # fmt: skip


def region_index() -> dict[str, tuple[str, str]]:
    """Lower-case full region name -> (canonical region, country)."""
    index: dict[str, tuple[str, str]] = {}
    for name in US_STATES.values():
        index[name.lower()] = (name, US)
    for name in CANADIAN_PROVINCES.values():
        index[name.lower()] = (name, CA)
    index["québec"] = ("Quebec", CA)
    index["dc"] = ("District of Columbia", US)
    for name, country in OTHER_REGIONS.items():
        index[name.lower()] = (name, country)
    return index


class GazetteerCity(NamedTuple):
    """One city of the bundled GeoNames-derived gazetteer."""

    name: str
    region: str | None
    country: str
    lat: float
    lon: float
    population: int


# Our canonical spelling of a city -> the gazetteer's, where they differ.
GAZETTEER_NAMES = {"New York": "New York City"}


def name_key(text: str) -> str:
    """A place name compared without case, accents, dots or extra spaces ("St. Louis" = "st louis")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().replace(".", "").replace("’", "'").split())


def _gazetteer_lines() -> list[str]:
    """The table `make install` derives from GeoNames; derived in memory (slower) when it is missing."""
    table = resources.files("domain.data").joinpath("gazetteer.tsv")
    if table.is_file():
        return table.read_text(encoding="utf-8").splitlines(keepends=True)
    from domain.data.build_gazetteer import lines

    return lines()


@functools.cache
def gazetteer() -> dict[str, tuple[GazetteerCity, ...]]:
    """Name key -> the cities of that name, most populous first (read once, on first use)."""
    countries = {
        name_key(alias): name for name, aliases in COUNTRY_ALIASES.items() for alias in aliases
    }
    countries.update({name_key(name): name for name in COUNTRY_ALIASES})
    regions = {**US_STATES, **CANADIAN_PROVINCES}
    by_key: dict[str, list[GazetteerCity]] = {}
    for line in _gazetteer_lines()[1:]:
        name, country, admin, lat, lon, population = line.rstrip("\n").split("\t")
        country = countries.get(name_key(country), country)
        city = GazetteerCity(
            name, regions.get(admin), country, float(lat), float(lon), int(population)
        )
        by_key.setdefault(name_key(name), []).append(city)
    for spelling, name in GAZETTEER_NAMES.items():
        by_key[name_key(spelling)] = [*by_key[name_key(name)], *by_key.get(name_key(spelling), [])]
    return {
        key: tuple(sorted(cities, key=lambda c: -c.population)) for key, cities in by_key.items()
    }
