"""The time zones a guest can pick: current canonical IANA names, no legacy aliases.

``zoneinfo.available_timezones()`` also lists ~250 links kept for old software (``US/Eastern``,
``Asia/Calcutta``, ``Europe/Kiev``): tzdata's ``backward`` file. Python's tzdata does not ship
that file, so the links are read from ``tzdata.zi`` (its ``L target name`` lines) and those
``zone.tab`` still names as a country's zone are kept (since 2022 some cities, such as
``Europe/Amsterdam``, are links too, yet current and what people look for). When neither file is
readable, a shipped list of the common legacy names is used. ``Etc/*``, the POSIX-style names
without a region (``EST5EDT``) and the ``posix/`` / ``right/`` trees are left out; ``UTC`` is in.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, available_timezones

SKIP = ("Etc/", "SystemV/", "posix/", "right/")

FALLBACK_LEGACY = frozenset(
    [
        "America/Buenos_Aires",
        "America/Catamarca",
        "America/Cordoba",
        "America/Fort_Wayne",
        "America/Godthab",
        "America/Indianapolis",
        "America/Jujuy",
        "America/Knox_IN",
        "America/Louisville",
        "America/Mendoza",
        "America/Montreal",
        "America/Porto_Acre",
        "America/Rosario",
        "America/Santa_Isabel",
        "America/Shiprock",
        "America/Virgin",
        "Antarctica/South_Pole",
        "Asia/Ashkhabad",
        "Asia/Calcutta",
        "Asia/Chongqing",
        "Asia/Chungking",
        "Asia/Dacca",
        "Asia/Harbin",
        "Asia/Istanbul",
        "Asia/Kashgar",
        "Asia/Katmandu",
        "Asia/Macao",
        "Asia/Rangoon",
        "Asia/Saigon",
        "Asia/Tel_Aviv",
        "Asia/Thimbu",
        "Asia/Ujung_Pandang",
        "Asia/Ulan_Bator",
        "Atlantic/Faeroe",
        "Atlantic/Jan_Mayen",
        "Australia/ACT",
        "Australia/Canberra",
        "Australia/LHI",
        "Australia/NSW",
        "Australia/North",
        "Australia/Queensland",
        "Australia/South",
        "Australia/Tasmania",
        "Australia/Victoria",
        "Australia/West",
        "Australia/Yancowinna",
        "Brazil/Acre",
        "Brazil/DeNoronha",
        "Brazil/East",
        "Brazil/West",
        "Canada/Atlantic",
        "Canada/Central",
        "Canada/Eastern",
        "Canada/Mountain",
        "Canada/Newfoundland",
        "Canada/Pacific",
        "Canada/Saskatchewan",
        "Canada/Yukon",
        "Chile/Continental",
        "Chile/EasterIsland",
        "Europe/Belfast",
        "Europe/Kiev",
        "Europe/Nicosia",
        "Europe/Tiraspol",
        "Europe/Uzhgorod",
        "Europe/Zaporozhye",
        "Mexico/BajaNorte",
        "Mexico/BajaSur",
        "Mexico/General",
        "Pacific/Enderbury",
        "Pacific/Johnston",
        "Pacific/Ponape",
        "Pacific/Samoa",
        "Pacific/Truk",
        "Pacific/Yap",
        "US/Alaska",
        "US/Aleutian",
        "US/Arizona",
        "US/Central",
        "US/East-Indiana",
        "US/Eastern",
        "US/Hawaii",
        "US/Indiana-Starke",
        "US/Michigan",
        "US/Mountain",
        "US/Pacific",
        "US/Samoa",
    ]
)


def _read(name: str) -> str | None:
    """``name`` from the tzdata package, else from the first zoneinfo dir that has it."""
    try:
        return importlib.resources.files("tzdata").joinpath("zoneinfo", name).read_text()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    for base in TZPATH:
        path = Path(base) / name
        try:
            return path.read_text()
        except OSError:
            continue
    return None


def legacy_names(zi: str | None, tab: str | None) -> frozenset[str]:
    """Link names in ``tzdata.zi`` text that ``zone.tab`` text does not list as current."""
    if not zi:
        return FALLBACK_LEGACY
    links = {
        parts[2] for line in zi.splitlines() if len(parts := line.split()) >= 3 and parts[0] == "L"
    }
    current = {
        parts[2]
        for line in (tab or "").splitlines()
        if not line.startswith("#") and len(parts := line.split("\t")) >= 3
    }
    return frozenset(links - current)


def canonical(names: Iterable[str], legacy: frozenset[str]) -> list[str]:
    """``names`` without legacy aliases and region-less names, sorted, then ``UTC``."""
    kept = {n for n in names if "/" in n and not n.startswith(SKIP) and n not in legacy}
    return [*sorted(kept), "UTC"]


@cache
def zone_names() -> list[str]:
    """The zones the booking page offers (read once per process)."""
    return canonical(available_timezones(), legacy_names(_read("tzdata.zi"), _read("zone.tab")))


def offset_label(zone: str, at: datetime) -> str:
    """``UTC-05:00`` for ``zone`` at ``at`` (what a guest compares with their clock)."""
    offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"
