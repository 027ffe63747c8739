"""The JMAP client (RFC 8620 core, RFC 8621 mail): Session discovery, method calls with result
references, the Session's limits, and typed errors.

Everything the server sends is validated here before the rest of the core sees it: a malformed
answer becomes an `InvalidResponse`, never a KeyError from deep inside the sync engine. A Session
is used only once every URL it names (and every redirect on the way to it) is on an origin the
account's OriginPolicy allows (app.remote.origins).
Blob transfer lives in `app.remote.blobs`, push in `app.remote.push`; `JmapClient` gives both.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

import httpx

from app import logs, messages
from app.errors import CoreError
from app.remote.http import (
    ServerUnreachable,
    TlsFailure,
    get_following,
    make_http_client,
    transport_error,
)
from app.remote.origins import OriginPolicy, check_server_url, origin_of

if TYPE_CHECKING:
    from app.remote.blobs import ChunkSource, UploadedBlob
    from app.remote.pace import Pace
    from app.remote.push import StateChange

log = logs.get("jmap")

CORE = "urn:ietf:params:jmap:core"
MAIL = "urn:ietf:params:jmap:mail"
SUBMISSION = "urn:ietf:params:jmap:submission"
VACATION = "urn:ietf:params:jmap:vacationresponse"
REGIONAL = "urn:monsisra:params:regional"
MDN = "urn:ietf:params:jmap:mdn"  # RFC 9007: read receipts sent and parsed by the server
ERROR_PREFIX = "urn:ietf:params:jmap:error:"
SESSION_PATH = "/.well-known/jmap"
# The whole of one API request, answer read: the read timeout only bounds the wait for each byte,
# and a link that drips a byte at a time would hold a sync for ever (issue 17 §1).
API_DEADLINE_S = 300.0

Invocation = tuple[str, dict[str, Any], str]

# The capabilities each data type's methods need (RFC 8620 §2, RFC 8621 §1.3.1 and §1.3.2).
# EmailSubmission/set's onSuccessUpdateEmail is an implicit Email/set: Cyrus refuses it unless
# the request also uses the mail capability.
_TYPE_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "Core": (CORE,),
    "Blob": (CORE,),
    "PushSubscription": (CORE,),
    "Mailbox": (MAIL,),
    "Thread": (MAIL,),
    "Email": (MAIL,),
    "SearchSnippet": (MAIL,),
    "Identity": (SUBMISSION,),
    "EmailSubmission": (SUBMISSION, MAIL),
    "VacationResponse": (VACATION,),
    # MDN/send's onSuccessUpdateEmail is an implicit Email/set, like EmailSubmission's.
    "MDN": (MDN, MAIL),
}


# --- errors -------------------------------------------------------------------------------------


class JmapError(CoreError):
    """Base of the JMAP client's errors."""

    message = messages.JMAP_UNEXPECTED


class NetworkError(JmapError, ServerUnreachable):
    """The server could not be reached or the connection broke. A ServerUnreachable too, so that
    callers catch one error for "offline" whichever layer noticed it."""

    message = messages.NETWORK_ERROR


class TransferTooSlow(NetworkError):
    """A transfer (an API answer, a blob) slower than the floor under its average rate
    (app/remote/pace.py): a dripping link, ended rather than waited on for ever."""

    message = messages.CONNECTION_TOO_SLOW


class InvalidResponse(JmapError):
    """What the server sent does not have the shape JMAP promises."""


class NoMailAccount(JmapError):
    message = messages.NO_MAIL_ACCOUNT


class RequestError(JmapError):
    """The whole request was refused (RFC 8620 §3.6.1, an application/problem+json answer)."""

    message = messages.JMAP_REQUEST_REFUSED

    def __init__(self, type_: str, status: int, detail: str = "", limit: str | None = None) -> None:
        super().__init__(
            f"{type_} (HTTP {status}){f' limit={limit}' if limit else ''}",
            messages.JMAP_LIMIT if type_ == "limit" else None,
        )
        self.type = type_
        self.status = status
        self.detail = detail
        self.limit = limit


