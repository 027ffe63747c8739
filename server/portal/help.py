"""The portal's "Aide" page: the service's FAQ (data/monsisra-faq.txt, see data/README.txt), one
section per question with an anchor the app's "Aide" links point at (`topic_anchor`). Public, as
a help page is: nothing of the user's is on it.

The FAQ is plain text (a question is a paragraph ending with "?", its answer the paragraphs up to
the next question); every word of it is escaped into the page, none is taken as markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from server.portal.pages import Html, link, page
from server.urls import HELP_PATH, PORTAL_PATH

router = APIRouter(prefix=PORTAL_PATH, include_in_schema=False)

FAQ_FILE = "monsisra-faq.txt"


@dataclass(frozen=True)
class Topic:
    anchor: str
    question: str
    answer: tuple[str, ...]  # its paragraphs


def topic_anchor(question: str) -> str:
    """The anchor of a question: its words without accents, lower-cased, joined by '-'
    ("Comment planifier une téléconsultation ?" → "comment-planifier-une-teleconsultation")."""
    folded = unicodedata.normalize("NFKD", question)
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only.lower()))


def parse_faq(text: str) -> list[Topic]:
    """The FAQ's questions with their answers, in order."""
    topics: list[Topic] = []
    question: str | None = None
    answer: list[str] = []
    for raw in re.split(r"\n\s*\n", text):
        paragraph = " ".join(raw.split())
        if not paragraph:
            continue
        if paragraph.endswith("?") and len(paragraph) < 200:
            if question is not None:
                topics.append(Topic(topic_anchor(question), question, tuple(answer)))
            question, answer = paragraph, []
        elif question is not None:  # a line of its own (a list's item) stays one
            answer.extend(" ".join(line.split()) for line in raw.splitlines() if line.strip())
    if question is not None:
        topics.append(Topic(topic_anchor(question), question, tuple(answer)))
    return topics


@cache
def topics() -> tuple[Topic, ...]:
    text = files("server.portal").joinpath("data", FAQ_FILE).read_text(encoding="utf-8")
    return tuple(parse_faq(text))


def help_page(faq: Sequence[Topic]) -> str:
    """The page of `faq`: a summary of its questions, then each question's section."""
    sections = "".join(
        f'<section id="{escape(t.anchor, quote=True)}"><h2>{escape(t.question)}</h2>'
        + (
            "".join(f"<p>{escape(p)}</p>" for p in t.answer)
            or "<p>Cette rubrique n'a pas encore de réponse.</p>"
        )
        + "</section>"
        for t in faq
    )
    summary = "".join(
        f'<li><a href="#{escape(t.anchor, quote=True)}">{escape(t.question)}</a></li>' for t in faq
    )
    return page("Aide", f"<nav><ul>{summary}</ul></nav>{sections}")


@router.get(HELP_PATH.removeprefix(PORTAL_PATH), response_class=HTMLResponse)
def aide() -> HTMLResponse:
    return HTMLResponse(help_page(topics()), headers={"Cache-Control": "public, max-age=3600"})


def help_link(question: str) -> Html:
    """A portal page's "Aide" link to the FAQ's section of `question` (one of its questions,
    word for word: the tests of each page check that its sections exist)."""
    return link(f"{HELP_PATH}#{topic_anchor(question)}", "Aide")


__all__ = ["Topic", "help_link", "help_page", "parse_faq", "router", "topic_anchor", "topics"]
