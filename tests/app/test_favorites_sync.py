"""Favorites follow the user from one computer to another (issue 13 §5): two sessions of the same
account, each with its own data folder, against the sandbox. What one adds or removes shows on the
other after a sync; what is changed while the server is down is kept and sent when it is back;
changed on both, the later gesture wins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from app.events import FavoritesChanged
from app.regional.errors import RegionalError
from app.session import AccountSession
from server.testing import ServerThread
from tests.app.test_session_reconnect_outbox import restart
from tests.server.conftest import ALICE, BOB

CARD = {"name": "Dr Bob Durand", "address": BOB.email, "specialty": "Cardiologie"}
OTHER = "julie.perrin@pharmacie-du-parc.mssante.fr"


def shown(session: AccountSession) -> list[str]:
    return [f.address for f in session.favorites()]


@pytest_asyncio.fixture
async def computers(
    server: ServerThread, tmp_path: Path
) -> AsyncIterator[tuple[AccountSession, AccountSession]]:
    """Alice on her office computer and on her laptop."""
    office = await AccountSession.open(
        tmp_path / "office", server.base_url, ALICE.login, ALICE.password
    )
    laptop = await AccountSession.open(
        tmp_path / "laptop", server.base_url, ALICE.login, ALICE.password
    )
    try:
        yield office, laptop
    finally:
        await office.close()
        await laptop.close()


@pytest.mark.asyncio
async def test_a_favorite_added_on_one_computer_appears_on_the_other_and_so_does_its_removal(
    computers: tuple[AccountSession, AccountSession],
) -> None:
    office, laptop = computers
    told: list[FavoritesChanged] = []
    laptop.bus.subscribe(FavoritesChanged, told.append)
    await office.set_favorite(BOB.email, CARD, True)
    assert not await office.sync_favorites()  # sent: nothing new to show at the office
    assert shown(laptop) == []
    assert await laptop.sync_favorites()
    assert len(told) == 1  # the directory page and the composer read them again
    [favorite] = laptop.favorites()
    assert (favorite.address, favorite.display) == (BOB.email, CARD)
    # Removed on the laptop, never touched at the office since: it goes there too.
    await laptop.set_favorite(BOB.email, CARD, False)
    await laptop.sync_favorites()
    assert await office.sync_favorites()
    assert shown(office) == []
    assert not await office.sync_favorites()
    assert shown(office) == []


@pytest.mark.asyncio
async def test_changes_made_while_the_server_is_down_are_kept_and_sent_when_it_is_back(
    server_factory: Callable[..., ServerThread], tmp_path: Path
) -> None:
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    url = first.base_url
    office = await AccountSession.open(tmp_path / "office", url, ALICE.login, ALICE.password)
    again: ServerThread | None = None
    try:
        await office.set_favorite(OTHER, {"name": "Julie Perrin"}, True)
        await office.sync_favorites()
        first.stop()
        await office.set_favorite(BOB.email, CARD, True)
        await office.set_favorite(OTHER, {}, False)
        with pytest.raises(RegionalError):
            await office.sync_favorites()
        assert shown(office) == [BOB.email]  # kept here meanwhile
        await office.close()
        again = restart(data, url)
        # The office computer is started again: the changes were kept in its data folder.
        office = await AccountSession.open(tmp_path / "office", url, ALICE.login, ALICE.password)
        await office.sync_favorites()
        laptop = await AccountSession.open(tmp_path / "laptop", url, ALICE.login, ALICE.password)
        try:
            await laptop.sync_favorites()
            assert shown(laptop) == [BOB.email]
        finally:
            await laptop.close()
    finally:
        await office.close()
        if again is not None:
            again.stop()


@pytest.mark.asyncio
async def test_changed_on_both_computers_before_a_sync_the_later_gesture_wins(
    computers: tuple[AccountSession, AccountSession],
) -> None:
    office, laptop = computers
    await office.set_favorite(BOB.email, CARD, True)
    await office.sync_favorites()
    await laptop.sync_favorites()
    # Neither syncs in between: removed at the office, then starred again on the laptop.
    await office.set_favorite(BOB.email, CARD, False)
    await asyncio.sleep(0.01)  # the gestures' times are in milliseconds
    await laptop.set_favorite(BOB.email, {**CARD, "specialty": "Rythmologie"}, True)
    await office.sync_favorites()
    await laptop.sync_favorites()
    assert await office.sync_favorites()
    assert [f.display["specialty"] for f in office.favorites()] == ["Rythmologie"]
    assert [f.display["specialty"] for f in laptop.favorites()] == ["Rythmologie"]


@pytest.mark.asyncio
async def test_another_users_favorites_never_come_here(
    computers: tuple[AccountSession, AccountSession], server: ServerThread, tmp_path: Path
) -> None:
    office, _ = computers
    await office.set_favorite(OTHER, {"name": "Julie Perrin"}, True)
    await office.sync_favorites()
    bob = await AccountSession.open(tmp_path / "bob", server.base_url, BOB.login, BOB.password)
    try:
        assert not await bob.sync_favorites()
        assert shown(bob) == []
    finally:
        await bob.close()
