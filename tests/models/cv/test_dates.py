from datetime import date

import pytest

from models.cv.dates import find_period, has_range, strip_periods

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("line", "months", "ongoing"),
    [
        ("2019 – aujourd'hui", 94, True),  # years only: from January 2019
        ("depuis mars 2021", 69, True),  # months: inclusive
        ("03/2018 - 10/2026", 104, False),
        ("De 2014 à 2026", 144, False),
        ("janv. 2020 – déc. 2020", 12, False),
        ("sept. 2019 – mars 2021", 19, False),
        ("avril 2021 – présent", 68, True),
        ("2016 – 2019", 36, False),
        ("3 ans", 36, False),
        ("2 ans et 6 mois", 30, False),
    ],
)
def test_periods_and_durations(line, months, ongoing):
    period = find_period(line, TODAY)
    assert period is not None
    assert (period.months, period.ongoing) == (months, ongoing)


def test_a_range_wins_over_a_stated_duration_and_a_reversed_range_has_no_duration():
    period = find_period("Soudeur 2017 – 2026 (9 ans)", TODAY)
    assert period is not None and period.text == "2017 – 2026" and period.months == 108
    reversed_range = find_period("2021 - 2019", TODAY)
    assert reversed_range is not None and reversed_range.months is None


def test_lone_years_are_not_work_periods_and_dates_strip_from_titles():
    assert not has_range("CAP Maçon, 2011")
    assert has_range("Vendeuse | Zara | 2015 – 2021")
    assert strip_periods("2019 – aujourd'hui Aide-soignante").strip() == "Aide-soignante"
    assert find_period("Permis B", TODAY) is None
