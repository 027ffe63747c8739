"""The regional API's refusals, typed so that a page reacts to the one it can act on (a search too
broad, too many requests, information not for this professional); `message_fr` is the server's
own sentence when it gave one."""

from __future__ import annotations

from app.errors import CoreError


class RegionalError(CoreError):
    """An answer of the regional API that is an error; `message_fr` is the server's sentence."""

    message_fr = "Le service régional a renvoyé une réponse illisible. Réessayez plus tard."

    def __init__(
        self, detail: str = "", message_fr: str | None = None, status: int = 0, code: str = ""
    ) -> None:
        super().__init__(detail, message_fr)
        self.status = status
        self.code = code


class RegionalUnreachable(RegionalError):
    message_fr = "Les services régionaux sont injoignables. Vérifiez la connexion et réessayez."


class PatientSearchTooBroad(RegionalError):
    message_fr = (
        "Recherche trop large : indiquez le nom de naissance ou d'usage du patient avec sa date "
        "de naissance, ou son INS."
    )


class RegionalRateLimited(RegionalError):
    """429: `retry_after` seconds to wait (None when the server did not say)."""

    message_fr = "Trop de demandes en peu de temps : patientez une minute, puis réessayez."

    def __init__(
        self,
        detail: str = "",
        message_fr: str | None = None,
        status: int = 429,
        code: str = "",
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail, message_fr, status, code)
        self.retry_after = retry_after


class RegionalForbidden(RegionalError):
    message_fr = (
        "Vous n'avez pas accès à ces informations : elles sont réservées aux professionnels "
        "concernés (pour un patient, à ceux qui le suivent dans leur file active)."
    )


__all__ = [
    "PatientSearchTooBroad",
    "RegionalError",
    "RegionalForbidden",
    "RegionalRateLimited",
    "RegionalUnreachable",
]
