"""Errors of the regional API: one JSON shape, `{"error", "message"}`, with a French message.

The app-wide handlers belong to other areas, so the regional router uses its own route class that
turns every expected failure (ours, FastAPI's validation, the 401 of the authenticator) into that
shape before it leaves the route.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute


class RegionalError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def bad_request(message: str, code: str = "invalid_request") -> RegionalError:
    return RegionalError(400, code, message)


def not_found(message: str) -> RegionalError:
    return RegionalError(404, "not_found", message)


def forbidden(message: str) -> RegionalError:
    return RegionalError(403, "forbidden", message)


def conflict(code: str, message: str) -> RegionalError:
    return RegionalError(409, code, message)


def too_many(message: str, retry_after: int) -> RegionalError:
    """429 with the seconds to wait in Retry-After (RFC 9110 §10.2.3), also said in `message`."""
    return RegionalError(429, "rate_limited", message, {"Retry-After": str(retry_after)})


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    errors: list[Any] = list(exc.errors())
    if not errors:
        return "Requête invalide."
    first = errors[0]
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    if first.get("type") == "json_invalid":
        return "Le corps de la requête n'est pas un JSON valide."
    where = ".".join(location) if location else "requête"
    reason = first.get("msg", "valeur refusée")
    return f"Requête invalide : le champ « {where} » est incorrect ({reason})."


_HTTP_MESSAGES = {
    401: "Authentification requise : connectez-vous à nouveau.",
    403: "Vous n'avez pas accès à cette ressource.",
    404: "Ressource introuvable.",
}


class RegionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RegionalError as exc:
                return error_response(exc.status, exc.code, exc.message, exc.headers)
            except RequestValidationError as exc:
                return error_response(400, "invalid_request", _validation_message(exc))
            except HTTPException as exc:
                detail: dict[str, Any] = exc.detail if isinstance(exc.detail, dict) else {}
                code = str(detail.get("error") or "http_error")
                message = _HTTP_MESSAGES.get(exc.status_code, "Requête refusée.")
                if exc.status_code == 429 and isinstance(detail.get("retry_after"), int):
                    message = (  # the login throttle (server/auth/throttle.py)
                        "Trop de tentatives de connexion : réessayez dans "
                        f"{detail['retry_after']} s."
                    )
                return error_response(exc.status_code, code, message, dict(exc.headers or {}))

        return route
