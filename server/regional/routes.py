"""HTTP routes of the regional API (DESIGN §2.4), under /regional/v1, and its OpenAPI document.

Handlers are plain `def` (SQLite work runs in FastAPI's thread pool). Every route needs a caller
and answers with that caller's data only; another user's ids get the same 404 as unknown ones.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from server.accounts import Account
from server.context import Sandbox, get_sandbox
from server.regional.access_log import PAGE_DEFAULT, PAGE_MAX, follow_reasons
from server.regional.errors import RegionalError, RegionalRoute, bad_request
from server.regional.models import (
    AccessLog,
    AnswerRequest,
    CancelRequest,
    CareTeam,
    CloseRequest,
    Delegate,
    DelegateAdd,
    DelegateList,
    ErrorBody,
    ExpertProfile,
    ExpertProfileUpdate,
    FavoriteChanges,
    FavoriteList,
    FollowReasonList,
    FollowRequest,
    InvitationList,
    Patient,
    PatientCreate,
    PatientDocumentList,
    PatientList,
    PatientMatches,
    PortalCode,
    PortalCodeRequest,
    Quota,
    ResourceTeam,
    ResourceTeamCreate,
    ResourceTeamList,
    ResourceTeamUpdate,
    TeamLimits,
    Teleconsultation,
    TeleconsultationCreate,
    TeleconsultationList,
    TeleconsultationUpdate,
    Teleexpertise,
    TeleexpertiseCreate,
    TeleexpertiseList,
    Template,
)
from server.regional.portal_codes import CODE_LIFETIME
from server.regional.teams import TemplateFile
from server.regional.validation import normalize_ins
from server.urls import AUTH_REVOKE_PATH, AUTH_TOKEN_PATH, PORTAL_PATH, REGIONAL_API_PATH

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Requête invalide."},
    401: {"model": ErrorBody, "description": "Authentification requise."},
    404: {"model": ErrorBody, "description": "Introuvable (ou pas à moi)."},
}

SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]
Id = Annotated[str, Query(max_length=64)]


def _authenticate(request: Request, sandbox: SandboxDep) -> None:
    """A router dependency: it runs before the body is validated, so an anonymous caller gets a
    401 and learns nothing about the shape of the request."""
    request.state.account = sandbox.auth.required(request)


router = APIRouter(
    prefix=REGIONAL_API_PATH,
    route_class=RegionalRoute,
    responses=_ERRORS,
    dependencies=[Depends(_authenticate)],
)


def _caller(request: Request, sandbox: Sandbox) -> Account:
    account: Account = request.state.account
    return account


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# --- Patients -------------------------------------------------------------------------------------


@router.get(
    "/patients",
    response_model=PatientMatches,
    summary="Chercher un patient dans l'annuaire patient",
    description=(
        "Il faut le nom de naissance ou d'usage (entier ; casse, accents, espaces et tirets "
        "indifférents) avec la date de naissance, un prénom pouvant préciser (par son début), "
        "ou bien l'INS. Sinon : 400 `search_too_broad`. 20 résultats au plus, identité "
        "seulement ; chaque patient montré l'est dans son journal des accès. Quelques "
        "recherches par minute et par compte ; au-delà : 429 avec Retry-After."
    ),
    responses={429: {"model": ErrorBody, "description": "Trop de recherches : patientez."}},
)
def search_patients(
    request: Request,
    sandbox: SandboxDep,
    family: Annotated[
        str | None, Query(max_length=100, description="Nom de naissance ou d'usage, entier.")
    ] = None,
    birth_date: Annotated[
        str | None, Query(alias="birthDate", max_length=20, description="AAAA-MM-JJ.")
    ] = None,
    given: Annotated[
        str | None, Query(max_length=100, description="Prénom, ou son début (facultatif).")
    ] = None,
    ins: Annotated[str | None, Query(max_length=80, description="INS (15 caractères).")] = None,
) -> PatientMatches:
    caller = _caller(request, sandbox)
    return sandbox.regional.patients.search(caller, family, birth_date, ins, given)


@router.post(
    "/patients",
    response_model=Patient,
    status_code=201,
    summary="Créer un dossier patient (et le suivre, avec un motif)",
    responses={409: {"model": ErrorBody, "description": "INS déjà connu."}},
)
def create_patient(request: Request, sandbox: SandboxDep, body: PatientCreate) -> Patient:
    caller = _caller(request, sandbox)
    return sandbox.regional.patients.create(caller, body)


@router.get(
    "/patients/{patient_id}",
    response_model=Patient,
    summary="Un dossier patient",
    description="L'identité pour tous ; les coordonnées pour qui suit le patient. Journalisé.",
)
def get_patient(request: Request, sandbox: SandboxDep, patient_id: str) -> Patient:
    caller = _caller(request, sandbox)
    return sandbox.regional.patients.get(caller, patient_id)


@router.get(
    "/patients/{patient_id}/care-team",
    response_model=CareTeam,
    summary="Les acteurs du dossier",
    description="Pour qui suit le patient. Journalisé.",
    responses={403: {"model": ErrorBody, "description": "Patient hors de ma file active."}},
)
def care_team(request: Request, sandbox: SandboxDep, patient_id: str) -> CareTeam:
    caller = _caller(request, sandbox)
    return sandbox.regional.patients.care_team(caller, patient_id)


@router.get(
    "/patients/{patient_id}/access-log",
    response_model=AccessLog,
    summary="Le journal des accès au dossier",
    description=(
        "Qui a vu le patient, quand, comment, et pourquoi il le suit ; du plus récent au plus "
        "ancien. Pour qui suit le patient ; pour les autres, 404 comme un patient inconnu."
    ),
)
def patient_access_log(
    request: Request,
    sandbox: SandboxDep,
    patient_id: str,
    cursor: Annotated[
        str | None, Query(max_length=40, description="nextCursor de la page précédente.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX, description="Entrées par page.")] = (
        PAGE_DEFAULT
    ),
) -> AccessLog:
    caller = _caller(request, sandbox)
    return sandbox.regional.patients.access_log(caller, patient_id, cursor, limit)


@router.get("/file-active", response_model=PatientList, summary="Ma file active")
def file_active(request: Request, sandbox: SandboxDep) -> PatientList:
    caller = _caller(request, sandbox)
    return PatientList(patients=sandbox.regional.patients.file_active(caller))


@router.get(
    "/follow-reasons", response_model=FollowReasonList, summary="Les motifs de suivi d'un patient"
)
def list_follow_reasons(request: Request, sandbox: SandboxDep) -> FollowReasonList:
    _caller(request, sandbox)
    return FollowReasonList(reasons=follow_reasons())


@router.put(
    "/file-active/{patient_id}",
    response_model=Patient,
    summary="Suivre un patient, pour un motif",
    description="Le motif (GET /follow-reasons) est obligatoire : qui, quand et pourquoi vont au "
    "journal des accès du patient.",
)
def follow_patient(
    request: Request, sandbox: SandboxDep, patient_id: str, body: FollowRequest | None = None
) -> Patient:
    caller = _caller(request, sandbox)
    return sandbox.regional.patients.follow(caller, patient_id, body.reason if body else None)


@router.delete(
    "/file-active/{patient_id}", status_code=204, summary="Retirer un patient de ma file active"
)
def unfollow_patient(request: Request, sandbox: SandboxDep, patient_id: str) -> Response:
    caller = _caller(request, sandbox)
    sandbox.regional.patients.unfollow(caller, patient_id)
    return Response(status_code=204)


# --- Teleconsultations ----------------------------------------------------------------------------


@router.get(
    "/teleconsultations", response_model=TeleconsultationList, summary="Mes téléconsultations"
)
def list_teleconsultations(
    request: Request,
    sandbox: SandboxDep,
    start_from: Annotated[
        str | None, Query(alias="from", max_length=20, description="Depuis ce jour (AAAA-MM-JJ).")
    ] = None,
    start_to: Annotated[
        str | None, Query(alias="to", max_length=20, description="Jusqu'à ce jour inclus.")
    ] = None,
    status: Annotated[
        Literal["planned", "done", "cancelled"] | None, Query(description="Statut.")
    ] = None,
) -> TeleconsultationList:
    caller = _caller(request, sandbox)
    found = sandbox.regional.teleconsultations.mine(
        caller, _base(request), start_from, start_to, status
    )
    return TeleconsultationList(teleconsultations=found)


@router.post(
    "/teleconsultations",
    response_model=Teleconsultation,
    status_code=201,
    summary="Planifier une téléconsultation",
    description=(
        "En mon nom, ou au nom d'un professionnel qui m'a délégué la planification "
        "(GET /delegators) ; sinon : 403 `not_delegated`."
    ),
    responses={
        403: {"model": ErrorBody, "description": "Planification non déléguée."},
        409: {"model": ErrorBody, "description": "Le téléconsultant est déjà pris (overlapping)."},
    },
)
def plan_teleconsultation(
    request: Request, sandbox: SandboxDep, body: TeleconsultationCreate
) -> Teleconsultation:
    caller = _caller(request, sandbox)
    return sandbox.regional.teleconsultations.plan(caller, body, _base(request))


@router.get(
    "/teleconsultations/{teleconsultation_id}",
    response_model=Teleconsultation,
    summary="Une téléconsultation",
)
def get_teleconsultation(
    request: Request, sandbox: SandboxDep, teleconsultation_id: str
) -> Teleconsultation:
    caller = _caller(request, sandbox)
    return sandbox.regional.teleconsultations.get(caller, teleconsultation_id, _base(request))


@router.post(
    "/teleconsultations/{teleconsultation_id}/cancel",
    response_model=Teleconsultation,
    summary="Annuler une téléconsultation",
    responses={
        403: {"model": ErrorBody, "description": "Je ne fais que participer, ou plus délégué."},
        409: {"model": ErrorBody, "description": "Déjà annulée ou passée."},
    },
)
def cancel_teleconsultation(
    request: Request, sandbox: SandboxDep, teleconsultation_id: str, body: CancelRequest
) -> Teleconsultation:
    caller = _caller(request, sandbox)
    return sandbox.regional.teleconsultations.cancel(
        caller, teleconsultation_id, body.reason, _base(request)
    )


@router.patch(
    "/teleconsultations/{teleconsultation_id}",
    response_model=Teleconsultation,
    summary="Modifier une téléconsultation",
    responses={
        400: {"model": ErrorBody, "description": "Données invalides."},
        403: {"model": ErrorBody, "description": "Je ne fais que participer, ou plus délégué."},
        409: {
            "model": ErrorBody,
            "description": "Annulée ou passée, ou le téléconsultant déjà pris (overlapping).",
        },
    },
)
def edit_teleconsultation(
    request: Request, sandbox: SandboxDep, teleconsultation_id: str, body: TeleconsultationUpdate
) -> Teleconsultation:
    caller = _caller(request, sandbox)
    return sandbox.regional.teleconsultations.edit(
        caller, teleconsultation_id, body, _base(request)
    )


@router.get(
    "/sandbox/invitations",
    response_model=InvitationList,
    summary="Invitations envoyées (bac à sable)",
)
def invitations(request: Request, sandbox: SandboxDep) -> InvitationList:
    caller = _caller(request, sandbox)
    return InvitationList(invitations=sandbox.regional.teleconsultations.invitations(caller))


# --- Délégation de la planification --------------------------------------------------------------


@router.get(
    "/delegates",
    response_model=DelegateList,
    summary="Qui peut planifier mes téléconsultations",
)
def list_delegates(request: Request, sandbox: SandboxDep) -> DelegateList:
    caller = _caller(request, sandbox)
    return DelegateList(delegates=sandbox.regional.delegations.delegates(caller))


@router.post(
    "/delegates",
    response_model=Delegate,
    status_code=201,
    summary="Permettre à quelqu'un de planifier mes téléconsultations",
    description=(
        "La personne est désignée par son identifiant annuaire ou son adresse MSSanté ; elle "
        "pourra planifier, modifier et annuler des téléconsultations en mon nom."
    ),
)
def add_delegate(request: Request, sandbox: SandboxDep, body: DelegateAdd) -> Delegate:
    caller = _caller(request, sandbox)
    return sandbox.regional.delegations.add(caller, body)


@router.delete(
    "/delegates/{account_id}",
    status_code=204,
    summary="Retirer à quelqu'un la planification de mes téléconsultations",
)
def remove_delegate(request: Request, sandbox: SandboxDep, account_id: str) -> Response:
    caller = _caller(request, sandbox)
    sandbox.regional.delegations.remove(caller, account_id)
    return Response(status_code=204)


@router.get(
    "/delegators",
    response_model=DelegateList,
    summary="Pour qui je peux planifier",
    description="Les professionnels qui m'ont délégué la planification (« au nom de »).",
)
def list_delegators(request: Request, sandbox: SandboxDep) -> DelegateList:
    caller = _caller(request, sandbox)
    return DelegateList(delegates=sandbox.regional.delegations.delegators(caller))


# --- Téléexpertise --------------------------------------------------------------------------------


@router.get("/expert-profile", response_model=ExpertProfile, summary="Mes préférences d'expert")
def get_expert_profile(request: Request, sandbox: SandboxDep) -> ExpertProfile:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.profile(caller)


@router.put("/expert-profile", response_model=ExpertProfile, summary="Me déclarer téléexpert")
def put_expert_profile(
    request: Request, sandbox: SandboxDep, body: ExpertProfileUpdate
) -> ExpertProfile:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.declare(caller, body)


@router.delete("/expert-profile", response_model=ExpertProfile, summary="Ne plus être télé-expert")
def delete_expert_profile(request: Request, sandbox: SandboxDep) -> ExpertProfile:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.withdraw(caller)


@router.get(
    "/experts/profile",
    response_model=ExpertProfile,
    summary="Les préférences d'un expert de l'annuaire (documents prérequis, délai)",
)
def listed_expert_profile(
    request: Request,
    sandbox: SandboxDep,
    practitioner_id: Annotated[str | None, Query(alias="practitionerId", max_length=64)] = None,
    address: Annotated[str | None, Query(max_length=254)] = None,
) -> ExpertProfile:
    _caller(request, sandbox)
    if not practitioner_id and not address:
        raise bad_request("Choisissez l'expert (identifiant annuaire ou adresse MSSanté).")
    return sandbox.regional.expertise.listed_profile(practitioner_id, address)


@router.get(
    "/teleexpertises/quota",
    response_model=Quota,
    summary="Téléexpertises facturables restantes pour un patient cette année",
)
def teleexpertise_quota(
    request: Request,
    sandbox: SandboxDep,
    patient_id: Annotated[str, Query(alias="patientId", max_length=64)],
    year: Annotated[
        int | None,
        Query(ge=2000, le=2100, description="Année civile (par défaut : l'année en cours)."),
    ] = None,
) -> Quota:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.quota(caller, patient_id, year)


@router.get("/teleexpertises", response_model=TeleexpertiseList, summary="Mes téléexpertises")
def list_teleexpertises(
    request: Request,
    sandbox: SandboxDep,
    status: Annotated[
        Literal["requested", "answered", "closed"] | None, Query(description="Statut.")
    ] = None,
) -> TeleexpertiseList:
    caller = _caller(request, sandbox)
    return TeleexpertiseList(teleexpertises=sandbox.regional.expertise.mine(caller, status))


@router.post(
    "/teleexpertises",
    response_model=Teleexpertise,
    status_code=201,
    summary="Demander une téléexpertise",
    responses={409: {"model": ErrorBody, "description": "Limite de 4 par patient et par an."}},
)
def request_teleexpertise(
    request: Request, sandbox: SandboxDep, body: TeleexpertiseCreate
) -> Teleexpertise:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.request(caller, body)


@router.get(
    "/teleexpertises/{teleexpertise_id}", response_model=Teleexpertise, summary="Une téléexpertise"
)
def get_teleexpertise(
    request: Request, sandbox: SandboxDep, teleexpertise_id: str
) -> Teleexpertise:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.get(caller, teleexpertise_id)


_TRANSITION_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Pas le bon rôle."},
    409: {"model": ErrorBody, "description": "Statut incompatible."},
}


@router.post(
    "/teleexpertises/{teleexpertise_id}/answer",
    response_model=Teleexpertise,
    summary="Répondre (expert)",
    responses=_TRANSITION_ERRORS,
)
def answer_teleexpertise(
    request: Request, sandbox: SandboxDep, teleexpertise_id: str, body: AnswerRequest
) -> Teleexpertise:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.answer(caller, teleexpertise_id, body.answer)


@router.post(
    "/teleexpertises/{teleexpertise_id}/close",
    response_model=Teleexpertise,
    summary="Clôturer avec un compte rendu",
    responses=_TRANSITION_ERRORS,
)
def close_teleexpertise(
    request: Request, sandbox: SandboxDep, teleexpertise_id: str, body: CloseRequest
) -> Teleexpertise:
    caller = _caller(request, sandbox)
    return sandbox.regional.expertise.close(caller, teleexpertise_id, body.report)


# --- Équipes ressources ---------------------------------------------------------------------------


@router.post(
    "/resource-teams",
    response_model=ResourceTeam,
    status_code=201,
    summary="Déclarer une équipe ressource",
)
def declare_team(request: Request, sandbox: SandboxDep, body: ResourceTeamCreate) -> ResourceTeam:
    caller = _caller(request, sandbox)
    return sandbox.regional.teams.declare(caller, body, _base(request))


@router.get("/resource-teams", response_model=ResourceTeamList, summary="Les équipes ressources")
def list_teams(
    request: Request,
    sandbox: SandboxDep,
    q: Annotated[str | None, Query(max_length=200, description="Texte recherché.")] = None,
    mine: Annotated[
        bool, Query(description="Mes équipes : déclarées par moi, ou dont je suis membre.")
    ] = False,
) -> ResourceTeamList:
    caller = _caller(request, sandbox)
    teams = sandbox.regional.teams
    if mine:
        return ResourceTeamList(resource_teams=teams.mine(caller, _base(request)))
    return ResourceTeamList(resource_teams=teams.search(q, _base(request)))


@router.get("/resource-teams/{team_id}", response_model=ResourceTeam, summary="Une équipe")
def get_team(request: Request, sandbox: SandboxDep, team_id: str) -> ResourceTeam:
    _caller(request, sandbox)
    return sandbox.regional.teams.get(team_id, _base(request))


@router.post(
    "/resource-teams/{team_id}/templates",
    response_model=Template,
    status_code=201,
    summary="Téléverser un modèle de document",
    responses={
        403: {"model": ErrorBody, "description": "Pas le déclarant de l'équipe."},
        413: {"model": ErrorBody, "description": "Fichier trop gros."},
    },
)
def upload_template(
    request: Request,
    sandbox: SandboxDep,
    team_id: str,
    file: Annotated[UploadFile, File(description="Le modèle de document.")],
) -> Template:
    caller = _caller(request, sandbox)
    teams = sandbox.regional.teams
    limit = teams.template_limit()
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise RegionalError(
            413,
            "too_large",
            f"Le modèle dépasse la taille maximale de {limit // (1024 * 1024)} Mo.",
        )
    upload = TemplateFile(
        file_name=file.filename or "document",
        content_type=file.content_type or "application/octet-stream",
        data=data,
    )
    return teams.add_template(caller, team_id, upload, _base(request))


@router.get(
    "/resource-teams/{team_id}/templates/{template_id}",
    summary="Télécharger un modèle de document",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "Le fichier."}},
)
def download_template(
    request: Request, sandbox: SandboxDep, team_id: str, template_id: str
) -> Response:
    _caller(request, sandbox)
    found = sandbox.regional.teams.template_file(team_id, template_id)
    return Response(
        content=found.data,
        media_type=found.content_type,
        headers={"Content-Disposition": content_disposition(found.file_name)},
    )


def content_disposition(file_name: str, disposition: str = "attachment") -> str:
    """RFC 6266: an ASCII fallback for old clients, and the exact name in filename* (RFC 8187)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in file_name
    )
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


