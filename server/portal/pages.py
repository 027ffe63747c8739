"""HTML of the portal pages: a shared frame, every value escaped.

Names, cities, questions and motives on these pages were typed by other users: `table` escapes
every cell it is given as text, and only a `link` (markup of ours, its text and address escaped,
its address a page of the portal or a web address) goes into a cell as it is. No inline style or
script: the sandbox's Content-Security-Policy (no script at all, server/headers.py) would
block them, should something ever slip through; the style sheet is served beside the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from server.urls import PORTAL_PATH

STYLE_SHEET_PATH = PORTAL_PATH + "/portal.css"
STYLE_SHEET = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#1d2733}\ntable{border-collapse:collapse;width:100%}\n"
    "td,th{border-bottom:1px solid #d0d7de;padding:.4rem;text-align:left}\n"
    "label{display:block;margin:.6rem 0}\n"
    # Issue 13 §5: a refused form's reason, and fields wide enough for an e-mail address.
    ".error{color:#a4262c;font-weight:600}\ninput{min-width:16rem}\n"
    "@media (max-width:40rem){table{display:block;overflow-x:auto}input{min-width:0}}\n"
)
# A page of ours (/portal/…) or a web address; javascript:, data:, //host… are not links.
_LINKABLE = re.compile(r"^(?:https?://|/(?![/\\]))", re.IGNORECASE)


class Html(str):
    """Markup of ours (`link`): a table cell that holds it is not escaped again."""


def link(href: str, text: str) -> Html:
    """<a href> to `href` showing `text`, both escaped; the text alone when `href` is neither a
    portal path nor an http(s) address. Browsers ignore spaces and control characters in a
    scheme ("java\\tscript:"), so the address is judged without them."""
    if not _LINKABLE.match("".join(ch for ch in href if ch > " ")):
        return Html(escape(text))
    return Html(f'<a href="{escape(href, quote=True)}">{escape(text)}</a>')


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — Portail régional</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{STYLE_SHEET_PATH}"></head><body>'
        f"<header><strong>Portail régional de santé</strong></header><h1>{escape(title)}</h1>"
        f"{body}</body></html>"
    )


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """Every cell is escaped, except a `link` (already escaped markup of ours)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"


def _cell(value: str) -> str:
    return value if isinstance(value, Html) else escape(value)


def who(name: str) -> str:
    return f"<p>Connecté(e) : {escape(name)}</p>"
