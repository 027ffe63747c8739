"""The core's sentences about signing in, the account and its password, the server's address,
where the credentials may go, and reaching the server (TLS, certificates)."""

from __future__ import annotations

from app.messages.sentence import QT_TRANSLATE_NOOP, Message

# --- Any error --------------------------------------------------------------------------------

UNEXPECTED = Message(QT_TRANSLATE_NOOP("core", "Une erreur inattendue s'est produite."))

# --- Counts that fill other sentences ("réessayez dans 3 minutes") ------------------------------

SECONDS_ONE = Message(QT_TRANSLATE_NOOP("core", "{count} seconde"))
SECONDS_MANY = Message(QT_TRANSLATE_NOOP("core", "{count} secondes"))
MINUTES_ONE = Message(QT_TRANSLATE_NOOP("core", "{count} minute"))
MINUTES_MANY = Message(QT_TRANSLATE_NOOP("core", "{count} minutes"))

# --- Signing in, the account, its password ------------------------------------------------------

LOGIN_REJECTED = Message(QT_TRANSLATE_NOOP("core", "Identifiant ou mot de passe incorrect."))
# Issue 13 §5: a Sara account created from the registration page, its activation link not used.
ACCOUNT_INACTIVE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Ce compte Sara n'est pas encore activé : ouvrez le lien d'activation reçu par e-mail, "
        "puis connectez-vous.",
    )
)
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
SERVER_URL_SPACE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "L'adresse du serveur contient une espace : écrivez-la d'un seul tenant, par exemple "
        "https://sante-ara.fr.",
    )
)
SERVER_URL_SCHEME = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "L'adresse du serveur doit commencer par https:// (pas {scheme}://), par exemple "
        "https://sante-ara.fr.",
    )
)
SERVER_URL_EXTRA = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "L'adresse du serveur ne doit contenir ni identifiant, ni « ? », ni « # » : indiquez "
        "seulement https:// suivi du nom du serveur, par exemple https://sante-ara.fr.",
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
# Issue 14 §3: revocation, which the systems' verifiers check (Windows, macOS; OpenSSL with CRLs).
CERTIFICATE_REVOKED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le certificat de sécurité du serveur a été révoqué par l'autorité qui l'avait délivré "
        "(IGC Santé ou autre) : il n'est plus valable, la connexion a été refusée pour protéger "
        "vos données. Ne vous connectez pas à ce serveur et prévenez le support de votre "
        "messagerie.",
    )
)
CERTIFICATE_REVOCATION_UNKNOWN = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La révocation du certificat de sécurité du serveur n'a pas pu être vérifiée (le service "
        "de l'autorité de certification ne répond pas) : la connexion a été refusée par "
        "précaution. Réessayez plus tard ; si cela dure, prévenez votre support.",
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

# Pro Santé Connect (issue 15): the browser flow, the e-CPS push, the local passphrase.
PSC_NOT_OFFERED = Message(
    QT_TRANSLATE_NOOP("core", "Ce serveur ne propose pas la connexion avec Pro Santé Connect.")
)
PSC_STATE_MISMATCH = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La réponse reçue du navigateur ne correspond pas à cette demande de connexion : elle a "
        "été refusée. Recommencez la connexion avec Pro Santé Connect.",
    )
)
PSC_TIMEOUT = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La connexion avec Pro Santé Connect n'a pas été terminée à temps. Recommencez.",
    )
)
PSC_REFUSED = Message(QT_TRANSLATE_NOOP("core", "Connexion refusée par Pro Santé Connect."))
PSC_ID_TOKEN_INVALID = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La réponse du serveur à la connexion Pro Santé Connect n'a pas pu être vérifiée : "
        "connexion refusée. Contactez le support si cela se reproduit.",
    )
)
PSC_BROWSER_FAILED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Aucun navigateur n'a pu être ouvert pour la connexion avec Pro Santé Connect.",
    )
)
PSC_RPPS_INVALID = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Le numéro RPPS doit compter 11 chiffres (celui de votre carte CPS) : vérifiez-le.",
    )
)
PSC_CIBA_EXPIRED = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "La demande e-CPS a expiré sans être validée sur votre téléphone. Recommencez.",
    )
)
PSC_CIBA_REFUSED = Message(
    QT_TRANSLATE_NOOP("core", "La demande a été refusée sur votre téléphone (e-CPS).")
)
PASSPHRASE_WEAK = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Phrase trop faible : au moins 12 caractères, avec au moins deux sortes de caractères "
        "(lettres, chiffres, espaces ou signes).",
    )
)
# The page the browser shows at the end of the PSC login (the loopback's answer).
PSC_PAGE_DONE_TITLE = Message(QT_TRANSLATE_NOOP("core", "Connexion réussie"))
PSC_PAGE_DONE = Message(QT_TRANSLATE_NOOP("core", "Vous pouvez revenir à MonSisra bureau."))
PSC_PAGE_REFUSED_TITLE = Message(QT_TRANSLATE_NOOP("core", "Connexion refusée"))
PSC_PAGE_NOTHING = Message(QT_TRANSLATE_NOOP("core", "Cette adresse n'attend rien."))
ACCOUNT_IN_USE = Message(
    QT_TRANSLATE_NOOP(
        "core",
        "Ce compte est déjà ouvert sur cet ordinateur, dans une autre fenêtre de MonSisra bureau "
        "ou par monsisra-cli. Fermez-le là-bas, ou attendez la fin de la commande, puis "
        "réessayez.",
    )
)