# --- Portail --------------------------------------------------------------------------------------


@router.post(
    "/portal-codes",
    response_model=PortalCode,
    status_code=201,
    summary="Code à usage unique pour ouvrir le portail",
)
def portal_code(
    request: Request, sandbox: SandboxDep, body: PortalCodeRequest | None = None
) -> PortalCode:
    caller = _caller(request, sandbox)
    wanted = body or PortalCodeRequest()
    path = {
        "mespatients": "/mespatients",
        "telemedecine": "/telemedecine",
        "expert": "/telemedecine/expert",
    }[wanted.page]
    if wanted.ins:
        ins = normalize_ins(wanted.ins)
        if ins is None:
            raise bad_request("INS invalide.", "invalid_ins")
        path = f"/mespatients/patients/{ins}"
    code = sandbox.regional.portal.issue(caller, path)
    return PortalCode(
        code=code,
        expires_in=CODE_LIFETIME,
        url=f"{_base(request)}{PORTAL_PATH}{path}?code={code}",
    )


# --- OpenAPI --------------------------------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    routes = [r for r in router.routes if isinstance(r, APIRoute)]
    document = get_openapi(
        title="MonSisra — API régionale (bac à sable)",
        version="1.0",
        description=(
            "Services régionaux : annuaire patient (accès selon le besoin d'en connaître, "
            "journal des accès), file active, acteurs du dossier, téléconsultations, "
            "téléexpertise, équipes ressources. Authentification : jeton "
            f"Bearer obtenu sur {AUTH_TOKEN_PATH} (formulaire grant_type=password ou "
            "refresh_token ; chaque renouvellement donne un nouveau jeton de rafraîchissement "
            "et retire l'ancien, dont la réutilisation révoque toute la lignée), révocable sur "
            f"{AUTH_REVOKE_PATH} (RFC 7009, champ token), ou HTTP Basic. Après des échecs de "
            "connexion, 429 et Retry-After."
        ),
        routes=routes,
    )
    document.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "basic": {"type": "http", "scheme": "basic"},
        "oauth2": {
            "type": "oauth2",
            "flows": {
                "password": {
                    "tokenUrl": AUTH_TOKEN_PATH,
                    "refreshUrl": AUTH_TOKEN_PATH,
                    "scopes": {},
                }
            },
        },
    }
    document["security"] = [{"bearer": []}, {"oauth2": []}, {"basic": []}]
    return document


