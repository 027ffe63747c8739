"""What the settings dialog asks of the session: the space documents take and a budget applied at
once; communes and the user's own practice, with positions read from the directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.remote.around import GEOLOCATION_EXTENSION
from app.remote.places import communes_in
from app.session import AccountSession
from app.store import mail
from server.demo.users import DEMO_PASSWORD
from server.directory.communes import load_communes
from server.directory.search import haversine_km
from server.testing import ServerThread

GP_LOGIN = "helene.garnier"


def _first_document(session: AccountSession) -> tuple[str, str, str, int]:
    with session.account.cache.read() as conn:
        for email_id in mail.email_ids(conn):
            email = mail.get_email(conn, email_id)
            assert email is not None
            for a in email.attachments:
                if a.type == "application/pdf":
                    return a.blob_id, a.name or "document.pdf", a.type, a.size
    raise AssertionError("no document in the demo inbox")


def _commune(insee: str) -> tuple[float, float]:
    found = next(c for c in load_communes() if c.insee == insee)
    return found.lat, found.lon


@pytest.mark.asyncio
async def test_documents_use_space_and_a_lower_budget_lets_them_go_at_once(
    demo_server: ServerThread, tmp_path: Path
) -> None:
    session = await AccountSession.open(tmp_path, demo_server.base_url, GP_LOGIN, DEMO_PASSWORD)
    try:
        assert session.documents_used_bytes() == 0
        await session.sync_once()
        used = session.documents_used_bytes()
        assert used > 0  # the sync kept the recent documents (issue 12, defect 5)
        blob_id, name, type_, size = _first_document(session)
        # A budget above what is kept frees nothing; a tiny one lets every document go now.
        assert await session.set_documents_budget(used + 1) == 0
        assert session.documents_used_bytes() == used
        assert await session.set_documents_budget(1) == used
        assert session.documents_used_bytes() == 0
        assert session.attachments.budget_bytes == 1
        # Opened again, it comes back: a document larger than the budget still opens, and stays
        # until a lower budget or the next document lets it go.
        copy = await session.open_document(blob_id, name, type_, size)
        assert copy.stat().st_size == size
        assert session.documents_used_bytes() == size
        assert await session.set_documents_budget(1) == size
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_communes_and_the_own_practice_come_with_positions_from_the_directory(
    demo_server: ServerThread, tmp_path: Path
) -> None:
    session = await AccountSession.open(tmp_path, demo_server.base_url, GP_LOGIN, DEMO_PASSWORD)
    try:
        by_name = await session.find_communes("villeurb")
        assert by_name
        assert by_name[0].commune == "Villeurbanne"
        assert by_name[0].postal_code.startswith("69")
        lat, lon = _commune("69266")
        assert haversine_km(by_name[0].lat, by_name[0].lon, lat, lon) < 2

        by_code = await session.find_communes("69003")
        assert [(p.commune, p.postal_code) for p in by_code] == [("Lyon", "69003")]
        lat, lon = _commune("69383")  # Lyon 3e arrondissement
        assert haversine_km(by_code[0].lat, by_code[0].lon, lat, lon) < 2

        assert await session.find_communes("Zzzyx") == []

        mine = await session.own_practice()
        assert mine is not None
        assert (mine.commune, mine.postal_code) == ("Lyon", "69003")
        assert mine.organization == "Cabinet médical Garnier-Vasseur"
        assert haversine_km(mine.lat, mine.lon, lat, lon) < 2
    finally:
        await session.close()


def _org(city: str, postal: str, position: tuple[float, float] | None) -> dict[str, Any]:
    address: dict[str, Any] = {"city": city, "postalCode": postal}
    if position is not None:
        address["extension"] = [
            {
                "url": GEOLOCATION_EXTENSION,
                "extension": [
                    {"url": "latitude", "valueDecimal": position[0]},
                    {"url": "longitude", "valueDecimal": position[1]},
                ],
            }
        ]
    return {"resourceType": "Organization", "id": city + postal, "address": [address]}


def test_a_commune_is_at_the_median_of_its_organisations_and_none_without_positions() -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {"resource": _org("Bron", "69500", (45.70, 4.90))},
            {"resource": _org("Bron", "69500", (45.74, 4.92))},
            {"resource": _org("Bron", "69500", (45.72, 5.40))},  # an outlier moves no median
            {"resource": _org("Saint-Bron", "01000", (46.0, 5.0))},
            {"resource": _org("Brignais", "69530", None)},  # no position: no place
        ],
    }
    places = communes_in(bundle, "bron")
    assert [(p.commune, p.lat, p.lon) for p in places] == [
        ("Bron", 45.72, 4.92),
        ("Saint-Bron", 46.0, 5.0),
    ]
    assert (
        communes_in({"resourceType": "Bundle", "entry": [{"resource": _org("A", "1", None)}]}) == []
    )
    assert communes_in({"resourceType": "OperationOutcome"}) == []
