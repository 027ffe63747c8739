"""The registration pages ("Créer un compte Sara", opened from MonSisra bureau's login window) and
the activation link's page. Public, as creating an account happens before having one; the rules
are server/registration.py's. A refused form comes back with what was typed (but the password)
and the reason in French; every value is escaped."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from server.context import Sandbox, get_sandbox
from server.portal.help import help_link
from server.portal.pages import page
from server.registration import (
    ACTIVATION_LIFETIME,
    ACTIVATION_PATH,
    Registered,
    RegistrationRefused,
)
from server.registration import Form as Filled
from server.urls import PORTAL_PATH

router = APIRouter(prefix=PORTAL_PATH, include_in_schema=False)

SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]
TITLE = "Créer un compte Sara"
HELP = help_link("Comment obtenir mes identifiants de connexion MonSisra ?")
_FIELDS = (
    ("rpps", "Numéro RPPS (11 chiffres)", 'inputmode="numeric" maxlength="11"'),
    ("given", "Prénom", 'maxlength="100"'),
    ("family", "Nom", 'maxlength="100"'),
    ("email", "Adresse e-mail où recevoir le lien d'activation", 'type="email" maxlength="254"'),
    ("login", "Identifiant", 'maxlength="64"'),
)


def _form(values: dict[str, str]) -> str:
    fields = "".join(
        f'<label>{escape(label)} <input name="{name}" {extra} required '
        f'value="{escape(values.get(name, ""), quote=True)}"></label>'
        for name, label, extra in _FIELDS
    )
    return (
        '<form method="post">' + fields + "<label>Mot de passe (10 caractères au moins) "
        '<input name="password" type="password" required></label>'
        "<button>Créer mon compte Sara</button></form>"
    )


def _intro() -> str:
    return (
        f"<p>{HELP}</p><p>Sans carte CPS, créez ici votre compte Sara pour obtenir vos "
        "identifiants MonSisra. Votre identité est vérifiée dans l'annuaire santé (numéro RPPS, "
        "nom et prénom) ; un lien d'activation est ensuite envoyé à l'adresse e-mail indiquée. "
        "Avec une carte CPS, cette étape n'est pas nécessaire.</p>"
    )


@router.get("/inscription", response_model=None)
def registration_form() -> Response:
    return HTMLResponse(page(TITLE, _intro() + _form({})))


@router.post("/inscription", response_model=None)
def register(
    request: Request,
    sandbox: SandboxDep,
    rpps: Annotated[str, Form(max_length=20)],
    given: Annotated[str, Form(max_length=100)],
    family: Annotated[str, Form(max_length=100)],
    email: Annotated[str, Form(max_length=254)],
    login: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    filled = Filled(rpps, given, family, email, login, password)
    try:
        registered = sandbox.registration.register(filled, str(request.base_url))
    except RegistrationRefused as refused:
        typed = {"rpps": rpps, "given": given, "family": family, "email": email, "login": login}
        body = f'<p class="error">{escape(refused.message)}</p>' + _intro() + _form(typed)
        return HTMLResponse(page(TITLE, body), refused.status)
    return HTMLResponse(page(TITLE, _sent(registered)), 200 if registered.again else 201)


def _sent(registered: Registered) -> str:
    hours = ACTIVATION_LIFETIME // 3600
    if registered.again:
        return (
            "<p>Un compte Sara attend déjà son activation pour ce numéro RPPS : un nouveau lien "
            f"d'activation a été envoyé à l'adresse donnée lors de l'inscription "
            f"({escape(_masked(registered.sent_to))}). Il est valable {hours} heures.</p>"
        )
    account = registered.account
    return (
        "<p>Votre compte est créé ; il reste à l'activer. Un lien d'activation a été envoyé à "
        f"<strong>{escape(registered.sent_to)}</strong> : ouvrez-le dans les {hours} heures.</p>"
        f"<p>Identifiant : <strong>{escape(account.login)}</strong></p>"
        f"<p>Adresse MSSanté : <strong>{escape(account.email)}</strong> (dans l'annuaire dès "
        "l'activation)</p>"
        "<p>Vous pourrez ensuite vous connecter à MonSisra.</p>"
    )


def _masked(email: str) -> str:
    """z•••@example.org: enough to recognise one's address, not to learn someone else's."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


@router.get("/inscription/activation/{token}", response_model=None)
def activation_page(sandbox: SandboxDep, token: str) -> Response:
    """Asks for a click: a link opened by a mail scanner (a GET) activates nothing."""
    try:
        account = sandbox.registration.check(token)
    except RegistrationRefused as refused:
        return HTMLResponse(page("Activer mon compte Sara", _refused(refused)), refused.status)
    body = (
        f"<p>Bonjour {escape(account.display_name)},</p>"
        f"<p>Activez votre compte Sara (identifiant <strong>{escape(account.login)}</strong>) : "
        "votre adresse MSSanté apparaîtra alors dans l'annuaire santé.</p>"
        '<form method="post"><button>Activer mon compte</button></form>'
    )
    return HTMLResponse(page("Activer mon compte Sara", body))


@router.post("/inscription/activation/{token}", response_model=None)
def activate(sandbox: SandboxDep, token: str) -> Response:
    try:
        account = sandbox.registration.activate(token)
    except RegistrationRefused as refused:
        return HTMLResponse(page("Activer mon compte Sara", _refused(refused)), refused.status)
    body = (
        "<p>Votre compte Sara est activé.</p>"
        f"<p>Identifiant : <strong>{escape(account.login)}</strong></p>"
        f"<p>Adresse MSSanté : <strong>{escape(account.email)}</strong></p>"
        "<p>Vous pouvez maintenant vous connecter à MonSisra avec cet identifiant et votre mot "
        "de passe.</p>"
    )
    return HTMLResponse(page("Compte Sara activé", body))


def _refused(refused: RegistrationRefused) -> str:
    return f'<p class="error">{escape(refused.message)}</p><p>{HELP}</p>'


__all__ = ["ACTIVATION_PATH", "router"]