_OPENAPI: dict[str, Any] = {}

# Outside `router`, whose dependency asks every caller who they are.
public_router = APIRouter(prefix=REGIONAL_API_PATH)


@public_router.get("/openapi.json", include_in_schema=False, name="openapi")
def openapi() -> JSONResponse:
    """Public, like any OpenAPI document: it describes the API, not anyone's data."""
    if not _OPENAPI:
        _OPENAPI.update(openapi_document())
    return JSONResponse(_OPENAPI)


# --- Issue 13 §3: documents filed in a patient's record ------------------------------------------


@router.get(
    "/patients/{patient_id}/documents",
    response_model=PatientDocumentList,
    summary="Les documents déposés dans le dossier du patient",
    description=(
        "Du plus récent au plus ancien (le compte rendu d'une téléexpertise clôturée…). Pour qui "
        "suit le patient ou fait partie des acteurs du dossier. Journalisé."
    ),
    responses={403: {"model": ErrorBody, "description": "Pas d'accès à ce dossier."}},
)
def patient_documents(
    request: Request, sandbox: SandboxDep, patient_id: str
) -> PatientDocumentList:
    caller = _caller(request, sandbox)
    documents = sandbox.regional.documents.listing(caller, patient_id)
    return PatientDocumentList(patient_id=patient_id, documents=documents)


