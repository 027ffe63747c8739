"""Every sentence the core says to the user, in one catalogue, so that the app can say it in the
user's language while the core stays Qt-free and the CLI stays French.

An entry is a `Message`: its French text (the source of the translation, with `{named}` fields)
and, once filled, the values of those fields. French is written here; `scripts/translations.py`
hands this file to lupdate (the `QT_TRANSLATE_NOOP` marker, context "core"), so the entries reach
`resources/translations/*.ts` beside the UI's strings. The UI shows a core sentence through
`ui.tasks.message_of` (or `ui.i18n.core_text`): the template is translated first, then filled with
values written the language's way (a date, a decimal number, a nested message such as
"3 minutes"). `Message.text()` without a language is the French sentence: the CLI, the stored
reasons of the outbox and the tests use it.

A sentence that a server wrote (the regional API explains its refusals), or that the UI already
translated, is no entry of ours: it travels as `Message.said(text)`, shown as it came, never
translated nor formatted.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Union

from app.dates import long_date

CONTEXT = "core"  # the context of the catalogue in the .ts files


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for lupdate, which reads this file; returns it as it is (no Qt here)."""
    return text


@dataclass(frozen=True)
class Number:
    """A decimal number as French writes it ("1,5"): another language swaps the decimal comma."""

    french: str


@dataclass(frozen=True)
class Language:
    """How a language writes a sentence of the core: its translation of the French templates, its
    dates, its decimal point."""

    translate: Callable[[str], str]
    date: Callable[[dt.date], str]
    decimal_point: str


def _as_written(template: str) -> str:
    return template


FRENCH = Language(translate=_as_written, date=long_date, decimal_point=",")


@dataclass(frozen=True)
class Message:
    """A sentence for the user: a French template of the catalogue and the values of its fields
    (`fill`), or a server's own sentence (`said`, shown as it came)."""

    template: str
    values: tuple[tuple[str, Value], ...] = ()
    verbatim: bool = False

    @classmethod
    def said(cls, text: str) -> Message:
        """A sentence already in the user's words (a server's, or one the UI translated itself):
        no entry of the catalogue, never translated nor formatted."""
        return cls(text, verbatim=True)

    @property
    def fields(self) -> frozenset[str]:
        """The names of the template's `{fields}`."""
        return fields_of(self.template)

    def fill(self, **values: Value) -> Message:
        """This entry with its fields' values (every field, nothing else: a mistake is a bug)."""
        if self.verbatim or set(values) != self.fields:
            raise ValueError(f"fields {sorted(self.fields)} expected, got {sorted(values)}")
        return replace(self, values=tuple(values.items()))

    def text(self, language: Language = FRENCH) -> str:
        """The sentence in `language` (French by default): the template translated, then filled."""
        if self.verbatim:
            return self.template
        written = {name: _written(value, language) for name, value in self.values}
        return language.translate(self.template).format_map(written)

    def __str__(self) -> str:
        return self.text()


Value = Union[str, int, dt.date, Number, Message]  # noqa: UP007 (an alias evaluated at import)


def _written(value: Value, language: Language) -> str:
    if isinstance(value, Message):
        return value.text(language)
    if isinstance(value, Number):
        return value.french.replace(",", language.decimal_point)
    if isinstance(value, dt.date):
        return language.date(value)
    return str(value)