class MethodError(JmapError):
    """One method call failed (RFC 8620 §3.6.2); the other calls of the request may have worked."""

    message = messages.JMAP_METHOD_FAILED

    def __init__(self, type_: str, description: str | None, call_id: str) -> None:
        super().__init__(f"{type_} in call {call_id}")
        self.type = type_
        self.description = description
        self.call_id = call_id

    @staticmethod
    def from_response(args: Mapping[str, Any], call_id: str) -> MethodError:
        """The typed error for an ("error", args, call_id) response."""
        type_ = args.get("type")
        if not isinstance(type_, str):
            type_ = "serverFail"
        description = args.get("description")
        cls = _METHOD_ERRORS.get(type_, MethodError)
        return cls(type_, description if isinstance(description, str) else None, call_id)


class CannotCalculateChanges(MethodError):
    """/changes cannot bridge from the given state: resync that type."""


class StateMismatch(MethodError):
    """ifInState did not match: fetch the changes and retry."""


class UnknownMethod(MethodError):
    pass


class InvalidArguments(MethodError):
    pass


class AccountNotFound(MethodError):
    message = messages.JMAP_ACCOUNT_NOT_FOUND


class RequestTooLarge(MethodError):
    pass


class ServerFail(MethodError):
    pass


_METHOD_ERRORS: dict[str, type[MethodError]] = {
    "cannotCalculateChanges": CannotCalculateChanges,
    "stateMismatch": StateMismatch,
    "unknownMethod": UnknownMethod,
    "invalidArguments": InvalidArguments,
    "accountNotFound": AccountNotFound,
    "requestTooLarge": RequestTooLarge,
    "serverFail": ServerFail,
    "serverPartialFail": ServerFail,
    "serverUnavailable": ServerFail,
}


# --- the Session --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The core capability's limits; conservative defaults where a server omits one."""

    max_size_upload: int = 50_000_000
    max_concurrent_upload: int = 4
    max_size_request: int = 10_000_000
    max_concurrent_requests: int = 4
    max_calls_in_request: int = 16
    max_objects_in_get: int = 500
    max_objects_in_set: int = 500


_LIMIT_NAMES = {
    "max_size_upload": "maxSizeUpload",
    "max_concurrent_upload": "maxConcurrentUpload",
    "max_size_request": "maxSizeRequest",
    "max_concurrent_requests": "maxConcurrentRequests",
    "max_calls_in_request": "maxCallsInRequest",
    "max_objects_in_get": "maxObjectsInGet",
    "max_objects_in_set": "maxObjectsInSet",
}


@dataclass(frozen=True)
class RegionalUrls:
    """The regional services a MonSisra server advertises (DESIGN §2.1), absolute."""

    directory_url: str
    regional_api_url: str
    portal_url: str
    patient_file_url_template: str
    teleconsultation_portal_url: str
    registration_url: str
    expert_preferences_url: str
    help_url: str | None = None  # the FAQ page, anchors by topic (app.regional.links.help_url)
    trust_space_url: str | None = None  # issue 14 §3: the whitelist of domains (app/trust)


_REGIONAL_NAMES = {
    "directory_url": "directoryUrl",
    "regional_api_url": "regionalApiUrl",
    "portal_url": "portalUrl",
    "patient_file_url_template": "patientFileUrlTemplate",
    "teleconsultation_portal_url": "teleconsultationPortalUrl",
    "registration_url": "registrationUrl",
    "expert_preferences_url": "expertPreferencesUrl",
}


