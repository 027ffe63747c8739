"""The regional telemedicine portal page (/portal/telemedecine, "Mon portail" → télémédecine):
the user's teleconsultations (date, patient, status, payment, their join link) and téléexpertises
(status, documents joined, the compte rendu), and, in the FAQ's words, where each action is done
in MonSisra bureau, with the "Aide" links to the FAQ's sections. The page lists; the actions
themselves are the desktop app's, so it never leaves the user at a dead end. Every value typed by
someone (names, documents' names) goes through `table`, which escapes it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from server.portal.help import help_link
from server.portal.pages import Html, link, page, table, who
from server.portal.routes import SandboxDep, _guarded
from server.regional.models import Teleconsultation, Teleexpertise
from server.urls import PORTAL_PATH

router = APIRouter(prefix=PORTAL_PATH, include_in_schema=False)

PLAN_HELP = "Comment planifier une téléconsultation ?"
PATIENT_HELP = "Comment mon patient peut se connecter à une téléconsultation ?"
EXPERT_HELP = "Comment se déclarer expert ?"
ASK_HELP = "Comment solliciter un expert ?"
DIFFERENCE_HELP = "Quelle est la différence entre une conversation MonSisra et une téléexpertise ?"
TEAM_HELP = "Comment se déclarer comme équipe ressource ?"
QUESTIONS = (PLAN_HELP, PATIENT_HELP, EXPERT_HELP, ASK_HELP, DIFFERENCE_HELP, TEAM_HELP)

TC_STATUSES = {"planned": "Planifiée", "done": "Passée", "cancelled": "Annulée"}
TE_STATUSES = {
    "requested": "Demandée, en attente de réponse",
    "answered": "Répondue",
    "closed": "Clôturée",
}
IN_APP = "Dans MonSisra bureau : "


def _actions(rows: list[tuple[str, str, str]]) -> str:
    """What is done where: the action (in the FAQ's words), the place in the app, its help."""
    return "<p>Où faire quoi :</p>" + table(
        ("Pour…", "Où", ""),
        [(action, _guillemets(IN_APP + where), help_link(q)) for action, where, q in rows],
    )


def _guillemets(text: str) -> str:
    """« » kept with their words on one line, as French typography wants (no-break spaces)."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def _euros(amount: float) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


def _payment(t: Teleconsultation) -> str:
    if t.online_payment is None:
        return "Aucun"
    state = {"paid": "payé", "pending": "en attente"}.get(t.payment_status or "", "")
    return (
        f"{_euros(t.online_payment.amount)} — {state}" if state else _euros(t.online_payment.amount)
    )


def _join(t: Teleconsultation) -> Html | str:
    if t.join_url and t.status == "planned":
        return link(t.join_url, "Rejoindre")
    return ""


def teleconsultations_html(consultations: list[Teleconsultation]) -> str:
    rows = [
        (
            f"{t.start:%d/%m/%Y %H:%M}",
            t.patient.name,
            t.teleconsultant.name,
            TC_STATUSES[t.status],
            _payment(t),
            _join(t),
        )
        for t in consultations
    ]
    listed = (
        table(("Date", "Patient", "Téléconsultant", "Statut", "Paiement en ligne", ""), rows)
        if rows
        else "<p>Aucune téléconsultation planifiée pour vous.</p>"
    )
    return (
        "<h2>Téléconsultations</h2>"
        + listed
        + _actions(
            [
                (
                    "Planifier une téléconsultation",
                    "page « Téléconsultations », bouton « Planifier une téléconsultation » "
                    "(téléconsultant, date et heure, paiement en ligne, patient, invitation par "
                    "e-mail ou SMS, autres participants).",
                    PLAN_HELP,
                ),
                (
                    "Modifier ou annuler une téléconsultation",
                    "page « Téléconsultations », choisissez-la dans la liste, puis « Modifier » "
                    "ou « Annuler la téléconsultation » : les participants sont prévenus.",
                    PLAN_HELP,
                ),
                (
                    "Planifier « au nom » d'un professionnel",
                    "le professionnel vous ajoute dans « Paramètres », carte « Délégation de la "
                    "planification ».",
                    PLAN_HELP,
                ),
                (
                    "Rejoindre la téléconsultation",
                    "page « Téléconsultations », bouton « Rejoindre », ou le lien « Rejoindre » "
                    "ci-dessus ; votre patient utilise le lien reçu par e-mail ou SMS.",
                    PATIENT_HELP,
                ),
            ]
        )
    )


def _documents(t: Teleexpertise) -> str:
    names = [f"{d.name} ({d.type_label})" if d.type_label else d.name for d in t.documents]
    if t.status == "closed" and t.report:
        names.append("Compte rendu de télémédecine")
    return " ; ".join(names) or "—"


def teleexpertises_html(expertises: list[Teleexpertise]) -> str:
    rows = [
        (
            f"{t.created_at:%d/%m/%Y}",
            t.patient.name,
            t.requester.name,
            t.expert.name,
            TE_STATUSES[t.status],
            _documents(t),
        )
        for t in expertises
    ]
    listed = (
        table(("Date", "Patient", "Requérant", "Expert", "Statut", "Documents"), rows)
        if rows
        else "<p>Aucune téléexpertise demandée ni reçue.</p>"
    )
    return (
        "<h2>Téléexpertises</h2>"
        + listed
        + _actions(
            [
                (
                    "Solliciter un expert",
                    "« Annuaire », filtre « Experts seulement », puis le bouton « Demander une "
                    "téléexpertise » (patient, question, documents joints).",
                    ASK_HELP,
                ),
                (
                    "Répondre, clôturer avec un compte rendu",
                    "page « Téléexpertise », choisissez la demande, puis « Répondre » ou "
                    "« Clôturer » : le compte rendu est déposé dans le dossier du patient.",
                    DIFFERENCE_HELP,
                ),
                (
                    "Se déclarer comme télé-expert",
                    "page « Téléexpertise », bouton « Se déclarer comme télé-expert » "
                    "(ou « Modifier mes préférences d'expert »).",
                    EXPERT_HELP,
                ),
                (
                    "Se déclarer comme équipe ressource",
                    "page « Équipes ressources » : activité, prérequis pour les demandeurs, "
                    "modèles de documents.",
                    TEAM_HELP,
                ),
            ]
        )
        + f"<p>{link(PORTAL_PATH + '/telemedecine/expert', 'Mes préférences d’expert')}</p>"
    )


@router.get("/telemedecine", response_model=None)
def telemedecine(request: Request, sandbox: SandboxDep) -> Response:
    viewer = _guarded(request, sandbox)
    if isinstance(viewer, Response):
        return viewer
    base = str(request.base_url).rstrip("/")
    consultations = sandbox.regional.teleconsultations.mine(viewer, base, None, None, None)
    expertises = sandbox.regional.expertise.mine(viewer, None)
    body = (
        who(viewer.display_name)
        + "<p>Vos téléconsultations et téléexpertises. Elles se planifient, se demandent et se "
        "traitent dans MonSisra bureau : chaque action ci-dessous dit où.</p>"
        + teleconsultations_html(consultations)
        + teleexpertises_html(expertises)
    )
    return HTMLResponse(page("Portail régional de télémédecine", body))


__all__ = ["QUESTIONS", "router", "teleconsultations_html", "teleexpertises_html"]
