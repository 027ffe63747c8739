"""The regional API's wire shapes (DESIGN §2.4): camelCase JSON, described in French for the
OpenAPI document the server publishes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

Sex = Literal["female", "male", "other", "unknown"]
Channel = Literal["email", "sms"]
TeleconsultationStatus = Literal["planned", "done", "cancelled"]
ParticipantRole = Literal["teleconsultant", "planner", "patient", "participant"]
TeleexpertiseStatus = Literal["requested", "answered", "closed"]
# Why a professional follows a patient (issue 9 §8): the reasons of French practice for joining a
# patient's care team, recorded in the patient's access journal. Labels: server/regional/access_log.
FollowReasonCode = Literal["prise_en_charge", "avis", "soins_coordonnes", "remplacement", "urgence"]
# What an entry of the access journal records.
AccessAction = Literal[
    "search",
    "read",
    "care_team",
    "portal",
    "follow",
    "unfollow",
    "create",
    # Issue 13 §3: a document filed in the record, the record's documents listed, one downloaded.
    "filed",
    "documents",
    "document",
]
InsOid = Literal[
    "1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"
]


class Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ErrorBody(Wire):
    error: str = Field(description="Code de l'erreur, stable, pour les programmes.")
    message: str = Field(description="Phrase en français à montrer à l'utilisateur.")


# --- Patients -----------------------------------------------------------------------------------


class Patient(Wire):
    """A patient of the regional directory. Its identity (names, birth date, sex, INS) is what
    any professional may see to match a patient; e-mail, mobile and commune only the
    professionals who follow the patient see (null, or empty for the commune, otherwise)."""

    id: str = Field(description="Identifiant du dossier patient dans l'annuaire régional.")
    ins: str | None = Field(description="INS (NIR de 13 caractères + clé de 2 chiffres).")
    ins_oid: str | None = Field(description="OID de l'INS (1.2.250.1.213.1.4.10/.11 : tests).")
    ins_ihe: str | None = Field(description="Identifiant écrit à la manière IHE : INS^^^&OID&ISO.")
    given: str = Field(description="Prénom.")
    family: str = Field(description="Nom de naissance.")
    usual_family: str | None = Field(description="Nom d'usage, s'il est connu.")
    birth_date: dt.date = Field(description="Date de naissance.")
    sex: Sex = Field(description="Sexe.")
    email: str | None = Field(
        description="Adresse e-mail du patient ; seulement pour qui suit ce patient, sinon null."
    )
    mobile: str | None = Field(
        description="Téléphone mobile (+33…) ; seulement pour qui suit ce patient, sinon null."
    )
    city: str = Field(
        description="Commune de résidence ; seulement pour qui suit ce patient, sinon vide."
    )
    in_file_active: bool = Field(description="Le patient est dans ma file active.")


class PatientList(Wire):
    patients: list[Patient] = Field(description="Les patients de ma file active.")


class PatientMatches(Wire):
    patients: list[Patient] = Field(
        description="Les patients trouvés (20 au plus), identité seulement : ni e-mail, ni "
        "mobile, ni commune, même pour ceux que je suis."
    )
    truncated: bool = Field(
        description="D'autres patients correspondent : précisez la recherche (prénom, INS)."
    )


class PatientCreate(Wire):
    given: str = Field(min_length=1, max_length=100, description="Prénom.")
    family: str = Field(min_length=1, max_length=100, description="Nom de naissance.")
    usual_family: str | None = Field(
        default=None, max_length=100, description="Nom d'usage, s'il diffère."
    )
    birth_date: dt.date = Field(description="Date de naissance (pas dans le futur).")
    sex: Sex = Field(default="unknown", description="Sexe.")
    ins: str | None = Field(
        default=None, max_length=20, description="INS : NIR + clé, 15 caractères."
    )
    ins_oid: InsOid | None = Field(
        default=None, description="OID de l'INS ; par défaut l'OID de test."
    )
    email: str | None = Field(
        default=None, max_length=254, description="Adresse e-mail du patient."
    )
    mobile: str | None = Field(default=None, max_length=30, description="Mobile (06…, 07…, +33…).")
    city: str = Field(default="", max_length=100, description="Commune de résidence.")
    follow_reason: str | None = Field(
        default=None,
        max_length=64,
        description="Obligatoire : le motif pour lequel je suis ce patient (un code de "
        "GET /follow-reasons) ; le créateur du dossier le suit.",
    )


class FollowRequest(Wire):
    reason: str | None = Field(
        default=None,
        max_length=64,
        description="Obligatoire : le motif du suivi, un code de GET /follow-reasons.",
    )


class FollowReason(Wire):
    code: FollowReasonCode = Field(description="Code du motif, à envoyer.")
    label: str = Field(description="Libellé à montrer.")


class FollowReasonList(Wire):
    reasons: list[FollowReason] = Field(description="Les motifs de suivi, dans l'ordre à montrer.")


class AccessActor(Wire):
    name: str = Field(description="Nom affiché du professionnel.")
    mssante_address: str | None = Field(description="Son adresse MSSanté.")
    profession: str | None = Field(description="Sa profession, d'après l'annuaire.")
    specialty: str | None = Field(description="Sa spécialité, d'après l'annuaire.")


class AccessLogEntry(Wire):
    at: dt.datetime = Field(description="Quand.")
    action: AccessAction = Field(
        description="Ce qui a été fait : search (trouvé par une recherche), read (dossier "
        "consulté), care_team (acteurs du dossier consultés), portal (dossier ouvert sur le "
        "portail), follow, unfollow (file active), create (dossier créé)."
    )
    actor: AccessActor = Field(description="Qui.")
    reason: FollowReasonCode | None = Field(description="Motif du suivi (follow, create).")
    reason_label: str | None = Field(description="Libellé du motif.")


class AccessLog(Wire):
    patient_id: str = Field(description="Le patient.")
    entries: list[AccessLogEntry] = Field(description="Les accès, du plus récent au plus ancien.")
    next_cursor: str | None = Field(
        description="À passer en paramètre cursor pour la page suivante ; null à la fin."
    )


class CareTeamMember(Wire):
    practitioner_id: str | None = Field(description="Identifiant du professionnel dans l'annuaire.")
    name: str = Field(description="Nom affiché du professionnel.")
    profession: str | None = Field(description="Profession (libellé TRE_G15).")
    profession_code: str | None = Field(description="Code de profession (TRE_G15).")
    specialty: str | None = Field(description="Spécialité (libellé TRE_R38).")
    specialty_code: str | None = Field(description="Code de spécialité (TRE_R38).")
    mssante_address: str | None = Field(description="Adresse de messagerie sécurisée MSSanté.")


class CareTeam(Wire):
    patient_id: str = Field(description="Le patient.")
    members: list[CareTeamMember] = Field(description="Les acteurs du dossier.")


# --- Teleconsultations --------------------------------------------------------------------------


class ParticipantIn(Wire):
    account_id: str | None = Field(
        default=None, max_length=64, description="Compte de la plateforme."
    )
    practitioner_id: str | None = Field(
        default=None, max_length=64, description="Professionnel de l'annuaire régional."
    )
    name: str | None = Field(default=None, max_length=200, description="Nom, en texte libre.")
    email: str | None = Field(
        default=None, max_length=254, description="Adresse e-mail pour l'invitation."
    )
    mobile: str | None = Field(
        default=None, max_length=30, description="Mobile pour l'invitation par SMS."
    )


class Payment(Wire):
    amount: float = Field(gt=0, le=1000, description="Montant demandé en euros.")
    currency: Literal["EUR"] = Field(default="EUR", description="Devise.")


class TeleconsultationCreate(Wire):
    teleconsultant_account_id: str | None = Field(
        default=None, max_length=64, description="Le téléconsultant (compte) ; par défaut, moi."
    )
    teleconsultant_practitioner_id: str | None = Field(
        default=None, max_length=64, description="Le téléconsultant (identifiant annuaire)."
    )
    start: dt.datetime = Field(description="Début (ISO 8601 ; sans fuseau : heure de Paris).")
    duration_minutes: int | None = Field(
        default=None, ge=5, le=480, description="Durée en minutes."
    )
    end: dt.datetime | None = Field(default=None, description="Fin, à la place de la durée.")
    online_payment: Payment | None = Field(
        default=None, description="Demande de paiement en ligne."
    )
    patient_id: str | None = Field(
        default=None, max_length=64, description="Patient de l'annuaire."
    )
    patient_name: str | None = Field(
        default=None, max_length=200, description="Patient en texte libre."
    )
    patient_email: str | None = Field(
        default=None, max_length=254, description="E-mail du patient."
    )
    patient_mobile: str | None = Field(
        default=None, max_length=30, description="Mobile du patient."
    )
    channels: list[Channel] = Field(
        min_length=1, max_length=2, description="Canaux d'invitation du patient : email, sms."
    )
    participants: list[ParticipantIn] = Field(
        default_factory=list, max_length=10, description="Autres participants."
    )
    motive: str = Field(default="", max_length=500, description="Motif de la téléconsultation.")


class Participant(Wire):
    role: ParticipantRole = Field(description="Rôle dans la téléconsultation.")
    name: str = Field(description="Nom affiché.")
    account_id: str | None = Field(description="Compte de la plateforme, s'il en a un.")
    practitioner_id: str | None = Field(description="Identifiant annuaire, s'il est connu.")
    patient_id: str | None = Field(description="Dossier patient (pour le patient).")
    email: str | None = Field(description="E-mail.")
    mobile: str | None = Field(description="Mobile.")
    join_url: str | None = Field(
        description="Lien de connexion : le mien, et celui du patient pour qui a planifié."
    )


PaymentStatus = Literal["pending", "paid"]


class TeleconsultationUpdate(Wire):
    """A change to a planned teleconsultation: only the fields given change; `onlinePayment`
    given as null withdraws the payment request, `participants` replaces the other participants."""

    start: dt.datetime | None = Field(
        default=None, description="Début (ISO 8601 ; sans fuseau : heure de Paris)."
    )
    duration_minutes: int | None = Field(
        default=None, ge=5, le=480, description="Durée en minutes."
    )
    end: dt.datetime | None = Field(default=None, description="Fin, à la place de la durée.")
    motive: str | None = Field(default=None, max_length=500, description="Motif.")
    online_payment: Payment | None = Field(
        default=None, description="Demande de paiement en ligne (null : aucune)."
    )
    patient_email: str | None = Field(
        default=None, max_length=254, description="E-mail du patient."
    )
    patient_mobile: str | None = Field(
        default=None, max_length=30, description="Mobile du patient."
    )
    channels: list[Channel] | None = Field(
        default=None, min_length=1, max_length=2, description="Canaux d'invitation du patient."
    )
    participants: list[ParticipantIn] | None = Field(
        default=None, max_length=10, description="Les autres participants (remplace la liste)."
    )


class Teleconsultation(Wire):
    id: str = Field(description="Identifiant.")
    status: TeleconsultationStatus = Field(description="planned, done ou cancelled.")
    start: dt.datetime = Field(description="Début.")
    end: dt.datetime = Field(description="Fin.")
    duration_minutes: int = Field(description="Durée en minutes.")
    motive: str = Field(description="Motif.")
    teleconsultant: Participant = Field(description="Le professionnel qui téléconsulte.")
    planner: Participant = Field(description="Qui a planifié (un secrétariat, par exemple).")
    patient: Participant = Field(description="Le patient.")
    participants: list[Participant] = Field(description="Les autres participants.")
    channels: list[Channel] = Field(description="Canaux d'invitation du patient.")
    online_payment: Payment | None = Field(description="Paiement en ligne demandé.")
    payment_status: PaymentStatus | None = Field(
        default=None, description="pending (en attente) ou paid (payé) ; null sans paiement."
    )
    sequence: int = Field(default=0, description="Nombre de modifications (SEQUENCE iCalendar).")
    join_url: str | None = Field(description="Mon lien de connexion.")
    cancel_reason: str | None = Field(description="Motif d'annulation.")
    created_at: dt.datetime = Field(description="Date de planification.")
    can_manage: bool = Field(
        description="Puis-je la modifier et l'annuler (téléconsultant, ou qui l'a planifiée "
        "tant que la délégation tient) ?"
    )


class TeleconsultationList(Wire):
    teleconsultations: list[Teleconsultation] = Field(description="Mes téléconsultations.")


class CancelRequest(Wire):
    reason: str = Field(min_length=1, max_length=500, description="Motif de l'annulation.")


class Invitation(Wire):
    id: str = Field(description="Identifiant.")
    teleconsultation_id: str = Field(description="La téléconsultation.")
    kind: Literal["invitation", "update", "cancellation"] = Field(
        description="Invitation, modification ou annulation."
    )
    channel: Channel = Field(description="email ou sms.")
    recipient: str = Field(description="Adresse e-mail ou numéro de mobile.")
    recipient_name: str = Field(description="Nom du destinataire.")
    subject: str | None = Field(description="Objet (e-mail).")
    text: str = Field(description="Texte envoyé.")
    sent_at: dt.datetime = Field(description="Date d'envoi.")


class InvitationList(Wire):
    invitations: list[Invitation] = Field(description="Invitations envoyées.")


# --- Delegation of planning ---------------------------------------------------------------------


class DelegateAdd(Wire):
    practitioner_id: str | None = Field(
        default=None, max_length=64, description="La personne, par son identifiant annuaire."
    )
    address: str | None = Field(
        default=None, max_length=254, description="La personne, par son adresse MSSanté."
    )


class Delegate(Wire):
    account_id: str = Field(description="Compte de la plateforme.")
    name: str = Field(description="Nom affiché.")
    mssante_address: str = Field(description="Adresse MSSanté.")
    practitioner_id: str | None = Field(description="Identifiant annuaire, s'il en a un.")
    since: dt.datetime = Field(description="Date de la délégation.")


class DelegateList(Wire):
    delegates: list[Delegate] = Field(description="Les personnes, de la plus ancienne délégation.")


# --- Téléexpertise ------------------------------------------------------------------------------


class ExpertProfile(Wire):
    declared: bool = Field(description="Je suis déclaré(e) téléexpert(e).")
    activity_description: str = Field(description="Description de mon activité d'expertise.")
    prerequisite_documents: list[str] = Field(description="Documents prérequis à la demande.")
    specialties: list[str] = Field(
        default_factory=list, description="Spécialités proposées (codes TRE_R38)."
    )
    response_delay_days: int | None = Field(
        default=None, description="Délai de réponse annoncé, en jours."
    )
    listed_in_directory: bool = Field(
        description="Apparaître dans l'annuaire régional des experts."
    )
    updated_at: dt.datetime | None = Field(description="Dernière modification.")


class ExpertProfileUpdate(Wire):
    activity_description: str = Field(max_length=4000, description="Description de l'activité.")
    prerequisite_documents: list[str] = Field(
        default_factory=list, max_length=20, description="Documents prérequis."
    )
    specialties: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}[0-9]{2}$")]] = Field(
        default_factory=list, max_length=10, description="Spécialités proposées (TRE_R38)."
    )
    response_delay_days: int | None = Field(
        default=None, ge=1, le=60, description="Délai de réponse annoncé, en jours."
    )
    listed_in_directory: bool = Field(description="Apparaître dans l'annuaire des experts.")


class TeleexpertiseDocument(Wire):
    blob_id: str = Field(max_length=200, description="Le document, déjà téléversé.")
    name: str = Field(min_length=1, max_length=255, description="Nom du fichier.")
    type_label: str | None = Field(
        default=None, max_length=200, description="Type de document (JDV_J07), en clair."
    )


class TeleexpertiseCreate(Wire):
    expert_practitioner_id: str | None = Field(
        default=None, max_length=64, description="L'expert, par son identifiant annuaire."
    )
    expert_address: str | None = Field(
        default=None, max_length=254, description="L'expert, par son adresse MSSanté."
    )
    patient_id: str = Field(max_length=64, description="Le patient (annuaire régional).")
    question: str = Field(min_length=1, max_length=10_000, description="La question posée.")
    blob_ids: list[str] = Field(
        default_factory=list, max_length=10, description="Pièces jointes déjà téléversées."
    )
    documents: list[TeleexpertiseDocument] = Field(
        default_factory=list, max_length=10, description="Documents joints, nommés et typés."
    )


class Party(Wire):
    account_id: str = Field(description="Compte.")
    name: str = Field(description="Nom affiché.")
    mssante_address: str = Field(description="Adresse MSSanté.")


class TeleexpertisePatient(Wire):
    id: str = Field(description="Dossier patient.")
    name: str = Field(description="Prénom et nom.")
    ins: str | None = Field(description="INS.")
    birth_date: dt.date = Field(description="Date de naissance.")


class Teleexpertise(Wire):
    id: str = Field(description="Identifiant.")
    status: TeleexpertiseStatus = Field(description="requested, answered puis closed.")
    requester: Party = Field(description="Le professionnel requérant.")
    expert: Party = Field(description="L'expert sollicité.")
    patient: TeleexpertisePatient = Field(description="Le patient.")
    question: str = Field(description="La question.")
    answer: str | None = Field(description="La réponse de l'expert.")
    report: str | None = Field(description="Le compte rendu de télémédecine.")
    report_type_code: str | None = Field(description="Type LOINC du compte rendu (85208-7).")
    report_blob_id: str | None = Field(description="Le compte rendu, en blob.")
    blob_ids: list[str] = Field(description="Pièces jointes de la demande.")
    documents: list[TeleexpertiseDocument] = Field(
        default_factory=list, description="Les documents joints, nommés et typés."
    )
    message_id: str = Field(description="Message-ID du message de demande.")
    thread_id: str | None = Field(description="Ma conversation JMAP liée à la demande.")
    year: int = Field(description="Année civile de la demande (règle des 4 par an).")
    created_at: dt.datetime = Field(description="Date de la demande.")
    answered_at: dt.datetime | None = Field(description="Date de la réponse.")
    closed_at: dt.datetime | None = Field(description="Date de clôture.")


class TeleexpertiseList(Wire):
    teleexpertises: list[Teleexpertise] = Field(description="Mes téléexpertises.")


class AnswerRequest(Wire):
    answer: str = Field(min_length=1, max_length=10_000, description="La réponse.")


class CloseRequest(Wire):
    report: str = Field(min_length=1, max_length=20_000, description="Le compte rendu.")


class Quota(Wire):
    patient_id: str = Field(description="Le patient.")
    year: int = Field(description="L'année civile.")
    limit: int = Field(description="Téléexpertises facturables par patient et par an.")
    used: int = Field(description="Déjà demandées cette année.")
    remaining: int = Field(description="Encore possibles cette année.")


# --- Équipes ressources -------------------------------------------------------------------------


class ResourceTeamCreate(Wire):
    name: str = Field(min_length=1, max_length=200, description="Nom de l'équipe.")
    activity_description: str = Field(max_length=4000, description="Description de l'activité.")
    prerequisites: str = Field(
        default="", max_length=4000, description="Prérequis pour les demandeurs."
    )
    contact_address: str = Field(max_length=254, description="Adresse MSSanté de contact.")
    members: list[Annotated[str, StringConstraints(max_length=254)]] = Field(
        default=[], max_length=50, description="Adresses MSSanté des membres de l'équipe."
    )


class ResourceTeamUpdate(Wire):
    """What changes (fields left out stay as they are); `members` replaces the whole list."""

    name: str | None = Field(default=None, max_length=200, description="Nom de l'équipe.")
    activity_description: str | None = Field(
        default=None, max_length=4000, description="Description de l'activité."
    )
    prerequisites: str | None = Field(
        default=None, max_length=4000, description="Prérequis pour les demandeurs."
    )
    contact_address: str | None = Field(
        default=None, max_length=254, description="Adresse MSSanté de contact."
    )
    members: list[Annotated[str, StringConstraints(max_length=254)]] | None = Field(
        default=None, max_length=50, description="Adresses MSSanté des membres (toute la liste)."
    )


class TeamMember(Wire):
    mssante_address: str = Field(description="Adresse MSSanté du membre.")
    name: str = Field(description="Nom du membre, tel que l'annuaire l'écrit.")
    practitioner_id: str | None = Field(default=None, description="Identifiant dans l'annuaire.")


class TeamLimits(Wire):
    """What the server accepts, for the app to say before an upload is refused."""

    max_template_bytes: int = Field(description="Taille maximale d'un modèle, en octets.")
    max_templates: int = Field(description="Nombre maximal de modèles par équipe.")
    max_members: int = Field(description="Nombre maximal de membres par équipe.")


class Template(Wire):
    id: str = Field(description="Identifiant du modèle.")
    file_name: str = Field(description="Nom du fichier.")
    content_type: str = Field(description="Type MIME.")
    size: int = Field(description="Taille en octets.")
    download_url: str = Field(description="Adresse de téléchargement.")


class ResourceTeam(Wire):
    id: str = Field(description="Identifiant.")
    name: str = Field(description="Nom de l'équipe.")
    activity_description: str = Field(description="Description de l'activité.")
    prerequisites: str = Field(description="Prérequis pour les demandeurs.")
    contact_address: str = Field(description="Adresse MSSanté de contact.")
    declared_by: str = Field(description="Qui a déclaré l'équipe.")
    declarant_address: str = Field(description="Adresse MSSanté du déclarant (seul à modifier).")
    members: list[TeamMember] = Field(description="Les membres de l'équipe.")
    templates: list[Template] = Field(description="Modèles de documents à remplir.")
    created_at: dt.datetime = Field(description="Date de déclaration.")
    updated_at: dt.datetime | None = Field(default=None, description="Dernière modification.")


class ResourceTeamList(Wire):
    resource_teams: list[ResourceTeam] = Field(description="Les équipes ressources.")


# --- Portail ------------------------------------------------------------------------------------


class PortalCodeRequest(Wire):
    page: Literal["mespatients", "telemedecine", "expert"] = Field(
        default="mespatients", description="La page du portail à ouvrir."
    )
    ins: str | None = Field(
        default=None, max_length=20, description="Ouvrir le dossier de ce patient."
    )


class PortalCode(Wire):
    code: str = Field(description="Code à usage unique.")
    expires_in: int = Field(description="Validité en secondes.")
    url: str = Field(description="Adresse à ouvrir dans le navigateur.")


# --- Issue 13 §3: documents filed in a patient's record ----------------------------------------


class PatientDocument(Wire):
    """A document filed in the patient's record on the regional service."""

    id: str = Field(description="Identifiant du document.")
    patient_id: str = Field(description="Le dossier patient.")
    type_code: str = Field(description="Type de document, code LOINC (JDV_J07), ex. 85208-7.")
    type_label: str = Field(description="Libellé du type, ex. « CR de télémédecine ».")
    title: str = Field(description="Titre du document.")
    file_name: str = Field(description="Nom du fichier.")
    content_type: str = Field(description="Type MIME.")
    size: int = Field(description="Taille en octets.")
    author: str = Field(description="Qui l'a déposé (nom affiché).")
    author_address: str | None = Field(description="Son adresse MSSanté.")
    source: Literal["teleexpertise"] = Field(description="D'où il vient.")
    source_id: str | None = Field(description="L'identifiant de la source (la téléexpertise).")
    filed_at: dt.datetime = Field(description="Date du dépôt.")


class PatientDocumentList(Wire):
    patient_id: str = Field(description="Le dossier patient.")
    documents: list[PatientDocument] = Field(description="Du plus récent au plus ancien.")


# --- Favoris (issue 13 §5: they follow the user from one computer to another) ----------------


class FavoriteEntry(Wire):
    """One favorite, or the trace of one removed (`removed`), so that another computer learns
    of the removal; the latest change wins (`changed_at`)."""

    address: str = Field(min_length=3, max_length=254, description="Adresse MSSanté.")
    display: dict[str, object] = Field(
        default_factory=dict,
        description="Ce que le poste affiche (la carte du correspondant), gardé tel quel "
        "(4 Ko au plus).",
    )
    changed_at: dt.datetime = Field(description="Quand l'utilisateur l'a ajouté ou retiré.")
    removed: bool = Field(default=False, description="Retiré des favoris.")


class FavoriteChanges(Wire):
    changes: list[FavoriteEntry] = Field(
        max_length=500, description="Les changements faits sur ce poste depuis le dernier envoi."
    )


class FavoriteList(Wire):
    favorites: list[FavoriteEntry] = Field(
        description="Mes favoris, et les traces de ceux retirés, par adresse."
    )