def fields_of(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def catalogue() -> dict[str, Message]:
    """Every entry of the catalogue, by its id (the name of its constant below)."""
    return {name: value for name, value in globals().items() if isinstance(value, Message)}


# --- Any error --------------------------------------------------------------------------------

UNEXPECTED = Message(QT_TRANSLATE_NOOP("core", "Une erreur inattendue s'est produite."))

# --- Counts that fill other sentences ("réessayez dans 3 minutes") ------------------------------

SECONDS_ONE = Message(QT_TRANSLATE_NOOP("core", "{count} seconde"))
SECONDS_MANY = Message(QT_TRANSLATE_NOOP("core", "{count} secondes"))
MINUTES_ONE = Message(QT_TRANSLATE_NOOP("core", "{count} minute"))
MINUTES_MANY = Message(QT_TRANSLATE_NOOP("core", "{count} minutes"))

# --- Signing in, the account, its password ------------------------------------------------------

LOGIN_REJECTED = Message(QT_TRANSLATE_NOOP("core", "Identifiant ou mot de passe incorrect."))
LOGIN_THROTTLED = Message(
    QT_TRANSLATE_NOOP(
        "core", "Trop de tentatives de connexion infructueuses. Réessayez dans {wait}."
    )
)
REAUTH_REQUIRED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Votre session a expiré. Saisissez à nouveau votre mot de passe pour continuer ; "
        "votre travail en cours est conservé.",
    )
)
AUTH_PROTOCOL = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a répondu de façon inattendue lors de la connexion. Réessayez plus tard ou "
        "contactez votre support.",
    )
)
NO_LOCAL_ACCOUNT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur est injoignable et ce compte n'a encore jamais été ouvert sur cet ordinateur : "
        "la première connexion doit se faire en ligne. Vérifiez votre connexion et réessayez.",
    )
)
OPENED_OFFLINE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Compte ouvert hors connexion, à votre demande : les messages enregistrés sur cet "
        "ordinateur restent consultables. La connexion au serveur est retentée régulièrement.",
    )
)
VAULT_PASSWORD_MISMATCH = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Votre mot de passe a changé sur le serveur, mais les données de cet ordinateur sont "
        "protégées par l'ancien. Saisissez aussi votre ancien mot de passe pour les "
        "déverrouiller.",
    )
)
WRONG_PASSWORD = Message(
    QT_TRANSLATE_NOOP(
        "core", "Mot de passe incorrect. Vérifiez la saisie (majuscules, clavier) et réessayez."
    )
)
VAULT_THROTTLED = Message(
    QT_TRANSLATE_NOOP("core", "Trop d'essais de mot de passe incorrects. Réessayez dans {wait}.")
)
VAULT_CORRUPT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le fichier de clé de ce compte est illisible. Reconnectez-vous au serveur pour "
        "reconstruire les données locales.",
    )
)
NO_KEYRING = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Aucun trousseau sécurisé n'est disponible sur cet ordinateur : la connexion ne peut pas "
        "être mémorisée et votre mot de passe vous sera demandé à chaque lancement.",
    )
)
FORGET_FAILED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Les données de ce compte n'ont pas pu être toutes effacées de cet ordinateur. Fermez "
        "MonSisra, puis réessayez ; si le problème persiste, contactez votre support.",
    )
)
SESSION_CLOSED = Message(
    QT_TRANSLATE_NOOP("core", "La session est fermée : reconnectez-vous pour ouvrir ce document.")
)

# --- The server's address and where the credentials may go --------------------------------------

INVALID_SERVER_URL = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "L'adresse du serveur n'est pas valide : elle doit commencer par https:// suivi du nom "
        "du serveur, par exemple https://sante-ara.fr.",
    )
)
CLEARTEXT_SERVER_URL = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "L'adresse du serveur doit commencer par https:// : une connexion non chiffrée (http://) "
        "ferait circuler votre mot de passe en clair ; elle n'est acceptée que pour un serveur "
        "sur cet ordinateur (127.0.0.1 ou localhost).",
    )
)
ORIGIN_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a indiqué une adresse non valide : rien n'y a été envoyé. Contactez votre "
        "support.",
    )
)
FOREIGN_ORIGIN = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur demande d'envoyer vos identifiants à {origins}, une adresse que vous n'avez "
        "pas autorisée pour ce compte : c'est refusé, rien n'y a été envoyé. Vérifiez l'adresse "
        "du serveur ou contactez votre support.",
    )
)
INSECURE_ORIGIN = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur demande d'envoyer vos identifiants sans chiffrement, à {origin} : c'est "
        "toujours refusé, rien n'y a été envoyé. Vérifiez l'adresse du serveur ou contactez "
        "votre support.",
    )
)
ORIGIN_APPROVAL_NEEDED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Pour cette première connexion, le serveur demande que vos identifiants soient aussi "
        "envoyés à : {origins}. Rien n'y a encore été envoyé. Ne les autorisez que si votre "
        "support vous les a indiquées.",
    )
)

# --- Reaching the server, TLS and certificates --------------------------------------------------