@dataclass(frozen=True)
class Session:
    """The JMAP Session (RFC 8620 §2); URLs are absolute templates (see `expand`)."""

    url: str
    api_url: str
    upload_url: str
    download_url: str
    event_source_url: str
    username: str
    account_id: str
    capabilities: dict[str, Any]
    limits: Limits
    regional: RegionalUrls | None
    state: str

    def upload_url_for(self) -> str:
        return expand(self.upload_url, accountId=self.account_id)

    def download_url_for(self, blob_id: str, name: str, type_: str) -> str:
        return expand(
            self.download_url, accountId=self.account_id, blobId=blob_id, name=name, type=type_
        )

    def event_source_url_for(self, types: str, closeafter: str, ping: int) -> str:
        return expand(self.event_source_url, types=types, closeafter=closeafter, ping=str(ping))

    def urls(self) -> tuple[str, ...]:
        """Every URL it names (templates as given): where the account's requests would go, and
        the portal pages that receive one-time codes."""
        regional = astuple(self.regional) if self.regional is not None else ()
        regional = tuple(url for url in regional if url is not None)  # help_url… are optional
        return (
            self.url,
            self.api_url,
            self.upload_url,
            self.download_url,
            self.event_source_url,
            *regional,
        )


def expand(template: str, **values: str) -> str:
    """RFC 6570 level-1 expansion of the Session's URL templates: each `{name}` is replaced by its
    value, percent-encoded (everything but unreserved characters)."""
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", quote(value, safe=""))
    return out


@contextlib.contextmanager
def _network_error() -> Iterator[None]:
    """A transport failure as this client's NetworkError; a refused secure connection stays what
    it is (a TlsFailure: said as such, never as "injoignable")."""
    try:
        yield
    except TlsFailure:
        raise
    except ServerUnreachable as e:
        raise NetworkError(str(e)) from None


def parse_session(document: object, session_url: str) -> Session:
    """Validates a Session object; relative URLs are resolved against `session_url`."""
    doc = _object(document, "Session")
    capabilities = _object(doc.get("capabilities"), "capabilities")
    core = _object(capabilities.get(CORE, None), "core capability")
    limits = _limits(core)
    primary = _object(doc.get("primaryAccounts", {}), "primaryAccounts")
    accounts = _object(doc.get("accounts", {}), "accounts")
    account_id = primary.get(MAIL)
    if account_id is None:
        raise NoMailAccount("no primary mail account")
    if not isinstance(account_id, str) or not account_id:
        raise InvalidResponse("primaryAccounts: mail account id is not a string")
    if account_id not in accounts:
        raise InvalidResponse("primaryAccounts: mail account not listed in accounts")

    def url(key: str) -> str:
        value = doc.get(key)
        if not isinstance(value, str) or not value:
            raise InvalidResponse(f"Session: {key} is not a string")
        resolved = _resolve(session_url, value)
        if resolved is None:
            raise InvalidResponse(f"Session: {key} is not an http(s) URL")
        return resolved

    username = doc.get("username", "")
    state = doc.get("state")
    if not isinstance(username, str):
        raise InvalidResponse("Session: username is not a string")
    if not isinstance(state, str):
        raise InvalidResponse("Session: state is not a string")
    return Session(
        url=session_url,
        api_url=url("apiUrl"),
        upload_url=url("uploadUrl"),
        download_url=url("downloadUrl"),
        event_source_url=url("eventSourceUrl"),
        username=username,
        account_id=account_id,
        capabilities=capabilities,
        limits=limits,
        regional=_regional(capabilities.get(REGIONAL), session_url),
        state=state,
    )


def _limits(core: dict[str, Any]) -> Limits:
    defaults = Limits()
    values: dict[str, int] = {}
    for attribute, key in _LIMIT_NAMES.items():
        value = core.get(key)
        if value is None:
            values[attribute] = getattr(defaults, attribute)
        elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
            values[attribute] = value
        else:
            raise InvalidResponse(f"core capability: {key} is not a positive integer")
    return Limits(**values)


