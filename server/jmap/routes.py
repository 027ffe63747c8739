"""HTTP routes of JMAP: the Session, the API endpoint, and the sandbox's outbound record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from server import urls
from server.accounts import Account
from server.context import Sandbox, get_sandbox
from server.jmap import api
from server.jmap.limits import Slots
from server.jmap.session import capabilities, session, session_state

router = APIRouter()
_requests = Slots()
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


@router.get(urls.JMAP_SESSION_PATH)
def get_session(request: Request, sandbox: SandboxDep) -> JSONResponse:
    account = sandbox.auth.optional(request)
    return JSONResponse(
        session(sandbox.config, account, str(request.base_url)),
        headers={"Cache-Control": "no-cache, no-store, must-revalidate"},
    )


@router.post(urls.JMAP_API_PATH)
async def post_api(request: Request, sandbox: SandboxDep) -> Response:
    account = await run_in_threadpool(sandbox.auth.required, request)
    # A request holds its slot from the first byte of its body to its answer.
    if not _requests.take(account.id, sandbox.config.max_concurrent_requests):
        return api.problem(
            "limit", "Too many concurrent requests.", status=429, limit="maxConcurrentRequests"
        )
    try:
        return await _answer(request, sandbox, account)
    finally:
        _requests.give_back(account.id)


async def _answer(request: Request, sandbox: Sandbox, account: Account) -> Response:
    body = await request.body()  # within maxSizeRequest: server/bodies.py caps it
    try:
        api.check_content_type(request.headers.get("content-type"))
        parsed = api.parse_request(
            body, sandbox.config.max_calls_in_request, set(capabilities(sandbox.config, ""))
        )
    except api.RequestProblem as e:
        return e.response()
    state = session_state(sandbox.config, account)
    result = await run_in_threadpool(api.execute, sandbox, account, parsed, state)
    return JSONResponse(result)


@router.get("/sandbox/sent-outside")
def sent_outside(request: Request, sandbox: SandboxDep) -> dict[str, Any]:
    """What the caller sent to addresses outside the sandbox (nothing actually leaves)."""
    account = sandbox.auth.required(request)
    return {"list": sandbox.mail.sent_outside(account.id)}


@router.get("/sandbox/sms")
def sent_sms(request: Request, sandbox: SandboxDep) -> dict[str, Any]:
    """The SMS the caller sent (teleconsultation invitations): recorded, never sent anywhere."""
    account = sandbox.auth.required(request)
    return {"list": sandbox.sms.sent(account.id)}
