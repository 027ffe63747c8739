"""The person in front of the real chain (issue 15): the sandbox's authorization server, its
relying party and the « PSC simulé ». Only the system browser and the phone are stood in for:
httpx follows the app's authorize URL hop by hop (sandbox → PSC's card page → sandbox → the app's
loopback) and presses the phone page's buttons. Expiries are reached by moving the clocks of the
sandbox's CIBA and of the simulé forward, not by waiting."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from server.testing import ServerThread
from tests.server.test_psc_simule import GP, psc_server, rpps_of

__all__ = [
    "GP",
    "advance",
    "card_browser",
    "phone",
    "psc_server",
    "rpps_of",
    "tokens_seen",
]


def card_browser(
    url: str, rpps: str, mode: str = "normal", action: str = "valider", *, forge_state: bool = False
) -> str:
    """The system browser from the app's authorize `url` to the app's loopback, the card page
    answered for the professional `rpps` (mode: normal / expiree / eidas0; action: valider /
    refuser). Returns the page the app's loopback shows. Blocking: run it in a thread."""
    with httpx.Client(timeout=10) as client:
        r = client.get(url)
        assert r.status_code in (302, 303), r.text
        to_psc = r.headers["location"]
        assert urlsplit(to_psc).hostname == "localhost"  # PSC's authorize: another host
        page = client.get(to_psc)
        assert page.status_code == 200, page.text
        assert "PSC simulé" in page.text
        found = re.search(r'name="demande" value="([^"]+)"', page.text)
        assert found is not None
        r = client.post(
            to_psc.split("?")[0],
            data={"demande": found.group(1), "rpps": rpps, "mode": mode, "action": action},
        )
        assert r.status_code in (302, 303), r.text
        r = client.get(r.headers["location"])  # the sandbox's callback
        assert r.status_code in (302, 303), r.text
        location = r.headers["location"]
        assert location.startswith("http://127.0.0.1:")
        if forge_state:
            parts = urlsplit(location)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            query["state"] = "forged"
            location = parts._replace(query=urlencode(query)).geturl()
        # the favicon a browser asks first is ignored by the loopback
        base = location.split("?")[0].rsplit("/", 1)[0]
        assert client.get(base + "/favicon.ico").status_code == 404
        return client.get(location).text


def phone(server: ServerThread, action: str = "") -> str:
    """The e-CPS phone: its page as read before answering; its one pending push answered
    (« valider » or « refuser ») when `action` is given."""
    page = httpx.get(server.base_url + "/psc-simule/telephone").text
    if action:
        forms = re.findall(r'<form class="inline" method="post" action="([^"]+)"', page)
        assert len(forms) == 1, page
        r = httpx.post(server.base_url + forms[0], data={"action": action})
        assert r.status_code in (200, 303), r.text
    return html.unescape(page)


def advance(server: ServerThread, seconds: float) -> None:
    """Time passes for the sandbox's CIBA and for the simulé alike."""
    simule = server.sandbox.psc_simule
    assert simule is not None
    ciba = server.sandbox.ciba
    for holder in (simule, ciba):
        before = holder.clock

        def moved(before: object = before) -> float:
            assert callable(before)
            return float(before()) + seconds

        holder.clock = moved


def tokens_seen(server: ServerThread) -> list[str]:
    """Every token the simulé (PSC) handed the sandbox: none may reach the app."""
    simule = server.sandbox.psc_simule
    assert simule is not None
    return [t for s in simule.sessions.values() for t in (s.access_token, s.refresh_token)]
