"""The online payment of a teleconsultation (issue 13 §1): the patient's join link first shows
the sandbox's simulated provider page, clearly marked as such; paying records it and leads to
the waiting room; the professional reads "paid" on the teleconsultation. Fetched as a browser
does: GET the link, POST the form, follow the redirect."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import httpx
import pytest

from tests.server.conftest import ALICE, BOB, RegionalApi, ServerFactory, account_id
from tests.server.test_regional import plan

SIMULATED = "Paiement simulé — environnement de démonstration"


@pytest.fixture
def duo(server_factory: ServerFactory, regional_api: RegionalApi) -> Any:
    server = server_factory(users=(ALICE, BOB))
    return server, regional_api(server, ALICE), regional_api(server, BOB)


def text(response: httpx.Response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return unescape(response.text)


def form_action(html: str) -> str:
    found = re.search(r'<form method="post" action="([^"]+)"', html)
    assert found is not None, html
    return unescape(found.group(1))


def test_the_patient_pays_on_the_simulated_page_then_reaches_the_waiting_room(duo: Any) -> None:
    server, alice, bob = duo
    bob_id = account_id(server, BOB)
    tc = plan(alice, onlinePayment={"amount": 25}, participants=[{"accountId": bob_id}]).json()
    assert tc["paymentStatus"] == "pending"
    link = tc["patient"]["joinUrl"]
    with httpx.Client(follow_redirects=True) as browser:
        first = browser.get(link)
        assert first.status_code == 200
        assert SIMULATED in text(first)
        assert "25,00 €" in text(first)
        assert "Salle d'attente" not in text(first)
        # Reloading the link before paying still asks for the payment.
        assert SIMULATED in text(browser.get(link))
        paid = browser.post(server.base_url + form_action(first.text))
        assert paid.status_code == 200
        assert str(paid.url) == link
        assert "Salle d'attente de téléconsultation" in text(paid)
        assert SIMULATED not in text(paid)
        # Paid once: the link goes straight to the waiting room, and paying again changes nothing.
        assert "Salle d'attente" in text(browser.get(link))
        assert browser.post(link + "/pay").status_code == 200
    assert alice.get(f"/teleconsultations/{tc['id']}").json()["paymentStatus"] == "paid"
    # The other participants never pay.
    bob_link = bob.get(f"/teleconsultations/{tc['id']}").json()["joinUrl"]
    assert SIMULATED not in text(httpx.get(bob_link))


def test_only_the_patients_link_pays_and_never_once_cancelled(duo: Any) -> None:
    server, alice, bob = duo
    bob_id = account_id(server, BOB)
    tc = plan(alice, onlinePayment={"amount": 40}, participants=[{"accountId": bob_id}]).json()
    bob_link = bob.get(f"/teleconsultations/{tc['id']}").json()["joinUrl"]
    assert httpx.post(bob_link + "/pay").status_code == 303
    assert alice.get(f"/teleconsultations/{tc['id']}").json()["paymentStatus"] == "pending"
    assert httpx.post(server.base_url + "/portal/telemedecine/join/nope/pay").status_code == 404
    assert (
        alice.post(f"/teleconsultations/{tc['id']}/cancel", json={"reason": "Absent"}).status_code
        == 200
    )
    link = tc["patient"]["joinUrl"]
    page = httpx.get(link)
    assert SIMULATED not in text(page)
    assert "annulée" in text(page)
    httpx.post(link + "/pay")
    assert alice.get(f"/teleconsultations/{tc['id']}").json()["paymentStatus"] == "pending"


def test_without_a_payment_request_the_link_opens_the_waiting_room(duo: Any) -> None:
    _, alice, _ = duo
    tc = plan(alice).json()
    assert tc["paymentStatus"] is None
    page = httpx.get(tc["patient"]["joinUrl"])
    assert "Salle d'attente de téléconsultation" in text(page)
    assert SIMULATED not in text(page)
