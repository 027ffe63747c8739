"""Issue 17 §3: a time-zone change and a DST change while the app runs. Dates are kept as UTC
instants (the cache's received_at: epoch ms) and turned into local time only when shown, in the
zone of that moment (os.environ["TZ"] + time.tzset(), as a system zone change does)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.dates import compact_date, numeric_datetime
from app.store.records import from_ms, to_ms
from tests.faults import clock

UTC = dt.UTC
zone = clock.zone  # the fixture


def test_a_zone_change_moves_the_shown_time_never_the_stored_instant(
    zone: Callable[[str], None],
) -> None:
    received = dt.datetime(2026, 3, 2, 13, 5, tzinfo=UTC)
    stored = to_ms(received)
    zone("Europe/Paris")
    assert numeric_datetime(from_ms(stored)) == "02/03/2026 à 14:05"
    zone("America/Cayenne")  # a French department, UTC−3
    assert numeric_datetime(from_ms(stored)) == "02/03/2026 à 10:05"
    zone("Indian/Reunion")  # UTC+4
    assert numeric_datetime(from_ms(stored)) == "02/03/2026 à 17:05"
    assert from_ms(stored) == received  # the instant itself never moved


def test_the_night_summer_time_ends_two_messages_at_2_30_sort_and_show_right(
    zone: Callable[[str], None],
) -> None:
    """Europe/Paris, 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice."""
    zone("Europe/Paris")
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET, an hour later
    newest_first = sorted([to_ms(first), to_ms(second)], reverse=True)  # as the list sorts
    assert [from_ms(ms) for ms in newest_first] == [second, first]
    shown = [from_ms(ms).astimezone() for ms in newest_first]
    assert [numeric_datetime(moment) for moment in shown] == ["25/10/2026 à 02:30"] * 2
    assert [moment.utcoffset() for moment in shown] == [
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    ]
    # The day after, both are that Sunday; the same day, their times.
    assert compact_date(second, now=dt.datetime(2026, 10, 25, 12, tzinfo=UTC)) == "02:30"
    assert compact_date(first, now=dt.datetime(2026, 10, 26, 8, tzinfo=UTC)) == "25/10"


def test_the_night_summer_time_starts_a_message_after_the_gap_shows_3_something(
    zone: Callable[[str], None],
) -> None:
    """2026-03-29: 02:00 CET becomes 03:00 CEST; no local time between them exists."""
    zone("Europe/Paris")
    before = dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    after = dt.datetime(2026, 3, 29, 1, 1, tzinfo=UTC)
    assert numeric_datetime(before) == "29/03/2026 à 01:59"
    assert numeric_datetime(after) == "29/03/2026 à 03:01"


def test_at_local_midnight_today_s_time_becomes_yesterday_s_date(
    zone: Callable[[str], None],
) -> None:
    """The list shows today's messages by their time, older ones by their day: the change comes
    at local midnight, not at UTC's."""
    zone("Europe/Paris")
    evening = dt.datetime(2026, 12, 7, 22, 59, tzinfo=UTC)  # 23:59 in Paris
    before_midnight = dt.datetime(2026, 12, 7, 22, 59, 59, tzinfo=UTC)
    after_midnight = dt.datetime(2026, 12, 7, 23, 0, 1, tzinfo=UTC)  # 00:00:01 the 8th in Paris
    assert compact_date(evening, now=before_midnight) == "23:59"
    assert compact_date(evening, now=after_midnight) == "07/12"
    zone("America/Cayenne")  # the same instants, three hours behind UTC: still the 7th, 19:59
    assert compact_date(evening, now=after_midnight) == "19:59"
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 2027 in Paris, 2026 in Cayenne
    assert compact_date(evening, now=new_year) == "07/12"
    zone("Europe/Paris")
    assert compact_date(evening, now=new_year) == "07/12/26"
