"""The portal's "Aide" page (issue 13 §5): built from the FAQ copied into the repository, one
anchor per question, every word escaped; the app's "Aide" link of each page lands on its topic."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag

import httpx
import pytest

from app.regional.links import HELP_TOPICS, help_url
from server.portal.help import help_page, parse_faq, topic_anchor, topics
from server.testing import ServerThread
from server.urls import REGIONAL_CAPABILITY
from tests.server.conftest import ALICE

# The FAQ's question each page of the app answers to.
QUESTIONS = {
    "mail": "Comment envoyer des courriers avec MonSisra ?",
    "directory": "Comment envoyer des courriers avec MonSisra ?",
    "teleexpertise": "Comment solliciter un expert ?",
    "teleconsultations": "Comment planifier une téléconsultation ?",
    "patients": "Comment trouver et suivre mes patients ?",
    "teams": "Comment se déclarer comme équipe ressource ?",
    "settings": "Quels sont les différents modes de connexion à MonSisra ?",
}


class Sections(HTMLParser):
    """The text inside each element that has an id, by id."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "br"):
            return
        self._open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for key in self._open:
            if key is not None:
                self.text[key] = self.text.get(key, "") + data


@pytest.mark.parametrize("page", sorted(HELP_TOPICS))
def test_each_pages_help_link_opens_the_faq_at_its_question(
    server: ServerThread, page: str
) -> None:
    base = server.base_url + "/portal/aide"
    url = help_url(base, page)
    address, anchor = urldefrag(url)
    r = httpx.get(address)  # as a browser does: the fragment stays on this side
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    sections = Sections()
    sections.feed(r.text)
    assert anchor in sections.text, f"no element with id {anchor!r}"
    assert sections.text[anchor].startswith(QUESTIONS[page])
    assert len(sections.text[anchor]) > len(QUESTIONS[page]) + 40  # its answer is there too


def test_the_session_advertises_the_help_page(server: ServerThread) -> None:
    r = httpx.get(f"{server.base_url}/.well-known/jmap", auth=(ALICE.login, ALICE.password))
    assert r.status_code == 200
    assert r.json()["capabilities"][REGIONAL_CAPABILITY]["helpUrl"] == (
        server.base_url + "/portal/aide"
    )


def test_every_question_of_the_faq_has_its_own_anchor() -> None:
    anchors = [t.anchor for t in topics()]
    assert len(anchors) == 12
    assert len(set(anchors)) == len(anchors)
    assert set(HELP_TOPICS.values()) <= set(anchors)
    assert topic_anchor("Comment planifier une téléconsultation ?") == (
        "comment-planifier-une-teleconsultation"
    )


def test_the_faqs_words_are_escaped_never_markup() -> None:
    faq = parse_faq(
        'Que fait <script>alert(1)</script> ?\n\nRien : <b>gras</b> & "guillemets".\n'
        "  • une ligne à elle\n"
    )
    assert [t.answer for t in faq] == [('Rien : <b>gras</b> & "guillemets".', "• une ligne à elle")]
    html = help_page(faq)
    assert "<script" not in html
    assert "<b>" not in html
    sections = Sections()
    sections.feed(html)
    text = sections.text[faq[0].anchor]
    assert text.startswith("Que fait <script>alert(1)</script> ?")  # shown as typed
    assert 'Rien : <b>gras</b> & "guillemets".' in text