@router.get(
    "/patients/{patient_id}/documents/{document_id}",
    summary="Télécharger un document du dossier du patient",
    description="Pour qui suit le patient ou fait partie des acteurs du dossier. Journalisé.",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "Le fichier."},
        403: {"model": ErrorBody, "description": "Pas d'accès à ce dossier."},
    },
)
def patient_document(
    request: Request, sandbox: SandboxDep, patient_id: str, document_id: str
) -> Response:
    caller = _caller(request, sandbox)
    found = sandbox.regional.documents.content(caller, patient_id, document_id)
    return Response(
        content=found.data,
        media_type=found.content_type,
        headers={"Content-Disposition": content_disposition(found.file_name)},
    )


# --- Issue 13 §4: équipes ressources edited, withdrawn, left; templates deleted; limits --------

_DECLARANT_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Pas le déclarant de l'équipe."}
}


@router.get(
    "/resource-team-limits",
    response_model=TeamLimits,
    summary="Limites des équipes : taille et nombre des modèles, nombre de membres",
)
def team_limits(request: Request, sandbox: SandboxDep) -> TeamLimits:
    _caller(request, sandbox)
    return sandbox.regional.teams.limits()


@router.patch(
    "/resource-teams/{team_id}",
    response_model=ResourceTeam,
    summary="Modifier une équipe ressource (son déclarant)",
    responses=_DECLARANT_ONLY,
)
def update_team(
    request: Request, sandbox: SandboxDep, team_id: str, body: ResourceTeamUpdate
) -> ResourceTeam:
    caller = _caller(request, sandbox)
    return sandbox.regional.teams.update(caller, team_id, body, _base(request))


