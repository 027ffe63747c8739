"""HTML of the simulé's pages: the « Carte CPS » page (authorize) and the phone of the e-CPS
(CIBA). Plain forms, no script; every value shown is escaped (names and codes come from the
sandbox's data and from the relying party's requests)."""

from __future__ import annotations

import time
from html import escape

from server.psc_simule import PREFIX
from server.psc_simule.professionals import Professional
from server.psc_simule.provider import Push

STYLE_SHEET_PATH = PREFIX + "/psc.css"
STYLE_SHEET = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;"
    "color:#1d2733}\n"
    ".banner{background:#fff4ce;border:2px solid #c78a00;padding:.6rem .8rem;font-weight:600;"
    "border-radius:.3rem}\n"
    "h1{color:#003a7a;font-size:1.5rem}\n"
    "fieldset{border:1px solid #d0d7de;border-radius:.3rem;margin:1rem 0;padding:.6rem 1rem}\n"
    "label{display:block;margin:.4rem 0}\n.small{color:#57606a;font-size:.9rem}\n"
    ".error{color:#a4262c;font-weight:600}\n"
    ".push{border:1px solid #d0d7de;border-radius:.3rem;padding:.6rem 1rem;margin:1rem 0}\n"
    ".code{font-family:ui-monospace,monospace;font-size:2rem;letter-spacing:.3rem;"
    "font-weight:700}\n"
    "button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.6rem}\n"
    "form.inline{display:inline}\n.nowrap{white-space:nowrap}\n"
)
BANNER = "PSC simulé — environnement de démonstration, aucune vraie carte n'est lue"


def frame(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — PSC simulé</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{STYLE_SHEET_PATH}"></head><body>'
        f'<p class="banner" role="note">{escape(BANNER)}</p>'
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )


def message_page(title: str, text: str) -> str:
    return frame(title, f"<p>{escape(text)}</p>")


def _practices(p: Professional) -> str:
    return " ; ".join(" — ".join(x for x in (a.name, a.city) if x) for a in p.activities)


def card_page(
    action: str,
    request_id: str,
    people: list[Professional],
    client_id: str,
    error: str | None = None,
) -> str:
    """The « Carte CPS » page: which demo professional « inserts their card », and how it goes."""
    if people:
        choices = "".join(
            f'<label><input type="radio" name="rpps" value="{escape(p.rpps, quote=True)}"'
            f"{' checked' if i == 0 else ''}> <strong>{escape(p.display_name)}</strong>"
            f' — {escape(p.profession)}, <span class="nowrap">RPPS {escape(p.rpps)}</span>'
            f'<br><span class="small">{escape(_practices(p))}</span></label>'
            for i, p in enumerate(people)
        )
    else:
        choices = "<p>Aucun professionnel de démonstration n'a de numéro RPPS.</p>"
    options = (
        '<label><input type="radio" name="mode" value="normal" checked> '
        "Carte valide (authentification forte, eidas1)</label>"
        '<label><input type="radio" name="mode" value="expiree"> Carte expirée</label>'
        '<label><input type="radio" name="mode" value="eidas0"> '
        "Authentification faible (eidas0)</label>"
    )
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return frame(
        "Carte CPS",
        f'<p>L\'application <strong class="nowrap">{escape(client_id)}</strong> demande '
        "votre identité Pro Santé Connect. Choisissez la carte à « insérer ».</p>"
        f'{problem}<form method="post" action="{escape(action, quote=True)}">'
        f'<input type="hidden" name="demande" value="{escape(request_id, quote=True)}">'
        f"<fieldset><legend>Professionnel</legend>{choices}</fieldset>"
        f"<fieldset><legend>Déroulement</legend>{options}</fieldset>"
        '<button type="submit" name="action" value="valider">Valider</button>'
        '<button type="submit" name="action" value="refuser">Refuser</button>'
        "</form>",
    )


_NOTICES = {
    "valide": "Demande validée.",
    "refuse": "Demande refusée.",
    "perime": "Cette demande n'est plus en attente (expirée ou déjà traitée).",
}


def phone_page(pushes: list[Push], now: float, notice: str | None = None) -> str:
    """The phone of the e-CPS: each push waiting, its code to compare with the one the
    application shows, and when it expires."""
    said = _NOTICES.get(notice or "")
    head = f'<p role="status"><strong>{escape(said)}</strong></p>' if said else ""
    if not pushes:
        items = "<p>Aucune demande en attente.</p>"
    else:
        items = "".join(_push(p, now) for p in pushes)
    return frame(
        "e-CPS — téléphone",
        f"{head}<p>Cette page tient lieu de l'application e-CPS du téléphone : comparez le code "
        "affiché par l'application qui demande la connexion, puis validez ou refusez.</p>"
        f"{items}"
        f'<p><a href="{PREFIX}/telephone">Actualiser</a></p>',
    )


def _push(p: Push, now: float) -> str:
    left = max(0, int(p.expires - now))
    until = time.strftime("%H:%M:%S", time.localtime(p.expires))
    action = escape(f"{PREFIX}/telephone/{p.id}", quote=True)
    code = p.binding_message or "—"
    return (
        '<div class="push">'
        f"<p>Connexion demandée pour <strong>{escape(p.professional.display_name)}</strong> "
        f'<span class="nowrap">(RPPS {escape(p.professional.rpps)})</span> par '
        f'<strong class="nowrap">{escape(p.client_id)}</strong>.</p>'
        f'<p>Code : <span class="code">{escape(code)}</span></p>'
        f'<p class="small">Expire à {escape(until)} (dans {left // 60} min {left % 60:02d} s).</p>'
        f'<form class="inline" method="post" action="{action}">'
        '<button type="submit" name="action" value="valider">Valider</button>'
        '<button type="submit" name="action" value="refuser">Refuser</button></form></div>'
    )