SERVER_UNREACHABLE = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le serveur est injoignable. Vérifiez votre connexion à Internet et réessayez."
    )
)
OFFLINE_CACHE_READABLE = Message(
    QT_TRANSLATE_NOOP("core", "Serveur injoignable : les messages en cache restent lisibles.")
)
TOO_MANY_REDIRECTS = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur renvoie d'adresse en adresse sans aboutir. Réessayez plus tard ou contactez "
        "votre support.",
    )
)
TLS_FAILURE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La connexion sécurisée au serveur n'a pas pu être établie : la connexion a été refusée "
        "pour protéger vos données. Vérifiez l'adresse du serveur ; si elle est juste, prévenez "
        "votre support.",
    )
)
TLS_VERSION_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur ne propose pas de connexion sécurisée assez récente (TLS 1.2 au minimum) : "
        "la connexion a été refusée pour protéger vos données. Prévenez le support de votre "
        "messagerie.",
    )
)
CERTIFICATE_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité du serveur a été refusé : la connexion a été refusée pour "
        "protéger vos données. Vérifiez l'adresse du serveur ; si elle est juste, prévenez votre "
        "support.",
    )
)
CERTIFICATE_EXPIRED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité du serveur a expiré : la connexion a été refusée pour "
        "protéger vos données. Vérifiez la date et l'heure de cet ordinateur ; si elles sont "
        "justes, prévenez le support de votre messagerie.",
    )
)
CERTIFICATE_NOT_YET_VALID_ON = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité du serveur n'est valable qu'à partir du {day} : la connexion "
        "a été refusée. Vérifiez la date et l'heure de cet ordinateur ; si elles sont justes, "
        "prévenez le support de votre messagerie.",
    )
)
CERTIFICATE_EXPIRED_ON = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité du serveur a expiré le {day} : la connexion a été refusée "
        "pour protéger vos données. Vérifiez la date et l'heure de cet ordinateur ; si elles "
        "sont justes, prévenez le support de votre messagerie.",
    )
)
CERTIFICATE_NOT_TRUSTED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité du serveur n'est pas reconnu (auto-signé ou d'une autorité "
        "inconnue) : la connexion a été refusée pour protéger vos données. Si votre "
        "établissement a ses propres certificats (IGC Santé), ajoutez-les dans Paramètres, "
        "« Certificats d'autorité supplémentaires » ; sinon, prévenez votre support : la "
        "connexion pourrait être interceptée.",
    )
)
CERTIFICATE_WRONG_HOST = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité présenté n'est pas celui de ce serveur : la connexion a été "
        "refusée pour protéger vos données. Vérifiez l'adresse du serveur ; si elle est juste, "
        "prévenez votre support : la connexion pourrait être interceptée.",
    )
)
CERTIFICATE_WRONG_HOST_NAMES = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité présenté est celui de {names}, pas de « {host} » : la "
        "connexion a été refusée pour protéger vos données. Vérifiez l'adresse du serveur ; si "
        "elle est juste, prévenez votre support : la connexion pourrait être interceptée.",
    )
)
CA_BUNDLE_MISSING = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le fichier de certificats d'autorité supplémentaires « {name} » est introuvable. "
        "Choisissez-le de nouveau dans Paramètres, ou retirez-le.",
    )
)
CA_BUNDLE_UNREADABLE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le fichier de certificats d'autorité supplémentaires « {name} » ne peut pas être lu "
        "(droits d'accès). Choisissez-en une copie lisible dans Paramètres, ou retirez-le.",
    )
)
CA_BUNDLE_INVALID = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le fichier « {name} » ne contient aucun certificat d'autorité au format PEM. Choisissez "
        "le fichier fourni par votre établissement (certificats IGC Santé), ou retirez-le dans "
        "Paramètres.",
    )
)

# --- The mail server (JMAP) ----------------------------------------------------------------------

