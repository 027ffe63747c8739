"""Issue 17 §3: the wall clock jumping forward and back while the app runs (libfaketime in a
child process, tests/faults/clock.py). Delays and expiries are measured on the monotonic clock, so
a jump neither ends them early nor stretches them; the wall clock only dates things."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store.trust_space import StoredWhitelist
from app.trust.space import REFRESH_S, RETRY_S, TrustSpace
from server.testing import ServerThread
from tests.faults.clock import ClockChild
from tests.server.conftest import ALICE, start_sandbox

HOURS_2 = 2 * 3600
LIFETIME_S = 8  # the sandbox's access tokens here; the client refreshes 0.8 s before the end


@pytest.fixture(scope="module")
def short_tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    data = tmp_path_factory.mktemp("clock-sandbox")
    thread = start_sandbox(data, (ALICE,), access_token_lifetime=LIFETIME_S)
    yield thread
    thread.stop()


def test_libfaketime_moves_the_wall_clock_of_the_running_child_not_its_monotonic_clock(
    tmp_path: Path,
) -> None:
    with ClockChild(tmp_path, "clocks") as child:
        before = child.expect("before")
        child.jump(HOURS_2)
        child.tell()
        after = child.expect("after")
    assert after["wall"] - before["wall"] >= HOURS_2
    assert 0 <= after["mono"] - before["mono"] < 60  # time.monotonic: CLOCK_MONOTONIC, untouched


@pytest.mark.parametrize("jump", [HOURS_2, -HOURS_2], ids=["forward", "back"])
def test_auto_lock_comes_after_its_delay_of_idle_time_whatever_the_wall_clock_does(
    tmp_path: Path, jump: int
) -> None:
    with ClockChild(tmp_path, "autolock", "1500") as child:
        started = child.expect("started")
        child.jump(jump)
        locked = child.expect("locked")  # back: it still comes (a wall-clock idle time never would)
    assert abs(locked["wall"] - started["wall"] - jump) < 60  # the jump happened during the wait
    assert locked["idle_ms"] >= 1500  # forward: not early
    assert locked["mono"] - started["mono"] >= 1.5


@pytest.mark.parametrize("jump", [HOURS_2, -HOURS_2], ids=["forward", "back"])
def test_the_reconnection_delay_is_neither_skipped_nor_stretched_by_a_jump(
    tmp_path: Path, jump: int
) -> None:
    with ClockChild(tmp_path, "backoff", "3") as child:
        waiting = child.expect("waiting")
        child.jump(jump)
        waited = child.expect("waited")  # back: it ends (bounded by the harness's hang limit)
    assert abs(waited["wall"] - waiting["wall"] - jump) < 60
    assert waited["mono"] - waiting["mono"] >= 1.5  # forward: not skipped (jitter: 1.5 to 3 s)


def test_the_token_is_refreshed_before_its_expiry_and_not_earlier_whatever_the_wall_clock(
    tmp_path: Path, short_tokens: ServerThread
) -> None:
    with ClockChild(tmp_path, "token", short_tokens.base_url, ALICE.login, ALICE.password) as child:
        logged_in = child.expect("logged-in")
        assert 0 < logged_in["left"] <= LIFETIME_S
        # Two hours later by the wall clock: the token, a few seconds old, is still good.
        child.jump(HOURS_2)
        child.tell()
        asked = child.expect("asked")
        assert (asked["status"], asked["seen"]) == (200, [])
        # Four hours back (two before the login by the wall clock): near its real end, the token
        # is refreshed before the request, not found expired by a 401.
        child.jump(-2 * HOURS_2)
        child.tell(f"sleep {logged_in['left'] - 0.5:.3f}")
        asked = child.expect("asked")
        assert (asked["status"], asked["seen"]) == (200, ["refresh"])
        child.tell()  # and the new token is used as is
        asked = child.expect("asked")
        assert (asked["status"], asked["seen"]) == (200, [])


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_trust_space_list_is_fetched_again_when_the_clock_was_set_back() -> None:
    """Its fetch time is kept in the cache (wall clock); one in the future is no reason to wait."""
    clock = Clock(1_800_000_000.0)
    space = TrustSpace(lambda: None, "https://sisra.example", clock=clock)  # type: ignore[arg-type,return-value]
    space._stored = StoredWhitelist(frozenset({"mssante.fr"}), None, clock.now)
    assert not space.due()
    clock.now -= HOURS_2
    assert space.due()  # not in two hours and a day
    clock.now += HOURS_2 + REFRESH_S - 1
    assert not space.due()
    clock.now += 1
    assert space.due()
    space._stored = StoredWhitelist(frozenset({"mssante.fr"}), None, clock.now - 3 * REFRESH_S)
    space._failed_at = clock.now
    assert not space.due()  # an hour after a failure…
    clock.now -= HOURS_2
    assert space.due()  # …not three
    clock.now += HOURS_2 + RETRY_S
    assert space.due()
