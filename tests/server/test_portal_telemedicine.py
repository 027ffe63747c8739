"""The telemedicine portal page (issue 13 §5) is not a dead end: fetched as a browser (a one-time
code from the app), it lists the user's teleconsultations (date, patient, status, payment, their
join link, which opens) and téléexpertises (status, documents), says in the FAQ's words where each
action is done in MonSisra bureau, and links to the FAQ's sections, which exist."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import httpx
import pytest

from server.portal.help import topic_anchor, topics
from server.portal.telemedicine import QUESTIONS
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, RegionalApi, ServerFactory, get_token
from tests.server.jmap_support import Jmap
from tests.server.test_regional import declare_expert, in_days, new_patient, plan

Pair = tuple[ServerThread, httpx.Client, httpx.Client]


@pytest.fixture
def people(server_factory: ServerFactory, regional_api: RegionalApi) -> Pair:
    """A sandbox, and Alice's and Bob's clients of its regional API."""
    server = server_factory()
    return server, regional_api(server, ALICE), regional_api(server, BOB)


def as_browser(api: httpx.Client, browser: httpx.Client | None = None) -> httpx.Response:
    """The page as "Mon portail" opens it: a one-time code, then the session cookie (kept in
    `browser` when given)."""
    issued = api.post("/portal-codes", json={"page": "telemedecine"})
    assert issued.status_code == 201, issued.text
    if browser is None:
        page = httpx.get(issued.json()["url"], follow_redirects=True)
    else:
        page = browser.get(issued.json()["url"])
    assert page.status_code == 200
    return page


def cells(page: httpx.Response) -> list[list[str]]:
    """Each table row's cells, as text."""
    rows = re.findall(r"<tr>(.*?)</tr>", page.text)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row)]
        for row in rows
    ]


def test_the_page_lists_teleconsultations_with_payment_and_join_link(people: Pair) -> None:
    _, alice, bob = people
    patient = new_patient(alice, email="elodie@patient.example")
    planned = plan(alice, patientId=patient["id"], onlinePayment={"amount": 12.5})
    assert planned.status_code == 201, planned.text
    free = plan(alice, start=in_days(3), patientName="Jean Valjean")  # not at the same time
    assert free.status_code == 201, free.text
    cancel = alice.post(
        f"/teleconsultations/{free.json()['id']}/cancel", json={"reason": "Reportée"}
    )
    assert cancel.status_code == 200, cancel.text
    page = as_browser(alice)
    rows = [r for r in cells(page) if len(r) == 6]
    start = planned.json()["start"]
    day = f"{start[8:10]}/{start[5:7]}/{start[0:4]}"
    paid_row = next(r for r in rows if r[1] == "Élodie Lefèvre")
    assert paid_row[0].startswith(day)
    assert paid_row[2:5] == [ALICE.name, "Planifiée", "12,50 € — en attente"]
    assert paid_row[5] == "Rejoindre"
    cancelled = next(r for r in rows if r[1] == "Jean Valjean")
    assert cancelled[3:6] == ["Annulée", "Aucun", ""]  # no join link for a cancelled one
    # The join link is Alice's own, and opens.
    join = planned.json()["joinUrl"]
    assert f'href="{join}"' in page.text
    assert httpx.get(join).status_code == 200
    # Once the patient has paid, the page says so.
    patient_link = planned.json()["patient"]["joinUrl"]
    assert httpx.post(patient_link + "/pay").status_code in (200, 303)
    paid = [r[4] for r in cells(as_browser(alice)) if len(r) == 6 and r[1] == "Élodie Lefèvre"]
    assert paid == ["12,50 € — payé"]
    # Bob has none of Alice's.
    assert "Élodie" not in as_browser(bob).text
    assert "Aucune téléconsultation planifiée pour vous." in html.unescape(as_browser(bob).text)


def test_the_page_lists_teleexpertises_with_their_documents_and_status(people: Pair) -> None:
    server, alice, bob = people
    declare_expert(bob)
    patient = new_patient(alice)
    mail = Jmap(server.base_url, get_token(server.base_url, ALICE))
    blob = httpx.post(
        mail.session["uploadUrl"].replace("{accountId}", mail.account_id),
        content=b"%PDF-1.4 photos",
        headers={**mail.headers, "Content-Type": "application/pdf"},
    ).json()["blobId"]
    document = {"blobId": blob, "name": "photos-lesion.pdf", "typeLabel": "Autre"}
    asked = alice.post(
        "/teleexpertises",
        json={
            "expertAddress": BOB.email,
            "patientId": patient["id"],
            "question": "Mélanome ?",
            "documents": [document],
        },
    )
    assert asked.status_code == 201, asked.text
    [row] = [r for r in cells(as_browser(alice)) if len(r) == 6 and r[1] == "Élodie Lefèvre"]
    assert row[2:] == [
        ALICE.name,
        BOB.name,
        "Demandée, en attente de réponse",
        "photos-lesion.pdf (Autre)",
    ]
    te = asked.json()["id"]
    assert bob.post(f"/teleexpertises/{te}/answer", json={"answer": "Exérèse."}).status_code == 200
    assert alice.post(f"/teleexpertises/{te}/close", json={"report": "Fait."}).status_code == 200
    # The expert sees it too, closed, with the report.
    [row] = [r for r in cells(as_browser(bob)) if len(r) == 6 and r[1] == "Élodie Lefèvre"]
    assert row[4:] == ["Clôturée", "photos-lesion.pdf (Autre) ; Compte rendu de télémédecine"]


def test_each_action_says_where_it_is_done_with_help_that_exists(people: Pair) -> None:
    _, alice, _ = people
    browser = httpx.Client(follow_redirects=True)
    page = as_browser(alice, browser)
    text = html.unescape(page.text).replace("\u00a0", " ")  # guillemets keep their words
    for action in (
        "Planifier une téléconsultation",
        "Modifier ou annuler une téléconsultation",
        "Solliciter un expert",
        "Se déclarer comme télé-expert",
        "Se déclarer comme équipe ressource",
    ):
        row = next(r for r in cells(page) if r and r[0] == action)
        assert row[1].startswith("Dans MonSisra bureau : "), row
        assert row[2] == "Aide"
    assert "page « Téléconsultations », bouton « Planifier une téléconsultation »" in text
    anchors = {t.anchor for t in topics()}
    assert {topic_anchor(q) for q in QUESTIONS} <= anchors
    # Every link of the page leads somewhere (the help, the expert preferences, the join links).
    hrefs = set(re.findall(r'href="([^"]+)"', page.text)) - {"/portal/portal.css"}
    assert any("/portal/aide#" in h for h in hrefs)
    try:
        for href in hrefs:
            target = html.unescape(urljoin(str(page.url), href))
            answer = browser.get(target)
            assert answer.status_code == 200, target
            if "#" in target:
                assert f'id="{target.rsplit("#", 1)[1]}"' in answer.text
    finally:
        browser.close()
    assert "<script" not in page.text
    assert ALICE.name in text