def _regional(value: object, session_url: str) -> RegionalUrls | None:
    """None when absent; a malformed capability is treated as absent (mail still works)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        log.warning("regional capability is not an object: ignored")
        return None
    urls: dict[str, str] = {}
    for attribute, key in _REGIONAL_NAMES.items():
        url = value.get(key)
        resolved = _resolve(session_url, url) if isinstance(url, str) and url else None
        if resolved is None:
            log.warning("regional capability: %s is not a URL: ignored", key)
            return None
        urls[attribute] = resolved
    help_url = value.get("helpUrl")  # optional: a server without it has no "Aide" links
    resolved_help = _resolve(session_url, help_url) if isinstance(help_url, str) else None
    trust = value.get("trustSpaceUrl")  # optional: without it, no recipient is checked
    resolved_trust = _resolve(session_url, trust) if isinstance(trust, str) else None
    return RegionalUrls(**urls, help_url=resolved_help, trust_space_url=resolved_trust)


def _resolve(base: str, reference: str) -> str | None:
    """`reference` made absolute against `base`; None unless it is an http(s) URL with a host,
    and no template in its scheme, host or port (where it points must be known before use).
    urljoin leaves the `{…}` of templates alone (httpx.URL would encode them)."""
    try:
        resolved = urljoin(base, reference)
        origin_of(resolved)
    except ValueError:
        return None
    return resolved


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidResponse(f"{what} is not an object")
    return value


def parse_response(document: object) -> tuple[list[Invocation], str, dict[str, str] | None]:
    """Validates a JMAP Response: (methodResponses, sessionState, createdIds or None)."""
    doc = _object(document, "Response")
    responses = doc.get("methodResponses")
    state = doc.get("sessionState")
    if not isinstance(responses, list):
        raise InvalidResponse("methodResponses is not a list")
    if not isinstance(state, str):
        raise InvalidResponse("sessionState is not a string")
    out: list[Invocation] = []
    for item in responses:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and isinstance(item[1], dict)
            and isinstance(item[2], str)
        ):
            raise InvalidResponse("a method response is not [name, arguments, id]")
        out.append((item[0], item[1], item[2]))
    created = doc.get("createdIds")
    if created is not None and not (
        isinstance(created, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in created.items())
    ):
        raise InvalidResponse("createdIds is not a map of ids")
    return out, state, created


def decode_json(content: bytes) -> object:
    """JSON from the wire; anything undecodable is an InvalidResponse."""
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        raise InvalidResponse("the server's answer is not JSON") from None


def request_error(response: httpx.Response, body: bytes) -> RequestError:
    """A RequestError from a 4xx/5xx answer, problem+json or not."""
    type_, detail, limit = "about:blank", "", None
    try:
        problem = json.loads(body) if body else None
    except (ValueError, RecursionError):
        problem = None
    if isinstance(problem, dict):
        if isinstance(problem.get("type"), str):
            type_ = problem["type"].removeprefix(ERROR_PREFIX)
        if isinstance(problem.get("detail"), str):
            detail = problem["detail"]
        if isinstance(problem.get("limit"), str):
            limit = problem["limit"]
    return RequestError(type_, response.status_code, detail, limit)


# --- result references --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A result reference (RFC 8620 §3.7): the value at `path` in the response of call
    `result_of` named `name`."""

    result_of: str
    name: str
    path: str

    def to_json(self) -> dict[str, str]:
        return {"resultOf": self.result_of, "name": self.name, "path": self.path}


