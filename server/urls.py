"""Where each service lives on the sandbox; the JMAP Session advertises them (DESIGN §2.1)."""

from __future__ import annotations

AUTH_TOKEN_PATH = "/auth/token"  # noqa: S105 (a path, not a secret)
AUTH_REVOKE_PATH = "/auth/revoke"
# Issue 15 §2: this server as the authorization server of the desktop app (RFC 8414, 8252, CIBA).
AUTH_METADATA_PATH = "/.well-known/oauth-authorization-server"
AUTH_AUTHORIZE_PATH = "/auth/authorize"
AUTH_PSC_CALLBACK_PATH = "/auth/psc/callback"
AUTH_CIBA_PATH = "/auth/ciba"
AUTH_JWKS_PATH = "/auth/jwks"
JMAP_SESSION_PATH = "/.well-known/jmap"
JMAP_API_PATH = "/jmap/api"
JMAP_UPLOAD_PATH = "/jmap/upload/{accountId}/"
JMAP_DOWNLOAD_PATH = "/jmap/download/{accountId}/{blobId}/{name}?type={type}"
JMAP_EVENTSOURCE_PATH = "/jmap/eventsource?types={types}&closeafter={closeafter}&ping={ping}"
DIRECTORY_PATH = "/fhir"
REGIONAL_API_PATH = "/regional/v1"
PORTAL_PATH = "/portal"
HELP_PATH = PORTAL_PATH + "/aide"
TRUST_SPACE_PATH = "/espace-de-confiance/liste-blanche.xml"  # issue 14 §3

REGIONAL_CAPABILITY = "urn:monsisra:params:regional"


def regional_capability(base_url: str) -> dict[str, str]:
    """The URLs of the regional services, absolute, for the Session's regional capability."""
    base = base_url.rstrip("/")
    portal = base + PORTAL_PATH
    return {
        "directoryUrl": base + DIRECTORY_PATH,
        "regionalApiUrl": base + REGIONAL_API_PATH,
        "portalUrl": portal + "/mespatients",
        "patientFileUrlTemplate": portal + "/mespatients/patients/{ins}",
        "teleconsultationPortalUrl": portal + "/telemedecine",
        "registrationUrl": portal + "/inscription",
        "expertPreferencesUrl": portal + "/telemedecine/expert",
        "helpUrl": base + HELP_PATH,
        "trustSpaceUrl": base + TRUST_SPACE_PATH,  # issue 14 §3: the whitelist of domains
    }
