"""Dates and durations as French CVs write them.

"2019 – aujourd'hui", "depuis mars 2021", "03/2015 - 06/2019", "De 2012 à 2016",
"janv. 2018 – déc. 2020", "sept. 2019 – présent", "(3 ans)", "2 ans et 6 mois".
Durations are in months. A range of years only counts whole years (2016 – 2019 is 36 months);
when both ends carry a month the range is inclusive (janv. 2020 – déc. 2020 is 12 months).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "février": 2,
    "fevr": 2,
    "févr": 2,
    "fev": 2,
    "fév": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "décembre": 12,
    "dec": 12,
    "déc": 12,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PRESENT = (
    r"aujourd['’ ]?hui|à ce jour|a ce jour|ce jour|présent|present|actuellement|en cours|"
    r"maintenant|now|today|current"
)


def _point(tag: str) -> str:
    return (
        rf"(?:(?P<{tag}name>{_MONTH_NAMES})\.?\s+|(?P<{tag}num>0?[1-9]|1[0-2])\s*[/.\-]\s*)?"
        rf"(?P<{tag}year>(?:19|20)\d{{2}})"
    )


_SEP = r"\s*(?:–|—|-|à|a|au|>|→|to|/)\s*"
_RANGE = re.compile(
    rf"(?<![\w/])(?:(?:de|du)\s+)?{_point('a')}{_SEP}(?:{_point('b')}|(?P<present>{_PRESENT}))"
    r"(?!\w)",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"\bdepuis\s+(?:le\s+|l['’]\s*)?{_point('a')}(?!\w)", re.IGNORECASE)
_SINGLE = re.compile(rf"(?<![\w/]){_point('a')}(?!\w)", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(?P<n>\d{1,2})\s*(?P<unit>ans?|années?|annees?|mois)\b"
    r"(?:\s*(?:et\s*)?(?P<extra>\d{1,2})\s*mois\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Period:
    start: int  # character offsets in the line the period was read from
    end: int
    text: str
    from_year: int | None
    from_month: int | None
    to_year: int | None
    to_month: int | None
    ongoing: bool
    months: int | None  # computed, or stated ("3 ans") when there is no range

    def __str__(self) -> str:
        return self.text


def _month(match: re.Match[str], tag: str) -> int | None:
    name = match.group(f"{tag}name")
    if name:
        return _MONTHS[name.lower()]
    num = match.group(f"{tag}num")
    return int(num) if num else None


def _between(y1: int, m1: int | None, y2: int, m2: int | None) -> int | None:
    if (y2, m2 or 1) < (y1, m1 or 1):
        return None
    if m1 is not None and m2 is not None:
        return (y2 - y1) * 12 + (m2 - m1) + 1
    return (y2 - y1) * 12 + ((m2 or 1) - (m1 or 1))


def find_period(line: str, today: date) -> Period | None:
    """The first date range or duration in a line, with the months it covers."""
    stated = _DURATION.search(line)
    stated_months = None
    if stated:
        n = int(stated.group("n"))
        stated_months = n if stated.group("unit").lower() == "mois" else n * 12
        stated_months += int(stated.group("extra") or 0)
    m = _RANGE.search(line)
    if m:
        y1, m1 = int(m.group("ayear")), _month(m, "a")
        if m.group("present"):
            # "2019 – aujourd'hui" counts from January 2019; "mars 2021 – ..." inclusively.
            return _period(
                line, m, y1, m1, None, None, True, _between(y1, m1, today.year, today.month)
            )
        y2, m2 = int(m.group("byear")), _month(m, "b")
        months = _between(y1, m1, y2, m2)
        return _period(
            line, m, y1, m1, y2, m2, False, months if months is not None else stated_months
        )
    m = _SINCE.search(line)
    if m:
        y1, m1 = int(m.group("ayear")), _month(m, "a")
        months = _between(y1, m1, today.year, today.month)
        return _period(line, m, y1, m1, None, None, True, months)
    m = _SINGLE.search(line)
    if m:
        y1, m1 = int(m.group("ayear")), _month(m, "a")
        return _period(line, m, y1, m1, None, None, False, stated_months)
    if stated:
        return Period(
            stated.start(),
            stated.end(),
            stated.group(),
            None,
            None,
            None,
            None,
            False,
            stated_months,
        )
    return None


def _period(
    line: str,
    m: re.Match[str],
    y1: int,
    m1: int | None,
    y2: int | None,
    m2: int | None,
    ongoing: bool,
    months: int | None,
) -> Period:
    return Period(m.start(), m.end(), line[m.start() : m.end()], y1, m1, y2, m2, ongoing, months)


def has_range(line: str) -> bool:
    """A line carrying a period of work ("2019 – 2021", "depuis 2020"), not a lone year."""
    return bool(_RANGE.search(line) or _SINCE.search(line))


def strip_periods(line: str) -> str:
    """The line without its dates and stated durations."""
    for pattern in (_RANGE, _SINCE, _DURATION, _SINGLE):
        line = pattern.sub(" ", line)
    return line
