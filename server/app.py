"""The ASGI application: every area's routes on one sandbox."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from server.auth.oauth_routes import router as oauth_router
from server.auth.routes import router as auth_router
from server.bodies import BodyCap
from server.context import Sandbox
from server.directory.routes import router as directory_router
from server.headers import SECURITY_HEADERS, SecurityHeaders
from server.jmap.blob_routes import router as blob_router
from server.jmap.push import router as push_router
from server.jmap.routes import router as jmap_router
from server.portal.help import router as help_router
from server.portal.registration import router as registration_router
from server.portal.room import router as room_router
from server.portal.routes import router as portal_router
from server.portal.telemedicine import router as telemedicine_router
from server.psc_simule.routes import router as psc_simule_router
from server.regional.routes import public_router as regional_public_router
from server.regional.routes import router as regional_router
from server.trust.whitelist import router as trust_space_router

log = logging.getLogger("server")


def create_app(sandbox: Sandbox) -> FastAPI:
    app = FastAPI(
        title="MonSisra regional server (sandbox)",
        version="1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # the regional API publishes its own document (regional/routes.py)
    )
    app.state.sandbox = sandbox
    app.include_router(auth_router)
    app.include_router(oauth_router)  # issue 15 §2
    app.include_router(jmap_router)
    app.include_router(blob_router)
    app.include_router(push_router)
    app.include_router(directory_router)
    app.include_router(regional_router)
    app.include_router(regional_public_router)
    app.include_router(portal_router)
    app.include_router(help_router)
    app.include_router(room_router)  # the teleconsultation room and its WebSocket
    app.include_router(registration_router)  # issue 13 §5
    app.include_router(telemedicine_router)  # issue 13 §5
    app.include_router(trust_space_router)  # issue 14 §3
    app.include_router(psc_simule_router)  # issue 15: answers only with --psc-simule
    # The last added runs first: headers on every answer, the 413s of the body cap included.
    app.add_middleware(BodyCap, sandbox=sandbox)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug, not the client's fault: say so without leaking internals.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {
                "type": "urn:ietf:params:jmap:error:serverFail",
                "status": 500,
                "detail": "Internal server error.",
            },
            status_code=500,
            media_type="application/problem+json",
            headers=SECURITY_HEADERS,  # this handler runs outside the middlewares
        )

    return app