JMAP_UNEXPECTED = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le serveur de messagerie a répondu de façon inattendue. Réessayez plus tard."
    )
)
NETWORK_ERROR = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur est injoignable. Vérifiez votre connexion à Internet ; vos messages restent "
        "consultables hors connexion.",
    )
)
NO_MAIL_ACCOUNT = Message(
    QT_TRANSLATE_NOOP(
        "core", "Ce compte n'a pas de messagerie sur le serveur. Contactez le support."
    )
)
JMAP_REQUEST_REFUSED = Message(
    QT_TRANSLATE_NOOP("core", "Le serveur de messagerie a refusé la demande. Réessayez plus tard.")
)
JMAP_LIMIT = Message(
    QT_TRANSLATE_NOOP("core", "La demande dépasse une limite du serveur de messagerie.")
)
JMAP_METHOD_FAILED = Message(
    QT_TRANSLATE_NOOP("core", "Le serveur de messagerie n'a pas pu traiter la demande.")
)
JMAP_ACCOUNT_NOT_FOUND = Message(
    QT_TRANSLATE_NOOP("core", "Le compte de messagerie est introuvable sur le serveur.")
)
NO_ARCHIVE_FOLDER = Message(QT_TRANSLATE_NOOP("core", "Ce compte n'a pas de dossier Archives."))
NO_REGIONAL_SERVICES = Message(
    QT_TRANSLATE_NOOP(
        "core", "Ce serveur ne propose pas les services régionaux (annuaire, téléconsultation…)."
    )
)

# --- Attachments and documents -------------------------------------------------------------------

UPLOAD_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core", "La pièce jointe dépasse la taille maximale autorisée par le serveur."
    )
)
UPLOAD_TOO_LARGE_MB = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La pièce jointe dépasse la taille maximale autorisée par le serveur ({limit} Mo).",
    )
)
BLOB_NOT_FOUND = Message(
    QT_TRANSLATE_NOOP("core", "Cette pièce jointe n'existe plus sur le serveur.")
)
BLOB_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core", "La pièce jointe est plus volumineuse que prévu ; elle n'a pas été ouverte."
    )
)
CONTENT_MISSING = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le contenu de cette pièce jointe n'est plus dans le cache. Il sera téléchargé à nouveau "
        "à la prochaine connexion.",
    )
)
NOT_AVAILABLE_OFFLINE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Ce document n'a pas encore été ouvert sur cet ordinateur : il sera disponible au retour "
        "de la connexion.",
    )
)
RUNS_CODE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Ce type de fichier peut exécuter un programme : il ne peut pas être ouvert depuis "
        "MonSisra bureau. Enregistrez-le et faites-le vérifier avant de l'ouvrir.",
    )
)
NOT_SAVED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le document n'a pas pu être enregistré à cet endroit (dossier absent ou protégé, ou "
        "disque plein). Choisissez un autre dossier.",
    )
)

# --- The IHE_XDM.ZIP package ---------------------------------------------------------------------

XDM_INVALID = Message(
    QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP joint au message est illisible ou invalide.")
)
XDM_NO_DOCUMENT = Message(
    QT_TRANSLATE_NOOP("core", "Un paquet IHE XDM doit contenir au moins un document.")
)
XDM_ABSOLUTE_PATH = Message(
    QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP contient un chemin absolu.")
)
XDM_FORBIDDEN_PATH = Message(
    QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP contient un chemin interdit (..).")
)
XDM_TOO_MANY_FILES = Message(
    QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP contient trop de fichiers.")
)
XDM_ENCRYPTED = Message(
    QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP est chiffré ; il ne peut pas être lu.")
)
XDM_DUPLICATES = Message(QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP contient des doublons."))
XDM_SIZE_MISMATCH = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le paquet IHE_XDM.ZIP est incohérent : un fichier n'a pas la taille annoncée."
    )
)
XDM_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP("core", "Le paquet IHE_XDM.ZIP est trop volumineux une fois décompressé.")
)
XDM_METADATA_DTD = Message(
    QT_TRANSLATE_NOOP("core", "Le fichier METADATA.XML contient une DTD ou des entités : refusé.")
)
XDM_METADATA_TOO_COMPLEX = Message(
    QT_TRANSLATE_NOOP("core", "Le fichier METADATA.XML est trop complexe.")
)
XDM_METADATA_NOT_XML = Message(
    QT_TRANSLATE_NOOP("core", "Le fichier METADATA.XML n'est pas un XML valide.")
)
XDM_NO_METADATA = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le fichier IHE_XDM.ZIP ne contient pas de métadonnées (METADATA.XML)."
    )
)
XDM_NOT_SUBMISSION = Message(
    QT_TRANSLATE_NOOP("core", "Le fichier METADATA.XML n'est pas une soumission IHE XDS.")
)
XDM_DOCUMENT_MISSING = Message(
    QT_TRANSLATE_NOOP("core", "Un document annoncé est absent du paquet IHE_XDM.ZIP.")
)
XDM_DOCUMENT_ALTERED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Un document du paquet IHE_XDM.ZIP ne correspond pas à son empreinte : il a pu être "
        "altéré.",
    )
)

