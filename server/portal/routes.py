"""Portal pages under /portal (include `server.portal.routes.router` in the app).

Pages with user data accept `?code=` (a one-time code from POST /regional/v1/portal-codes: the
browser then gets an HttpOnly session cookie and is redirected to the same page without the code),
the session cookie, or HTTP Basic; otherwise 401 with a Basic challenge (429 while the login
throttle makes that login or address wait). The style sheet and the teleconsultation join pages
are public (the registration pages too: server/portal/registration.py).
"""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from server.accounts import Account
from server.context import Sandbox, get_sandbox
from server.directory.codes import SPECIALTIES
from server.portal.pages import STYLE_SHEET, STYLE_SHEET_PATH, link, page, table, who
from server.portal.room import can_enter, room_page
from server.regional.common import born
from server.regional.errors import RegionalError
from server.regional.models import ExpertProfile, Patient
from server.regional.portal_codes import SESSION_LIFETIME
from server.regional.routes import content_disposition
from server.regional.teleconsultations import JoinInfo
from server.regional.validation import normalize_ins
from server.urls import PORTAL_PATH

router = APIRouter(prefix=PORTAL_PATH, include_in_schema=False)

SESSION_COOKIE = "monsisra_portal"
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


class _Redirect(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _challenge(message: str) -> HTMLResponse:
    return HTMLResponse(
        page("Connexion requise", f"<p>{escape(message)}</p>"),
        status_code=401,
        headers={"WWW-Authenticate": 'Basic realm="Portail MonSisra", charset="UTF-8"'},
    )


def _throttled(headers: dict[str, str]) -> HTMLResponse:
    wait = headers.get("Retry-After", "60")
    return HTMLResponse(
        page(
            "Connexion requise",
            "<p>Trop de tentatives de connexion infructueuses. "
            f"Réessayez dans {escape(wait)} s.</p>",
        ),
        status_code=429,
        headers={"Retry-After": wait},
    )


def _viewer(request: Request, sandbox: Sandbox) -> Account | HTMLResponse:
    """The logged-in account, a redirect that sets the session, or the 401 page."""
    code = request.query_params.get("code")
    if code is not None:
        token = sandbox.regional.portal.redeem(code)
        if token is None:
            return _challenge("Ce code d'accès est invalide, expiré ou déjà utilisé.")
        clean = request.url.remove_query_params("code")
        response = RedirectResponse(clean.path + (f"?{clean.query}" if clean.query else ""), 303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=SESSION_LIFETIME,
            httponly=True,
            samesite="lax",
            path=PORTAL_PATH,
        )
        raise _Redirect(response)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        account = sandbox.regional.portal.session_account(cookie)
        if account is not None:
            return account
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            found = sandbox.auth.optional(request)
        except HTTPException as exc:
            if exc.status_code == 429:  # the login throttle: say when to try again
                return _throttled(dict(exc.headers or {}))
            found = None
        if found is not None:
            return found
    return _challenge("Ouvrez le portail depuis MonSisra (Mon portail), ou identifiez-vous.")


def _guarded(request: Request, sandbox: Sandbox) -> Account | Response:
    try:
        return _viewer(request, sandbox)
    except _Redirect as redirect:
        return redirect.response


def _name(patient: Patient) -> str:
    return f"{patient.family.upper()} {patient.given}"


@router.get(STYLE_SHEET_PATH.removeprefix(PORTAL_PATH), response_model=None)
def style_sheet() -> Response:
    return Response(
        STYLE_SHEET, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/mespatients", response_model=None)
def mespatients(request: Request, sandbox: SandboxDep) -> Response:
    viewer = _guarded(request, sandbox)
    if isinstance(viewer, Response):
        return viewer
    patients = sandbox.regional.patients.file_active(viewer)
    rows = [
        (
            link(f"{PORTAL_PATH}/mespatients/patients/{quote(p.ins, safe='')}", _name(p))
            if p.ins
            else _name(p),
            p.birth_date.strftime("%d/%m/%Y"),
            p.ins or "",
            p.city,
        )
        for p in patients
    ]
    body = who(viewer.display_name) + (
        f"<p>{len(patients)} patient(s) dans votre file active.</p>"
        + table(("Patient", "Naissance", "INS", "Commune"), rows)
    )
    return HTMLResponse(page("MesPatients — ma file active", body))


@router.get("/mespatients/patients/{ins}", response_model=None)
def patient_file(request: Request, sandbox: SandboxDep, ins: str) -> Response:
    viewer = _guarded(request, sandbox)
    if isinstance(viewer, Response):
        return viewer
    normalized = normalize_ins(ins)
    try:
        if normalized is None:
            raise RegionalError(404, "not_found", "INS invalide.")
        patient, team = sandbox.regional.patients.portal_file(viewer, normalized)
    except RegionalError as exc:
        return HTMLResponse(page("Dossier patient", f"<p>{escape(exc.message)}</p>"), exc.status)
    members = [
        (m.name, m.profession or "", m.specialty or "", m.mssante_address or "")
        for m in team.members
    ]
    body = (
        who(viewer.display_name) + f"<p>{escape(_name(patient))}, {born(patient.sex)} le "
        f"{patient.birth_date:%d/%m/%Y} — INS {escape(patient.ins or '')} "
        f"(OID {escape(patient.ins_oid or '')})</p><h2>Acteurs du dossier</h2>"
        + table(("Professionnel", "Profession", "Spécialité", "Adresse MSSanté"), members)
        + _documents_html(sandbox, patient)
    )
    return HTMLResponse(page(f"Dossier de {patient.given} {patient.family}", body))


def _expert_profile_html(profile: ExpertProfile) -> str:
    """The declaration, read-only: it is made and edited in MonSisra bureau, where the form is
    (FAQ: « Se déclarer comme télé-expert »); the page says where, and leads back to the portal."""
    where = (
        "<p>Pour modifier ces préférences ou ne plus être télé-expert : <strong>Modifier dans "
        "MonSisra bureau</strong>, page « Téléexpertise », bouton « Modifier mes préférences "
        "d'expert ».</p>"
    )
    back = f"<p>{link(PORTAL_PATH + '/telemedecine', 'Retour au portail de télémédecine')}</p>"
    if not profile.declared:
        return (
            "<p>Vous n'êtes pas encore déclaré(e) téléexpert(e).</p>"
            "<p>Pour vous déclarer : <strong>MonSisra bureau</strong>, page « Téléexpertise », "
            "bouton « Se déclarer comme télé-expert » (activité, spécialités proposées, "
            "documents prérequis, délai de réponse).</p>" + back
        )
    specialties = "".join(
        f"<li>{escape(SPECIALTIES.get(code, code))}</li>" for code in profile.specialties
    )
    documents = "".join(f"<li>{escape(d)}</li>" for d in profile.prerequisite_documents)
    delay = (
        f"{profile.response_delay_days} jour(s)" if profile.response_delay_days else "non précisé"
    )
    listed = "oui" if profile.listed_in_directory else "non"
    return (
        "<p>Vous êtes déclaré(e) téléexpert(e).</p>"
        + f"<h2>Mon activité</h2><p>{escape(profile.activity_description) or '—'}</p>"
        + f"<h2>Spécialités proposées</h2><ul>{specialties or '<li>—</li>'}</ul>"
        + f"<h2>Documents prérequis</h2><ul>{documents or '<li>—</li>'}</ul>"
        + f"<p>Délai de réponse : {delay}</p>"
        + f"<p>Apparaître dans l'annuaire des experts : {listed}</p>"
        + where
        + back
    )


@router.get("/telemedecine/expert", response_model=None)
def expert_preferences(request: Request, sandbox: SandboxDep) -> Response:
    viewer = _guarded(request, sandbox)
    if isinstance(viewer, Response):
        return viewer
    profile = sandbox.regional.expertise.profile(viewer)
    body = who(viewer.display_name) + _expert_profile_html(profile)
    return HTMLResponse(page("Préférences expert", body))


@router.get("/telemedecine/join/{token}", response_model=None)
def join(request: Request, sandbox: SandboxDep, token: str) -> Response:
    info = sandbox.regional.teleconsultations.join_info(token)
    if info is None:
        body = "<p>Ce lien de téléconsultation n'est pas valide. Vérifiez l'invitation reçue.</p>"
        return HTMLResponse(page("Téléconsultation", body), status_code=404)
    greeting = (
        f"<p>Bonjour {escape(info.name)},</p><p>Téléconsultation avec "
        f"{escape(info.teleconsultant)} le {info.start:%d/%m/%Y} de {info.start:%H:%M} à "
        f"{info.end:%H:%M}.</p>"
    )
    if info.payment_due is not None and info.status == "planned":
        return HTMLResponse(
            page("Paiement de la téléconsultation", greeting + _payment(info, token))
        )
    if can_enter(info):  # the video room (server/portal/room.py)
        return room_page(request, info, token, greeting)
    state = (
        "Cette téléconsultation a été annulée."
        if info.status == "cancelled"
        else "Cette téléconsultation est terminée."
    )
    return HTMLResponse(page("Téléconsultation", greeting + f"<p>{escape(state)}</p>"))


def _payment(info: JoinInfo, token: str) -> str:
    """The sandbox's stand-in for a payment provider's page: nothing is charged, and it says so."""
    amount = f"{(info.payment_due or 0) / 100:.2f}".replace(".", ",")
    action = f"{PORTAL_PATH}/telemedecine/join/{token}/pay"
    return (
        '<p class="simulated"><strong>Paiement simulé — environnement de démonstration</strong> : '
        "aucune somme n'est prélevée, aucune carte n'est demandée.</p>"
        f"<p>Avant d'entrer en salle d'attente, réglez la téléconsultation : "
        f"<strong>{amount} €</strong>.</p>"
        f'<form method="post" action="{escape(action, quote=True)}">'
        f"<button>Payer {amount} € (simulation)</button></form>"
    )


@router.post("/telemedecine/join/{token}/pay", response_model=None)
def pay(sandbox: SandboxDep, token: str) -> Response:
    """Records the payment, then back to the join link: the waiting room (303, so that a
    reload does not post again)."""
    info = sandbox.regional.teleconsultations.pay(token)
    if info is None:
        body = "<p>Ce lien de téléconsultation n'est pas valide. Vérifiez l'invitation reçue.</p>"
        return HTMLResponse(page("Téléconsultation", body), status_code=404)
    return RedirectResponse(f"{PORTAL_PATH}/telemedecine/join/{token}", status_code=303)


# --- Issue 13 §3: the documents filed in the patient's record -------------------------------------


def _documents_html(sandbox: Sandbox, patient: Patient) -> str:
    """The record's documents (the page's access is journaled already), each downloadable."""
    documents = sandbox.regional.documents.portal_listing(patient.id)
    if not documents:
        return "<h2>Documents du dossier</h2><p>Aucun document n'a été déposé dans ce dossier.</p>"
    base = f"{PORTAL_PATH}/mespatients/patients/{quote(patient.ins or '', safe='')}/documents"
    rows = [
        (
            f"{d.filed_at:%d/%m/%Y %H:%M}",
            link(f"{base}/{quote(d.id, safe='')}", d.title),
            d.type_label,
            d.author,
        )
        for d in documents
    ]
    return "<h2>Documents du dossier</h2>" + table(("Date", "Document", "Type", "Auteur"), rows)


@router.get("/mespatients/patients/{ins}/documents/{document_id}", response_model=None)
def patient_document(request: Request, sandbox: SandboxDep, ins: str, document_id: str) -> Response:
    """One document of the record, downloaded (journaled), for those who need to know."""
    viewer = _guarded(request, sandbox)
    if isinstance(viewer, Response):
        return viewer
    try:
        found = sandbox.regional.documents.portal_content(viewer, normalize_ins(ins), document_id)
    except RegionalError as exc:
        return HTMLResponse(
            page("Document du dossier", f"<p>{escape(exc.message)}</p>"), exc.status
        )
    return Response(
        content=found.data,
        media_type=found.content_type,
        headers={"Content-Disposition": content_disposition(found.file_name)},
    )
