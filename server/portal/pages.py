"""HTML of the portal pages: a shared frame, everything user-given escaped.

No inline style or script: the sandbox's Content-Security-Policy (`default-src 'self'`,
server/headers.py) would block them; the style sheet is served beside the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from server.urls import PORTAL_PATH

STYLE_SHEET_PATH = PORTAL_PATH + "/portal.css"
STYLE_SHEET = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#1d2733}\ntable{border-collapse:collapse;width:100%}\n"
    "td,th{border-bottom:1px solid #d0d7de;padding:.4rem;text-align:left}\n"
    "label{display:block;margin:.6rem 0}\n"
)


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
    """`rows` hold HTML already escaped by the caller (cells may be links)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"


def who(name: str) -> str:
    return f"<p>Connecté(e) : {escape(name)}</p>"