# --- Writing and sending a message ---------------------------------------------------------------

COMPOSE_FAILED = Message(
    QT_TRANSLATE_NOOP("core", "Le message ne peut pas être préparé pour l'envoi.")
)
ADDRESS_LINE_BREAK = Message(QT_TRANSLATE_NOOP("core", "Une adresse contient un saut de ligne."))
SUBJECT_LINE_BREAK = Message(
    QT_TRANSLATE_NOOP("core", "L'objet ne peut pas contenir de saut de ligne.")
)
DRAFT_UNREADABLE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Un brouillon a été enregistré par une version plus récente de MonSisra bureau : il est "
        "conservé, et se rouvrira une fois l'application mise à jour.",
    )
)
SEND_FAILED = Message(QT_TRANSLATE_NOOP("core", "Le message n'a pas pu être envoyé."))
SEND_DOCUMENT_LOST = Message(QT_TRANSLATE_NOOP("core", "Un document du message a été perdu."))
SEND_NO_FOLDERS = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le serveur n'a pas de dossier Brouillons ou Envoyés : envoi impossible."
    )
)
SEND_NO_IDENTITY = Message(QT_TRANSLATE_NOOP("core", "Aucune identité d'envoi sur ce compte."))
MESSAGE_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP("core", "Le message est trop volumineux pour le serveur.")
)
DOCUMENT_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le document « {name} » fait {size} Mo : le serveur accepte au plus {limit} Mo par pièce "
        "jointe.",
    )
)
XDM_PACKAGE_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le paquet {package}, qui reprend les documents du patient, ferait {size} Mo : le "
        "serveur accepte au plus {limit} Mo par pièce jointe. Envoyez les documents en "
        "plusieurs messages.",
    )
)
ATTACHMENTS_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Les pièces jointes du message font {size} Mo au total : le serveur accepte au plus "
        "{limit} Mo par message. Envoyez les documents en plusieurs messages.",
    )
)
ATTACHMENTS_WITH_XDM_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Les pièces jointes du message font {size} Mo au total (les documents et leur copie "
        "dans {package}) : le serveur accepte au plus {limit} Mo par message. Envoyez les "
        "documents en plusieurs messages.",
    )
)
REFUSED_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a refusé le message : il est trop volumineux. Envoyez les documents en "
        "plusieurs messages.",
    )
)
REFUSED_TOO_LARGE_SIZE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a refusé le message : il est trop volumineux ({size} Mo de pièces jointes). "
        "Envoyez les documents en plusieurs messages.",
    )
)
REFUSED_TOO_LARGE_SIZE_LIMIT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a refusé le message : il est trop volumineux ({size} Mo de pièces jointes, "
        "au plus {limit} Mo). Envoyez les documents en plusieurs messages.",
    )
)

# --- The local cache -----------------------------------------------------------------------------

WRONG_KEY = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le cache local ne peut pas être déchiffré avec cette clé : il a été créé pour un autre "
        "compte ou avec un autre mot de passe. Il sera reconstruit depuis le serveur.",
    )
)
CACHE_CORRUPT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le cache local est endommagé. Il va être reconstruit depuis le serveur ; les messages "
        "en attente d'envoi sont conservés.",
    )
)
CACHE_REBUILT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le cache local était illisible : il a été reconstruit et va être de nouveau rempli "
        "depuis le serveur. Les messages en attente d'envoi et les brouillons ont été conservés.",
    )
)
DISK_ERROR = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Impossible d'écrire sur le disque (disque plein ou en lecture seule). Libérez de "
        "l'espace ou vérifiez les droits du dossier, puis réessayez.",
    )
)
UNSENT_CORRUPT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le fichier local des messages en attente d'envoi et des brouillons est endommagé. Il a "
        "été mis de côté (il n'a pas été supprimé) et un nouveau fichier a été créé ; ce qui "
        "était encore lisible a été récupéré. Vérifiez votre boîte d'envoi et vos brouillons.",
    )
)
CACHE_CLOSED = Message(
    QT_TRANSLATE_NOOP("core", "Le cache local est fermé. Reconnectez-vous pour continuer.")
)

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
