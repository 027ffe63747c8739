"""Dates and counts in French, the same on every machine: the one module every screen and the
core's sentences use."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from app.dates import (
    compact_date,
    french_day,
    french_hours,
    hours_minutes,
    long_date,
    long_datetime,
    numeric_date,
    numeric_datetime,
    parse_birth_date,
    quantity,
    short_date,
)


def test_days_read_as_french_writes_them() -> None:
    assert long_date(dt.date(2026, 3, 1)) == "1er mars 2026"
    assert french_day(dt.date(2026, 11, 27)) == "vendredi 27 novembre 2026"
    assert numeric_date(dt.date(1985, 3, 2)) == "02/03/1985"


def test_short_dates_name_the_year_only_when_it_is_not_this_one() -> None:
    assert short_date(dt.date(2026, 11, 24), 2026) == "24 nov."
    assert short_date(dt.date(2025, 2, 1), 2026) == "1 févr. 2025"
    assert short_date(dt.datetime(2026, 7, 14, 23, 59), 2026) == "14 juil."
    today = dt.date.today()
    assert short_date(today) == short_date(today, today.year)  # this year: today's by default


def test_hours_and_moments_read_with_the_french_h() -> None:
    start = dt.datetime(2026, 6, 1, 9, 5)
    assert french_hours(start, start + dt.timedelta(minutes=20)) == "09 h 05 – 09 h 25"
    assert long_datetime(dt.datetime(2026, 3, 1, 9, 5)) == "le 1er mars 2026 à 09 h 05"
    assert long_datetime(dt.datetime(2026, 11, 24, 14, 5)) == "le 24 novembre 2026 à 14 h 05"


def test_a_birth_date_is_read_in_the_ways_people_type_it() -> None:
    for typed in ("12/03/1985", " 12.03.1985 ", "12-03-1985", "1985-03-12"):
        assert parse_birth_date(typed) == dt.date(1985, 3, 12)
    assert parse_birth_date("31/02/1985") is None
    assert parse_birth_date("") is None


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_numeric_date_reads_back_as_the_same_day(day: dt.date) -> None:
    assert parse_birth_date(numeric_date(day)) == day


def test_plural_from_two_on_as_in_french() -> None:
    assert quantity(0, "seconde") == "0 seconde"
    assert quantity(1, "minute") == "1 minute"
    assert quantity(2, "octet") == "2 octets"


def test_a_delay_is_written_in_hours_and_minutes_as_the_settings_and_the_lock_say_it() -> None:
    written = [hours_minutes(m) for m in (15, 45, 60, 90, 120, 60 * 24, -5)]
    assert written == ["15 min", "45 min", "1 h", "1 h 30", "2 h", "24 h", "0 min"]


def test_a_list_date_is_the_time_today_the_day_this_year_and_the_year_before() -> None:
    def local(*when: int) -> dt.datetime:
        return dt.datetime(*when).astimezone()  # in this machine's time zone, as shown

    now = local(2026, 11, 24, 18, 0)
    assert compact_date(local(2026, 11, 24, 14, 5), now) == "14:05"
    assert compact_date(local(2026, 3, 1, 9, 0), now) == "01/03"
    assert compact_date(local(2025, 12, 31, 9, 0), now) == "31/12/25"


def test_a_sent_date_reads_in_local_time_with_its_minutes() -> None:
    moment = dt.datetime(2026, 11, 24, 13, 5, tzinfo=dt.UTC)
    local = moment.astimezone()
    assert numeric_datetime(moment) == f"{local:%d/%m/%Y} à {local:%H:%M}"
    assert numeric_datetime(dt.datetime(2026, 3, 1, 9, 5).astimezone()) == "01/03/2026 à 09:05"
