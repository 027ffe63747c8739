"""The core's sentences about the directory, the regional services, and the command-line
client's own errors."""

from __future__ import annotations

from app.messages.sentence import QT_TRANSLATE_NOOP, Message

# --- The directory -------------------------------------------------------------------------------

DIRECTORY_UNREADABLE = Message(
    QT_TRANSLATE_NOOP("core", "L'annuaire a renvoyé une réponse illisible. Réessayez plus tard.")
)
DIRECTORY_UNREACHABLE = Message(
    QT_TRANSLATE_NOOP("core", "L'annuaire est injoignable. Vérifiez la connexion et réessayez.")
)
DIRECTORY_REFUSED = Message(
    QT_TRANSLATE_NOOP("core", "L'annuaire a refusé la recherche. Vérifiez les critères saisis.")
)
DIRECTORY_ACCESS_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core", "L'annuaire refuse l'accès : vérifiez la connexion ou la clé d'API de l'annuaire."
    )
)
DIRECTORY_RATE_LIMITED = Message(
    QT_TRANSLATE_NOOP("core", "L'annuaire reçoit trop de demandes : réessayez dans un instant.")
)
# Issue 14 §4: the directory answered 429 (the national API allows 17 requests per second); the
# search goes on by itself after `wait` ("2 secondes").
DIRECTORY_WAITING = Message(
    QT_TRANSLATE_NOOP(
        "core", "L'annuaire limite le nombre de recherches : nouvel essai dans {wait}…"
    )
)
DIRECTORY_FAILING = Message(
    QT_TRANSLATE_NOOP("core", "L'annuaire rencontre un problème : réessayez plus tard.")
)

# --- The regional services -----------------------------------------------------------------------

REGIONAL_UNREADABLE = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le service régional a renvoyé une réponse illisible. Réessayez plus tard."
    )
)
REGIONAL_UNREACHABLE = Message(
    QT_TRANSLATE_NOOP(
        "core", "Les services régionaux sont injoignables. Vérifiez la connexion et réessayez."
    )
)
REGIONAL_OFFLINE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Les services régionaux ne sont pas disponibles hors connexion. Réessayez une fois la "
        "connexion revenue.",
    )
)
PATIENT_SEARCH_TOO_BROAD = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Recherche trop large : indiquez le nom de naissance ou d'usage du patient avec sa date "
        "de naissance, ou son INS.",
    )
)
REGIONAL_RATE_LIMITED = Message(
    QT_TRANSLATE_NOOP(
        "core", "Trop de demandes en peu de temps : patientez une minute, puis réessayez."
    )
)
REGIONAL_FORBIDDEN = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Vous n'avez pas accès à ces informations : elles sont réservées aux professionnels "
        "concernés (pour un patient, à ceux qui le suivent dans leur file active).",
    )
)
NOT_DELEGATED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Ce professionnel ne vous a pas délégué la planification de ses téléconsultations : "
        "demandez-lui de vous ajouter dans ses réglages (Délégation de la planification).",
    )
)
REGIONAL_AUTH_REQUIRED = Message(
    QT_TRANSLATE_NOOP("core", "Authentification requise : connectez-vous à nouveau.")
)
REGIONAL_NOT_FOUND = Message(QT_TRANSLATE_NOOP("core", "Ressource introuvable."))
REGIONAL_REFUSED = Message(
    QT_TRANSLATE_NOOP("core", "Le service régional a refusé la demande. Réessayez plus tard.")
)

# --- The command-line client (French only, like all of its output) -----------------------------

CLI_NO_DIRECTORY = Message(QT_TRANSLATE_NOOP("core", "Ce serveur ne propose pas d'annuaire."))
CLI_BAD_NEAR = Message(QT_TRANSLATE_NOOP("core", "--near attend LAT,LON,KM."))
CLI_NO_SUCH_FILE = Message(QT_TRANSLATE_NOOP("core", "Fichier introuvable : {name}"))
CLI_UNKNOWN_DOCUMENT_TYPE = Message(QT_TRANSLATE_NOOP("core", "Type de document inconnu : {code}"))
CLI_BAD_INS = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "--patient attend l'INS du patient (15 caractères, clé comprise) : « {ins} » n'en est "
        "pas un.",
    )
)
CLI_UNKNOWN_PATIENT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Aucun patient n'a cet INS dans l'annuaire patient régional : rien n'a été envoyé.",
    )
)
CLI_NO_SUBJECT = Message(
    QT_TRANSLATE_NOOP(
        "core", "--subject est nécessaire, sauf pour un message sur un patient (--patient)."
    )
)

# --- Planning a teleconsultation -----------------------------------------------------------------

PLAN_NO_PATIENT = Message(
    QT_TRANSLATE_NOOP("core", "Choisissez le patient dans l'annuaire ou saisissez son nom.")
)
PLAN_NO_CHANNEL = Message(
    QT_TRANSLATE_NOOP("core", "Choisissez au moins un moyen d'invitation : e-mail ou SMS.")
)
PLAN_EMAIL_NEEDED = Message(
    QT_TRANSLATE_NOOP("core", "Invitation par e-mail : renseignez l'adresse e-mail du patient.")
)
PLAN_MOBILE_NEEDED = Message(
    QT_TRANSLATE_NOOP("core", "Invitation par SMS : renseignez le numéro de mobile du patient.")
)
PLAN_START_PAST = Message(
    QT_TRANSLATE_NOOP("core", "La date de début est passée : choisissez une date à venir.")
)
INVALID_EMAIL = Message(
    QT_TRANSLATE_NOOP(
        "core", "Adresse e-mail invalide : vérifiez-la (elle s'écrit nom@domaine.fr)."
    )
)
INVALID_MOBILE = Message(
    QT_TRANSLATE_NOOP(
        "core", "Numéro de mobile invalide : saisissez un mobile français (06…, 07… ou +33…)."
    )
)
PARTICIPANT_NO_NAME = Message(QT_TRANSLATE_NOOP("core", "Indiquez le nom du participant."))
PARTICIPANT_NO_CONTACT = Message(
    QT_TRANSLATE_NOOP(
        "core", "Indiquez l'adresse e-mail ou le mobile du participant, pour son invitation."
    )
)
CANCEL_NO_REASON = Message(QT_TRANSLATE_NOOP("core", "Motif non précisé."))
# Issue 13 §4: équipes ressources, the templates' limits said before an upload
TEMPLATE_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "« {name} » pèse {size} : un modèle de document ne peut pas dépasser {limit}.",
    )
)
TEMPLATE_EMPTY = Message(
    QT_TRANSLATE_NOOP("core", "« {name} » est vide : choisissez un autre fichier.")
)
TEMPLATES_FULL = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "L'équipe propose déjà {count} modèles, le nombre maximal : supprimez-en un avant d'en "
        "ajouter un autre.",
    )
)
