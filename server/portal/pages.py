"""HTML of the portal pages: a shared frame, every value escaped.

Names, cities, questions and motives on these pages were typed by other users: `table` escapes
every cell it is given as text, and only a `link` (markup of ours, its text and address escaped,
its address a page of the portal or a web address) goes into a cell as it is. Every page is
served with a Content-Security-Policy that runs no script and loads nothing, should something
ever slip through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from fastapi.responses import HTMLResponse

# Inline style only (the frame's <style>); forms post to the portal itself.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
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
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;color:#1d2733}table{border-collapse:collapse;width:100%}"
        "td,th{border-bottom:1px solid #d0d7de;padding:.4rem;text-align:left}"
        "label{display:block;margin:.6rem 0}</style></head><body>"
        f"<header><strong>Portail régional de santé</strong></header><h1>{escape(title)}</h1>"
        f"{body}</body></html>"
    )


def respond(
    html: str, status_code: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    """A portal page as an HTTP response, with the security headers."""
    return HTMLResponse(html, status_code, headers={**SECURITY_HEADERS, **(headers or {})})


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """Every cell is escaped, except a `link` (already escaped markup of ours)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"


def _cell(value: str) -> str:
    return value if isinstance(value, Html) else escape(value)


def who(name: str) -> str:
    return f"<p>Connecté(e) : {escape(name)}</p>"