def args_with_ref(key: str, ref: Ref, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`args` plus `#key` pointing at `ref`: `args_with_ref("ids", Ref("q", "Email/query", "/ids"))`
    → `{"#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"}}`."""
    out = dict(args or {})
    out.pop(key, None)
    out["#" + key] = ref.to_json()
    return out


def _references(args: Mapping[str, Any]) -> set[str]:
    """The call ids an argument map refers to."""
    out: set[str] = set()
    for key, value in args.items():
        if key.startswith("#") and isinstance(value, dict):
            result_of = value.get("resultOf")
            if isinstance(result_of, str):
                out.add(result_of)
    return out


def split_calls(calls: Sequence[Invocation], max_calls: int) -> list[list[Invocation]]:
    """Groups calls into requests of at most `max_calls`; calls linked by result references stay
    in one request (ValueError when such a group is larger than `max_calls`). Calls without
    references between them are treated as independent."""
    if len(calls) <= max_calls:
        return [list(calls)]
    # Union-find over call positions; a reference links a call to every earlier call of that id.
    parent = list(range(len(calls)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    positions: dict[str, list[int]] = {}
    for index, (_, args, call_id) in enumerate(calls):
        for target in _references(args):
            for earlier in positions.get(target, []):
                parent[find(index)] = find(earlier)
        positions.setdefault(call_id, []).append(index)
    groups: dict[int, list[int]] = {}
    for index in range(len(calls)):
        groups.setdefault(find(index), []).append(index)
    batches: list[list[int]] = []
    for members in groups.values():  # in order of each group's first call
        if len(members) > max_calls:
            raise ValueError(
                f"{len(members)} calls reference each other; the server accepts {max_calls}"
            )
        if batches and len(batches[-1]) + len(members) <= max_calls:
            batches[-1].extend(members)
        else:
            batches.append(list(members))
    return [[calls[i] for i in sorted(batch)] for batch in batches]


# --- before login --------------------------------------------------------------------------------


async def public_regional_urls(http: httpx.AsyncClient, session_url: str) -> RegionalUrls | None:
    """The regional services as the Session shows them before login (a MonSisra server answers
    the public part without credentials): the login window's "Créer un compte Sara" link, and a
    quick "does the server answer?" probe. None when the server does not advertise them or wants
    credentials first; NetworkError (a ServerUnreachable) when it does not answer. Redirects are
    followed, never to http where the server is https (nor to http on another computer)."""
    policy = OriginPolicy.for_url(session_url)
    with _network_error():
        response = await get_following(http, session_url, policy.check_encrypted, attempts=1)
    if response.status_code >= 400:
        log.info("public session refused (HTTP %s)", response.status_code)
        return None
    doc = decode_json(response.content)
    capabilities = _object(_object(doc, "Session").get("capabilities"), "capabilities")
    return _regional(capabilities.get(REGIONAL), str(response.url))


async def fetch_public_regional_urls(
    server_url: str, timeout: float = 5.0, ca_bundle: Path | None = None
) -> RegionalUrls | None:
    """`public_regional_urls` for a server URL typed by the user, on a short-lived client of its
    own (no account is open yet; `ca_bundle`: the settings' extra authorities). InvalidServerUrl
    (app.remote.origins) when it is not a usable server address, before anything is sent; a
    TlsFailure when its certificate is refused."""
    base = check_server_url(server_url)
    async with make_http_client(timeout=timeout, ca_bundle=ca_bundle) as http:
        return await public_regional_urls(http, base + SESSION_PATH)


# --- the client ---------------------------------------------------------------------------------


@dataclass
class Slots:
    """The client-wide semaphores sized from the Session's limits."""

    requests: asyncio.Semaphore
    uploads: asyncio.Semaphore


class GetAllResult(list[dict[str, Any]]):
    """The objects of a split /get, in the order of the ids asked for (a list), with what the
    server did not find and the state (None when pieces saw different states: a change happened
    meanwhile, so read /changes from an earlier state)."""

    def __init__(self) -> None:
        super().__init__()
        self.not_found: list[str] = []
        self.state: str | None = None


class JmapClient:
    """One account's JMAP conversation over an `httpx.AsyncClient` that already authenticates.

    `policy` says which origins the Session may name (by default: the origin of `session_url`
    only); `session`, one already fetched and checked (at login), saves fetching it again."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        session_url: str,
        policy: OriginPolicy | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        self.http = http
        self.session_url = session_url
        self.policy = policy or OriginPolicy.for_url(session_url)
        self._session: Session | None = None
        self._stale = False
        self._session_lock = asyncio.Lock()
        self._slots: Slots | None = None
        self.api_deadline = API_DEADLINE_S
        self.transfer_pace: Pace | None = None  # None: app.remote.pace.DEFAULT_PACE
        if session is not None:
            self._adopt(session)

    # Session -----------------------------------------------------------------------------------

    async def session(self, refresh: bool = False) -> Session:
        """The cached Session, fetched on first use, when asked, or after a call saw another
        sessionState."""
        async with self._session_lock:
            if self._session is None or refresh or self._stale:
                self._adopt(await self._fetch_session())
            assert self._session is not None
            return self._session

    def _adopt(self, session: Session) -> None:
        self._session = session
        self._stale = False
        if self._slots is None:
            limits = session.limits
            self._slots = Slots(
                asyncio.Semaphore(limits.max_concurrent_requests),
                asyncio.Semaphore(limits.max_concurrent_upload),
            )

    async def _fetch_session(self) -> Session:
        """Fetched hop by hop, and refused (OriginRefused, OriginApprovalNeeded at a first
        login) as soon as it, or a redirect to it, names an origin the policy does not allow."""
        with _network_error():
            response = await get_following(
                self.http, self.session_url, self.policy.check, attempts=1
            )
        if response.status_code >= 400:
            raise request_error(response, response.content)
        session = parse_session(decode_json(response.content), str(response.url))
        self.policy.check(*session.urls())
        log.info("session fetched (state %s)", session.state)
        return session

    async def slots(self) -> Slots:
        await self.session()
        assert self._slots is not None
        return self._slots

    @contextlib.asynccontextmanager
    async def stream(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """A GET of a URL of the Session (a blob, the push stream), its body still to be read;
        a redirect is followed hop by hop, each hop checked by the policy before anything is sent
        there. NetworkError when the server cannot be reached."""
        with _network_error():
            response = await get_following(
                self.http,
                url,
                self.policy.check,
                headers=headers,
                attempts=1,
                stream=True,
                timeout=timeout,
            )
        try:
            yield response
        finally:
            await response.aclose()

    # Calls -------------------------------------------------------------------------------------

    async def call(self, calls: list[Invocation]) -> list[Invocation]:
        """Runs method calls; past maxCallsInRequest, several requests in order, carrying
        createdIds from one to the next. Method errors come back as ("error", {...}, id)."""
        if not calls:
            return []
        session = await self.session()
        batches = split_calls(calls, session.limits.max_calls_in_request)
        if len(batches) == 1:
            responses, _ = await self._request(batches[0], None)
            return responses
        out: list[Invocation] = []
        created: dict[str, str] = {}
        for batch in batches:
            responses, created = await self._request(batch, created)
            out.extend(responses)
        order = {call_id: index for index, (_, _, call_id) in enumerate(calls)}
        out.sort(key=lambda r: order.get(r[2], len(calls)))  # stable: implicit ones stay after
        return out

    async def _request(
        self, calls: list[Invocation], created: dict[str, str] | None
    ) -> tuple[list[Invocation], dict[str, str]]:
        session = await self.session()
        slots = await self.slots()
        body: dict[str, Any] = {
            "using": self._using(session, calls),
            "methodCalls": [[name, args, call_id] for name, args, call_id in calls],
        }
        if created is not None:
            body["createdIds"] = created
        content = json.dumps(body, separators=(",", ":")).encode()
        if len(content) > session.limits.max_size_request:
            raise RequestError("limit", 0, "request larger than maxSizeRequest", "maxSizeRequest")
        async with slots.requests:
            try:
                async with asyncio.timeout(self.api_deadline):
                    response = await self.http.post(
                        session.api_url,
                        content=content,
                        headers={"Content-Type": "application/json", "Accept": "application/json"},
                    )
            except httpx.TransportError as e:
                raise await transport_error(e, NetworkError) from None
            except TimeoutError:
                log.info("API request past its deadline (%.0f s)", self.api_deadline)
                raise TransferTooSlow("API request past its deadline") from None
        if response.status_code >= 400:
            error = request_error(response, response.content)
            log.warning("request refused: %s", error)
            raise error
        responses, state, new_created = parse_response(decode_json(response.content))
        if state != session.state:
            log.info("session state changed: the Session will be fetched again")
            self._stale = True
        return responses, new_created if new_created is not None else dict(created or {})

    @staticmethod
    def _using(session: Session, calls: Sequence[Invocation]) -> list[str]:
        wanted = {CORE}
        for name, _, _ in calls:
            for capability in _TYPE_CAPABILITIES.get(name.split("/", 1)[0], ()):
                if capability in session.capabilities:
                    wanted.add(capability)
        return sorted(wanted)

    async def call_one(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        """One method call; its error raised as a MethodError subclass."""
        session = await self.session()
        args = {"accountId": session.account_id, **args}
        for response_name, response_args, call_id in await self.call([(name, args, "0")]):
            if call_id != "0":
                continue
            if response_name == "error":
                raise MethodError.from_response(response_args, call_id)
            if response_name == name:
                return response_args
        raise InvalidResponse(f"no response to {name}")

    async def get_all(
        self,
        type_name: str,
        ids: Sequence[str] | None,
        properties: Sequence[str] | None = None,
        **extra: Any,
    ) -> GetAllResult:
        """`type_name/get` of any number of ids: pieces of maxObjectsInGet run concurrently (within
        maxConcurrentRequests); the result keeps the order of `ids`."""
        session = await self.session()
        method = f"{type_name}/get"
        base: dict[str, Any] = {"accountId": session.account_id, **extra}
        if properties is not None:
            base["properties"] = list(properties)
        if ids is None:
            pieces: list[list[str] | None] = [None]
        else:
            unique = list(dict.fromkeys(ids))
            size = session.limits.max_objects_in_get
            pieces = [unique[i : i + size] for i in range(0, len(unique), size)]
        if not pieces:
            return GetAllResult()
        answers = await asyncio.gather(
            *(self.call_one(method, {**base, "ids": piece}) for piece in pieces)
        )
        found: dict[str, dict[str, Any]] = {}
        result = GetAllResult()
        states: set[object] = set()
        for answer in answers:
            objects, not_found = answer.get("list"), answer.get("notFound")
            if not isinstance(objects, list) or not all(
                isinstance(o, dict) and isinstance(o.get("id"), str) for o in objects
            ):
                raise InvalidResponse(f"{method}: list is not a list of objects with ids")
            if not_found is None:
                not_found = []
            if not isinstance(not_found, list) or not all(isinstance(i, str) for i in not_found):
                raise InvalidResponse(f"{method}: notFound is not a list of ids")
            states.add(answer.get("state"))
            result.not_found.extend(not_found)
            for obj in objects:
                found[obj["id"]] = obj
        if ids is None:
            result.extend(found.values())
        else:
            result.extend(found[i] for i in dict.fromkeys(ids) if i in found)
        only = states.pop() if len(states) == 1 else None
        result.state = only if isinstance(only, str) else None
        return result

    # Blobs and push (in their own modules) -------------------------------------------------------

    async def upload(
        self,
        source: Path | bytes | ChunkSource,
        type_: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> UploadedBlob:
        """Streams `source` (a file, bytes, or a ChunkSource) to the server; see blobs.upload."""
        from app.remote import blobs

        return await blobs.upload(self, source, type_, progress)

    async def download(
        self,
        blob_id: str,
        name: str,
        type_: str,
        dest: Path,
        progress: Callable[[int, int], None] | None = None,
    ) -> Path:
        from app.remote import blobs

        return await blobs.download(self, blob_id, name, type_, dest, progress)

    async def download_bytes(self, blob_id: str, name: str, type_: str, max_bytes: int) -> bytes:
        from app.remote import blobs

        return await blobs.download_bytes(self, blob_id, name, type_, max_bytes)

    def push(
        self,
        types: str | Sequence[str] = "*",
        ping: int = 30,
        *,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        on_drop: Callable[[], None] | None = None,
    ) -> AsyncGenerator[StateChange, None]:
        from app.remote import push

        return push.events(
            self,
            types,
            ping,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            on_drop=on_drop,
        )
