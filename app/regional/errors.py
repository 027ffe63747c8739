"""The regional API's refusals, typed so that a page reacts to the one it can act on (a search too
broad, too many requests, information not for this professional); `message` is the server's
own sentence when it gave one (`Message.said`), our catalogue's otherwise."""

from __future__ import annotations

from app import messages
from app.errors import CoreError
from app.messages import Message


class RegionalError(CoreError):
    """An answer of the regional API that is an error; `message` is the server's sentence."""

    message = messages.REGIONAL_UNREADABLE

    def __init__(
        self, detail: str = "", message: Message | None = None, status: int = 0, code: str = ""
    ) -> None:
        super().__init__(detail, message)
        self.status = status
        self.code = code


class RegionalUnreachable(RegionalError):
    message = messages.REGIONAL_UNREACHABLE


class PatientSearchTooBroad(RegionalError):
    message = messages.PATIENT_SEARCH_TOO_BROAD


class RegionalRateLimited(RegionalError):
    """429: `retry_after` seconds to wait (None when the server did not say)."""

    message = messages.REGIONAL_RATE_LIMITED

    def __init__(
        self,
        detail: str = "",
        message: Message | None = None,
        status: int = 429,
        code: str = "",
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail, message, status, code)
        self.retry_after = retry_after


class RegionalForbidden(RegionalError):
    message = messages.REGIONAL_FORBIDDEN


class NotDelegated(RegionalForbidden):
    """Planning or cancelling in the name of a professional who has not delegated it to me."""

    message = messages.NOT_DELEGATED


__all__ = [
    "NotDelegated",
    "PatientSearchTooBroad",
    "RegionalError",
    "RegionalForbidden",
    "RegionalRateLimited",
    "RegionalUnreachable",
]