@router.delete(
    "/resource-teams/{team_id}",
    status_code=204,
    summary="Retirer une équipe ressource (son déclarant)",
    responses=_DECLARANT_ONLY,
)
def withdraw_team(request: Request, sandbox: SandboxDep, team_id: str) -> Response:
    caller = _caller(request, sandbox)
    sandbox.regional.teams.withdraw(caller, team_id)
    return Response(status_code=204)


@router.delete(
    "/resource-teams/{team_id}/membership",
    status_code=204,
    summary="Quitter une équipe dont je suis membre",
)
def leave_team(request: Request, sandbox: SandboxDep, team_id: str) -> Response:
    caller = _caller(request, sandbox)
    sandbox.regional.teams.leave(caller, team_id)
    return Response(status_code=204)


@router.delete(
    "/resource-teams/{team_id}/templates/{template_id}",
    status_code=204,
    summary="Supprimer un modèle de document (le déclarant de l'équipe)",
    responses=_DECLARANT_ONLY,
)
def delete_template(
    request: Request, sandbox: SandboxDep, team_id: str, template_id: str
) -> Response:
    caller = _caller(request, sandbox)
    sandbox.regional.teams.delete_template(caller, team_id, template_id)
    return Response(status_code=204)


# --- Favoris (issue 13 §5) ------------------------------------------------------------------------


@router.get(
    "/favorites",
    response_model=FavoriteList,
    summary="Mes favoris",
    description="Mes favoris, et les traces de ceux que j'ai retirés (`removed`).",
)
def list_favorites(request: Request, sandbox: SandboxDep) -> FavoriteList:
    caller = _caller(request, sandbox)
    return FavoriteList(favorites=sandbox.regional.favorites.mine(caller))


@router.post(
    "/favorites",
    response_model=FavoriteList,
    summary="Envoyer les changements de favoris d'un poste",
    description=(
        "Les ajouts et retraits faits sur un poste depuis son dernier envoi. Par adresse, le "
        "changement le plus récent (`changedAt`) l'emporte ; un retrait reste comme trace pour "
        "les autres postes. Réponse : tous mes favoris, comme GET."
    ),
)
def merge_favorites(request: Request, sandbox: SandboxDep, body: FavoriteChanges) -> FavoriteList:
    caller = _caller(request, sandbox)
    return FavoriteList(favorites=sandbox.regional.favorites.merge(caller, body.changes))
