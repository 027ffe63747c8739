"""The sync engine against the sandbox over loopback: the cache converges to the server."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.events import ConnectionChanged, EventBus, MailChanged, SyncProgress
from app.remote.jmap import JmapClient, NetworkError
from app.store import pending
from app.store.db import Cache
from app.sync.engine import LocalAction, SyncEngine
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.jmap_helpers import create_drafts, jmap_client
from tests.app.netrelay import Relay
from tests.app.sync_helpers import assert_cache_equals_server, cached_emails
from tests.server.conftest import ALICE, BOB, ServerFactory, User, get_token

GP = User("helene.garnier", DEMO_PASSWORD, "Dr Hélène Garnier", "")


@pytest.mark.asyncio
async def test_initial_sync_makes_the_cache_equal_to_the_server(
    demo_server: ServerThread, cache: Cache
) -> None:
    bus = EventBus()
    progress: list[SyncProgress] = []
    changes: list[MailChanged] = []
    bus.subscribe(SyncProgress, progress.append)
    bus.subscribe(MailChanged, changes.append)
    async with jmap_client(demo_server, GP) as client:
        engine = SyncEngine(cache, client, bus, page_size=100)
        report = await engine.sync_once()
        assert report.full
        assert report.added > 400
        await assert_cache_equals_server(cache, client)
        # The first page (the newest emails) arrives alone and first: the inbox is usable then.
        first_emails = next(c for c in changes if c.email_ids)
        assert len(first_emails.email_ids) == 100
        newest = sorted(cached_emails(cache).values(), key=lambda r: r.received_at)[-100:]
        assert first_emails.email_ids == {r.id for r in newest}
        assert progress[-1].done == progress[-1].total == report.added
        # Nothing changed: a second pass is a small delta.
        again = await engine.sync_once()
        assert not again.full
        assert (again.added, again.updated, again.removed) == (0, 0, 0)


@pytest.mark.asyncio
async def test_delta_follows_adds_flag_changes_and_destroys_by_another_client(
    server: ServerThread, cache: Cache
) -> None:
    async with jmap_client(server, ALICE) as alice, jmap_client(server, ALICE) as other:
        first = await create_drafts(other, [f"brouillon {i}" for i in range(6)])
        engine = SyncEngine(cache, alice)
        await engine.sync_once()
        await assert_cache_equals_server(cache, alice)
        added = await create_drafts(other, ["nouveau 1", "nouveau 2"])
        await other.call_one(
            "Email/set",
            {
                "update": {
                    first[0]: {"keywords/$flagged": True},
                    first[1]: {"keywords/$seen": None},
                },
                "destroy": [first[2]],
            },
        )
        report = await engine.sync_once()
        assert not report.full
        assert (report.added, report.removed) == (2, 1)
        assert report.updated >= 2
        cached = cached_emails(cache)
        assert set(added) <= set(cached)
        assert first[2] not in cached
        assert "$flagged" in cached[first[0]].keywords
        await assert_cache_equals_server(cache, alice)


@pytest.mark.asyncio
async def test_a_mail_delivered_by_another_user_arrives_by_push(
    server: ServerThread, cache: Cache
) -> None:
    async with jmap_client(server, ALICE) as alice, jmap_client(server, BOB) as bob:
        engine = SyncEngine(cache, alice, poll_interval=3600)
        await engine.sync_once()
        stop = asyncio.Event()
        runner = asyncio.create_task(engine.run(stop))
        await asyncio.sleep(0.5)  # the push connection opens
        drafts_id = (await bob.call_one("Mailbox/query", {"filter": {"role": "drafts"}}))["ids"][0]
        identity = (await bob.get_all("Identity", None))[0]["id"]
        await bob.call(
            [
                (
                    "Email/set",
                    {
                        "accountId": (await bob.session()).account_id,
                        "create": {
                            "m": {
                                "mailboxIds": {drafts_id: True},
                                "from": [{"email": BOB.email}],
                                "to": [{"email": ALICE.email}],
                                "subject": "Adressage Mme X",
                                "textBody": [{"partId": "1", "type": "text/plain"}],
                                "bodyValues": {"1": {"value": "Chère consœur, …"}},
                            }
                        },
                    },
                    "e",
                ),
                (
                    "EmailSubmission/set",
                    {
                        "accountId": (await bob.session()).account_id,
                        "create": {"s": {"emailId": "#m", "identityId": identity}},
                    },
                    "s",
                ),
            ]
        )
        for _ in range(100):
            subjects = {r.subject for r in cached_emails(cache).values()}
            if "Adressage Mme X" in subjects:
                break
            await asyncio.sleep(0.1)
        stop.set()
        await runner
        assert "Adressage Mme X" in subjects
        await assert_cache_equals_server(cache, alice)


@pytest.mark.asyncio
async def test_cannot_calculate_changes_leads_to_a_clean_resync(
    server_factory: ServerFactory, cache: Cache
) -> None:
    server = server_factory(changes_history=5)
    async with jmap_client(server, ALICE) as alice, jmap_client(server, ALICE) as other:
        ids = await create_drafts(other, [f"m{i}" for i in range(4)])
        engine = SyncEngine(cache, alice)
        await engine.sync_once()
        await create_drafts(other, [f"n{i}" for i in range(8)])
        await other.call_one("Email/set", {"destroy": ids[:2]})
        await other.call_one("Email/set", {"update": {ids[2]: {"keywords/$flagged": True}}})
        report = await engine.sync_once()
        assert report.full  # the state was too old: everything was reconciled
        await assert_cache_equals_server(cache, alice)


@pytest.mark.asyncio
async def test_a_sync_cut_by_the_network_resumes_and_converges(
    demo_server: ServerThread, cache: Cache
) -> None:
    relay = Relay(int(demo_server.base_url.rsplit(":", 1)[1]))
    url = await relay.start()
    token = get_token(demo_server.base_url, GP)
    pages_asked = 0

    async def cut_at_the_third_page(request: httpx.Request) -> None:
        # The server goes away in the middle of the initial sync: when the third page of full
        # emails is asked for (pages in flight fail, earlier ones are stored).
        nonlocal pages_asked
        if request.method == "POST" and b'"bodyValues"' in request.content:
            pages_asked += 1
            if pages_asked == 3:
                relay.cut()

    try:
        async with httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            event_hooks={"request": [cut_at_the_third_page]},
        ) as http:
            client = JmapClient(http, url + "/.well-known/jmap")
            engine = SyncEngine(cache, client, EventBus(), page_size=50)
            with pytest.raises(NetworkError):
                await engine.sync_once()
            partial = len(cached_emails(cache))
            assert 0 < partial < 250
            relay.restore(int(demo_server.base_url.rsplit(":", 1)[1]))
            report = await engine.sync_once()
            assert report.full
            async with jmap_client(demo_server, GP) as direct:
                await assert_cache_equals_server(cache, direct)
    finally:
        await relay.close()


@pytest.mark.asyncio
async def test_flag_changes_apply_at_once_and_reach_the_server_when_it_is_back(
    server: ServerThread, cache: Cache
) -> None:
    relay = Relay(int(server.base_url.rsplit(":", 1)[1]))
    url = await relay.start()
    token = get_token(server.base_url, ALICE)
    try:
        async with (
            httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http,
            jmap_client(server, ALICE) as direct,
        ):
            ids = await create_drafts(direct, ["a", "b", "c"])
            bus = EventBus()
            states: list[bool] = []
            bus.subscribe(ConnectionChanged, lambda e: states.append(e.online))
            engine = SyncEngine(cache, JmapClient(http, url + "/.well-known/jmap"), bus)
            await engine.sync_once()
            relay.cut()
            await engine.apply(LocalAction("keywords", (ids[0],), keywords={"$flagged": True}))
            await engine.apply(LocalAction("destroy", (ids[1],)))
            cached = cached_emails(cache)
            assert "$flagged" in cached[ids[0]].keywords  # at once, offline
            assert ids[1] not in cached
            with cache.read() as conn:
                assert len(pending.list_actions(conn)) == 2
            with pytest.raises(NetworkError):
                await engine.sync_once()
            relay.restore(int(server.base_url.rsplit(":", 1)[1]))
            await engine.sync_once()
            with cache.read() as conn:
                assert pending.list_actions(conn) == []
            got = await direct.get_all("Email", ids, ["keywords"])
            assert [g["id"] for g in got] == [ids[0], ids[2]]
            assert got[0]["keywords"].get("$flagged") is True
            await assert_cache_equals_server(cache, direct)
    finally:
        await relay.close()


@pytest.mark.asyncio
async def test_patients_of_received_messages_come_from_their_xdm_packages(
    demo_server: ServerThread, cache: Cache
) -> None:
    from app.store import mail, search

    async with jmap_client(demo_server, GP) as client:
        engine = SyncEngine(cache, client)
        await engine.sync_once()
        with cache.read() as conn:
            waiting = mail.emails_missing_patient(conn, limit=10_000)
        assert len(waiting) > 50
        changes: list[MailChanged] = []
        engine.bus.subscribe(MailChanged, changes.append)
        found = await engine.read_patients()
        assert found == len(waiting)
        assert {i for c in changes for i in c.email_ids} == {w[0] for w in waiting}
        with cache.read() as conn:
            assert mail.emails_missing_patient(conn) == []
            email = mail.get_email(conn, waiting[0][0])
            assert email is not None
            assert email.patient is not None
            assert email.patient.oid in {"1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"}
            family = email.patient.family
            assert family
            # The list filter and the search know the patient now.
            ins = email.patient.ins
            hits = search.search(conn, family, 200)
            assert waiting[0][0] in {h.email_id for h in hits}
            filtered = mail.list_ids(conn, None, filters=mail.Filters(patient_ins=ins), limit=500)
            assert waiting[0][0] in filtered
        assert await engine.read_patients() == 0  # nothing left to read
