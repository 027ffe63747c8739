"""The core's sentences about the mail: the mail server (JMAP), attachments and documents, the
IHE_XDM.ZIP package, writing and sending a message, the local cache."""

from __future__ import annotations

from app.messages.sentence import QT_TRANSLATE_NOOP, Message

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
CONNECTION_TOO_SLOW = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Connexion trop lente : le transfert a été interrompu. Il sera repris dès que la "
        "connexion le permettra.",
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
        "Ce document n'est pas gardé sur cet ordinateur (reçu avant la période gardée hors "
        "connexion, ou au-delà de la place réservée) : il s'ouvrira au retour de la connexion.",
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
SEND_DRAFT_LOST = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a supprimé le message avant de l'envoyer (un autre logiciel de messagerie a "
        "pu effacer le brouillon) : rien n'est parti. Il est gardé dans la boîte d'envoi : "
        "renvoyez-le avec « Réessayer maintenant ».",
    )
)
SEND_NO_FOLDERS = Message(
    QT_TRANSLATE_NOOP(
        "core", "Le serveur n'a pas de dossier Brouillons ou Envoyés : envoi impossible."
    )
)
SEND_NO_IDENTITY = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Aucune identité d'envoi sur ce compte : le message est gardé dans la boîte d'envoi. "
        "Contactez le support de votre messagerie.",
    )
)
SEND_EMAIL_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a refusé d'enregistrer le message (motif : {reason}). Vérifiez-le avec "
        "« Modifier », puis renvoyez-le.",
    )
)
SEND_SUBMISSION_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur a refusé d'envoyer le message (motif : {reason}). Vérifiez-le avec "
        "« Modifier », puis renvoyez-le.",
    )
)
SEND_RECIPIENTS_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur refuse un ou plusieurs destinataires. Vérifiez leurs adresses avec "
        "« Modifier », puis renvoyez le message.",
    )
)
SEND_SENDER_REFUSED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le serveur n'autorise pas l'envoi depuis cette adresse. Contactez le support de votre "
        "messagerie.",
    )
)
OUTBOX_ALREADY_SENDING = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Ce message est en cours d'envoi ou déjà envoyé : il ne peut plus être annulé ni modifié.",
    )
)
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

# Issue 14 §1: messages to a patient's mailbox (Mon espace santé) and one patient per message.
PATIENT_MAILBOX_NO_PATIENT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "{address} est la messagerie d'un patient : choisissez ce patient dans « Patient » avant "
        "d'envoyer.",
    )
)
PATIENT_MAILBOX_OTHER_PATIENT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Un message ne concerne qu'un seul patient : {address} n'est pas la messagerie de "
        "{patient}. Retirez ce destinataire ou écrivez-lui un message à part.",
    )
)
PATIENT_MAILBOX_NOT_QUALIFIED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La messagerie d'un patient ne reçoit que des messages dont l'INS est qualifiée : "
        "l'INS de {patient} ne l'est pas.",
    )
)
PATIENT_MAILBOX_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Un message à la messagerie d'un patient ne peut pas dépasser {limit} Mo : celui-ci en "
        "ferait {size} Mo avec ses documents. Envoyez-les en plusieurs messages.",
    )
)


# Issue 14 §3: every send path refuses recipients outside the MSSanté trust space.
# The class's own sentence (OutsideTrustSpace): a raise names the addresses with the one below.
OUTSIDE_TRUST_SPACE_ANY = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Envoi impossible : un destinataire est hors de l'espace de confiance MSSanté. Retirez-le "
        "ou vérifiez son adresse dans l'annuaire.",
    )
)
OUTSIDE_TRUST_SPACE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Envoi impossible, hors espace de confiance MSSanté : {addresses}. La messagerie "
        "sécurisée de santé n'échange qu'avec les domaines de sa liste blanche : retirez ces "
        "destinataires ou vérifiez leurs adresses dans l'annuaire.",
    )
)

# --- Read receipts (issue 14 §2) ------------------------------------------------------------------

RECEIPT_FAILED = Message(
    QT_TRANSLATE_NOOP("core", "L'accusé de lecture n'a pas pu être envoyé. Réessayez plus tard.")
)


# --- Delivery status (issue 14 §2): why a message was not delivered to a recipient ------------

DELIVERY_UNKNOWN_ADDRESS = Message(QT_TRANSLATE_NOOP("core", "adresse inconnue"))
DELIVERY_UNKNOWN_DOMAIN = Message(QT_TRANSLATE_NOOP("core", "domaine inconnu"))
DELIVERY_MAILBOX_FULL = Message(QT_TRANSLATE_NOOP("core", "boîte du destinataire pleine"))
DELIVERY_TOO_LARGE = Message(
    QT_TRANSLATE_NOOP("core", "message trop volumineux pour le destinataire")
)
DELIVERY_REFUSED = Message(QT_TRANSLATE_NOOP("core", "refusé par le serveur du destinataire"))
DELIVERY_DELAYED = Message(QT_TRANSLATE_NOOP("core", "remise retardée"))
DELIVERY_OTHER = Message(QT_TRANSLATE_NOOP("core", "non distribué (code {code})"))
DELIVERY_UNKNOWN_MESSAGE = Message(
    QT_TRANSLATE_NOOP("core", "Aucun message envoyé n'a cet identifiant : {message_id}.")
)
