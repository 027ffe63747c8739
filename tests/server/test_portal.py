"""The portal pages: public registration and join pages, the others behind code, cookie or Basic."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import httpx

from server.portal.pages import link, table
from server.testing import ServerThread
from tests.hostile import PATIENT_INS, Hostile, seed
from tests.server.conftest import ALICE, BOB, get_token


def test_private_pages_challenge_and_unknown_join_links_are_404(server: ServerThread) -> None:
    for path in ("/mespatients", "/telemedecine", "/telemedecine/expert"):
        r = httpx.get(server.base_url + "/portal" + path)
        assert r.status_code == 401
        assert r.headers["www-authenticate"].startswith("Basic")
        wrong = httpx.get(server.base_url + "/portal" + path, params={"code": "forged"})
        assert wrong.status_code == 401
    assert httpx.get(server.base_url + "/portal/telemedecine/join/nope").status_code == 404
    page = httpx.get(
        server.base_url + "/portal/telemedecine/expert", auth=(ALICE.login, ALICE.password)
    )
    assert page.status_code == 200
    assert "pas encore déclaré" in page.text


def test_a_code_opens_the_expert_preferences_page(server: ServerThread) -> None:
    token = get_token(server.base_url, ALICE)
    issued = httpx.post(
        server.base_url + "/regional/v1/portal-codes",
        json={"page": "expert"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert "/portal/telemedecine/expert?code=" in issued["url"]
    page = httpx.get(issued["url"], follow_redirects=True)
    assert page.status_code == 200
    assert ALICE.name in page.text


def _ins(nir: str) -> str:
    return f"{nir}{97 - int(nir) % 97:02d}"


def test_patient_file_says_ne_or_nee_as_the_patients_sex_says(server: ServerThread) -> None:
    token = get_token(server.base_url, ALICE)
    cases = [
        ("female", "2800469123045", "Élodie", "Lefèvre", "LEFÈVRE Élodie, née le 02/04/1980"),
        ("male", "1800469123046", "Jules", "Noël", "NOËL Jules, né le 02/04/1980"),
        ("unknown", "1800469123047", "Camille", "Roy", "ROY Camille, né(e) le 02/04/1980"),
    ]
    for sex, nir, given, family, expected in cases:
        created = httpx.post(
            server.base_url + "/regional/v1/patients",
            json={
                "given": given,
                "family": family,
                "birthDate": "1980-04-02",
                "sex": sex,
                "ins": _ins(nir),
                "followReason": "prise_en_charge",
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.status_code == 201, created.text
        page = httpx.get(
            f"{server.base_url}/portal/mespatients/patients/{_ins(nir)}",
            auth=(ALICE.login, ALICE.password),
        )
        assert page.status_code == 200
        assert expected in page.text


def test_patient_file_is_for_followers_and_journaled(server: ServerThread) -> None:
    api = "/regional/v1"
    alice = {"Authorization": f"Bearer {get_token(server.base_url, ALICE)}"}
    bob = {"Authorization": f"Bearer {get_token(server.base_url, BOB)}"}
    ins = _ins("2800469123045")
    created = httpx.post(
        server.base_url + api + "/patients",
        json={
            "given": "Élodie",
            "family": "Lefèvre",
            "birthDate": "1980-04-02",
            "ins": ins,
            "followReason": "prise_en_charge",
        },
        headers=alice,
    ).json()
    page = f"{server.base_url}/portal/mespatients/patients/{ins}"
    # Bob does not follow the patient: the page answers as for an INS nobody has.
    outsider = httpx.get(page, auth=(BOB.login, BOB.password))
    unknown = httpx.get(
        f"{server.base_url}/portal/mespatients/patients/{_ins('2800469123046')}",
        auth=(BOB.login, BOB.password),
    )
    assert outsider.status_code == unknown.status_code == 404
    assert outsider.text == unknown.text
    assert "LEFÈVRE" not in outsider.text
    assert "file active" in outsider.text
    httpx.put(
        f"{server.base_url}{api}/file-active/{created['id']}",
        json={"reason": "remplacement"},
        headers=bob,
    )
    shown = httpx.get(page, auth=(BOB.login, BOB.password))
    assert shown.status_code == 200
    assert "LEFÈVRE Élodie" in shown.text
    entries = httpx.get(
        f"{server.base_url}{api}/patients/{created['id']}/access-log", headers=alice
    ).json()["entries"]
    assert [(e["actor"]["name"], e["action"]) for e in entries[:2]] == [
        (BOB.name, "portal"),
        (BOB.name, "follow"),
    ]


class _Page(HTMLParser):
    """The elements of a page, its links and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.values: list[str] = []  # of the form's fields
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]
        self.values += [value or "" for name, value in attrs if name == "value"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


OUR_TAGS = {
    "html", "head", "meta", "title", "link", "body", "header", "strong", "h1", "h2", "p",
    "table", "thead", "tbody", "tr", "th", "td", "a", "ul", "li",
}  # fmt: skip


def test_hostile_values_are_shown_as_text_on_every_page(server: ServerThread) -> None:
    """Names, cities, motives, descriptions typed by others (markup, quotes in attributes, links,
    bidirectional controls) come out as text: no element nor link of theirs on any page, and a
    policy that would run no script if one slipped through."""
    hostile = Hostile(Path("canary"))  # rendered by no one here: no watch needed
    world = seed(server, (ALICE.login, ALICE.password), hostile)
    auth = (ALICE.login, ALICE.password)
    pages = {
        "mespatients": httpx.get(server.base_url + "/portal/mespatients", auth=auth),
        "dossier": httpx.get(
            f"{server.base_url}/portal/mespatients/patients/{PATIENT_INS}", auth=auth
        ),
        "telemedecine": httpx.get(server.base_url + "/portal/telemedecine", auth=auth),
        "expert": httpx.get(server.base_url + "/portal/telemedecine/expert", auth=auth),
    }
    # A registration refused (this RPPS is not in the directory) shows the form again with what
    # was typed, hostile values inside attributes included; her account, made directly here, is
    # greeted by its hostile name.
    registered = httpx.post(
        server.base_url + "/portal/inscription",
        data={
            "rpps": "10000000999",
            "given": hostile.name("Zoé"),
            "family": '"><img src=x onerror=alert(1)>',
            "email": "zoe@example.org",
            "login": "zoe.hostile",
            "password": "long-enough-1",
        },
    )
    assert registered.status_code == 400, registered.text
    assert '"><img src=x onerror=alert(1)>' in "".join(_Page(registered.text).values)
    server.sandbox.accounts.create(
        "zoe.hostile",
        "long-enough-1",
        hostile.name("Zoé") + ' "><img src=x onerror=alert(1)>',
        "zoe.hostile@sisra-demo.mssante.fr",
    )
    # Her own name, as the pages greet her.
    pages["connectée"] = httpx.get(
        server.base_url + "/portal/telemedecine/expert", auth=("zoe.hostile", "long-enough-1")
    )
    for name, answer in pages.items():
        assert answer.status_code == 200, (name, answer.text)
        assert "script-src 'none'" in answer.headers["content-security-policy"], name
        page = _Page(answer.text)
        assert page.tags <= OUR_TAGS, (name, page.tags - OUR_TAGS)
        assert all(h.startswith(("/portal/", "http://127.0.0.1")) for h in page.hrefs), page.hrefs
        assert "<img" in "".join(page.text), name  # their markup, shown as characters
    assert _Page(registered.text).tags <= OUR_TAGS | {"form", "label", "input", "button"}
    texts = {name: "".join(_Page(a.text).text) for name, a in pages.items()}
    assert world.patient.family.upper() in texts["mespatients"]
    assert hostile.name("Patient libre") in texts["telemedecine"]
    assert hostile.name("Dr Pair") in texts["telemedecine"]  # the expert, as text
    assert hostile.text("Activité", 4000) in texts["expert"]
    assert hostile.name("Dr Pair") in texts["dossier"]  # the care team
    assert '"><img src=x onerror=alert(1)>' in texts["connectée"]


def test_links_only_to_portal_pages_and_web_addresses() -> None:
    assert link("/portal/mespatients", "<b>x</b>") == (
        '<a href="/portal/mespatients">&lt;b&gt;x&lt;/b&gt;</a>'
    )
    assert link('https://a.example/?q="><b>', "ok") == (
        '<a href="https://a.example/?q=&quot;&gt;&lt;b&gt;">ok</a>'
    )
    for href in (
        "javascript:alert(1)",
        " java\tscript:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "/\\evil.example",
    ):
        assert link(href, "<i>Rejoindre</i>") == "&lt;i&gt;Rejoindre&lt;/i&gt;", href
    assert table(["<h>"], [["<td>", link("/portal/x", "y")]]) == (
        "<table><thead><tr><th>&lt;h&gt;</th></tr></thead><tbody><tr><td>&lt;td&gt;</td>"
        '<td><a href="/portal/x">y</a></td></tr></tbody></table>'
    )
