"""HTTP routes of the directory: FHIR read, search and metadata under DIRECTORY_PATH."""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from server.context import Sandbox, get_sandbox
from server.directory import fhir, services
from server.directory.search import MAX_DEPTH, NEAR_MAX_DEPTH, Search, SearchError, parse
from server.directory.store import DirectoryStore
from server.urls import DIRECTORY_PATH

router = APIRouter(prefix=DIRECTORY_PATH)
# Searches slower than SLOW_SEARCH_SECONDS are logged (resource type only, never the values);
# its own logger so a bench can silence it.
slow_log = logging.getLogger("server.directory.slow")
RESOURCES = ("Practitioner", "PractitionerRole", "Organization", services.RESOURCE)
SLOW_SEARCH_SECONDS = 0.04


def _fhir(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=fhir.FHIR_JSON)


def _guarded(sandbox: Sandbox, request: Request) -> JSONResponse | None:
    """Authentication, then the national API's rate limit (issue 14 §4): at most
    `directory_rate_limit` requests per second per application — its ESANTE-API-KEY, else its
    account — and 429 with Retry-After beyond. None: go on."""
    account = sandbox.auth.required(request)
    window = sandbox.directory.rate_window
    if window is None:
        return None
    api_key = request.headers.get("ESANTE-API-KEY")
    wait = window.hit(f"key:{api_key}" if api_key else f"account:{account.id}")
    if wait is None:
        return None
    response = _fhir(
        fhir.outcome(
            "throttled",
            f"At most {window.limit} requests per second; retry in {wait} s.",
        ),
        429,
    )
    response.headers["Retry-After"] = str(wait)
    return response


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + DIRECTORY_PATH


@router.get("/metadata")
def metadata(
    request: Request,
    sandbox: Sandbox = Depends(get_sandbox),  # noqa: B008
) -> JSONResponse:
    refused = _guarded(sandbox, request)
    if refused is not None:
        return refused
    return _fhir(fhir.capability_statement(_base(request), sandbox.config.directory_near))


@router.get("/{resource}")
def search(
    resource: str,
    request: Request,
    sandbox: Sandbox = Depends(get_sandbox),  # noqa: B008
) -> JSONResponse:
    refused = _guarded(sandbox, request)
    if refused is not None:
        return refused
    if resource not in RESOURCES:
        return _fhir(fhir.outcome("not-supported", f"Unknown resource type {resource!r}."), 404)
    try:
        parsed = parse(resource, request.query_params.multi_items(), sandbox.config.directory_near)
    except SearchError as exc:
        return _fhir(fhir.outcome("invalid", str(exc)), 400)
    if resource == services.RESOURCE:
        return _fhir(_services_bundle(sandbox, request, parsed))
    started = time.perf_counter()
    store = sandbox.directory
    with sandbox.db.read() as conn:
        page = store.search(conn, resource, parsed.query, parsed.paging.offset, parsed.paging.count)
        entries = _entries(store, conn, resource, page.keys, _base(request), page.distances)
        entries += _included(store, conn, resource, page.keys, parsed, _base(request))
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_SEARCH_SECONDS:
        slow_log.warning("slow directory search on %s: %.0f ms", resource, elapsed * 1000)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": [{"relation": "self", "url": str(request.url)}],
        "entry": entries,
    }
    next_offset = parsed.paging.offset + parsed.paging.count
    last = min(page.total, NEAR_MAX_DEPTH if parsed.query.near is not None else MAX_DEPTH)
    if parsed.paging.count > 0 and next_offset < last:
        kept = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("_offset", "_count")
        ]
        count = min(parsed.paging.count, last - next_offset)
        kept += [("_count", str(count)), ("_offset", str(next_offset))]
        bundle["link"].append(
            {"relation": "next", "url": f"{_base(request)}/{resource}?{urlencode(kept)}"}
        )
    if not entries:
        del bundle["entry"]
    return _fhir(bundle)


@router.get("/{resource}/{resource_id}")
def read(
    resource: str,
    resource_id: str,
    request: Request,
    sandbox: Sandbox = Depends(get_sandbox),  # noqa: B008
) -> JSONResponse:
    refused = _guarded(sandbox, request)
    if refused is not None:
        return refused
    if resource not in RESOURCES:
        return _fhir(fhir.outcome("not-supported", f"Unknown resource type {resource!r}."), 404)
    if resource == services.RESOURCE:
        team = services.get(sandbox, resource_id, str(request.base_url))
        if team is None:
            return _fhir(
                fhir.outcome("not-found", f"{resource}/{resource_id} does not exist."), 404
            )
        return _fhir(services.healthcare_service(team))
    store = sandbox.directory
    with sandbox.db.read() as conn:
        key = store.key_of(conn, resource, resource_id)
        if key is None:
            return _fhir(
                fhir.outcome("not-found", f"{resource}/{resource_id} does not exist."), 404
            )
        entry = _entries(store, conn, resource, [key], _base(request), {})[0]
    return _fhir(entry["resource"])


def _resources(
    store: DirectoryStore, conn: sqlite3.Connection, resource: str, keys: list[int]
) -> list[dict[str, Any]]:
    if resource == "Practitioner":
        return [fhir.practitioner(row) for row in store.practitioners(conn, keys)]
    if resource == "PractitionerRole":
        return [fhir.practitioner_role(row) for row in store.roles(conn, keys)]
    rows = store.organizations(conn, keys)
    boxes: dict[int, list[sqlite3.Row]] = {}
    for box in store.mailboxes(conn, keys):
        boxes.setdefault(int(box["organization_n"]), []).append(box)
    return [fhir.organization(row, boxes.get(int(row["n"]), [])) for row in rows]


def _entries(
    store: DirectoryStore,
    conn: sqlite3.Connection,
    resource: str,
    keys: list[int],
    base: str,
    distances: dict[int, float],
    mode: str = "match",
) -> list[dict[str, Any]]:
    entries = []
    for key, body in zip(keys, _resources(store, conn, resource, keys), strict=True):
        search: dict[str, Any] = {"mode": mode}
        if key in distances:
            search["extension"] = [
                {
                    "url": fhir.DISTANCE_EXTENSION,
                    "valueDistance": {
                        "value": round(distances[key], 3),
                        "unit": "km",
                        "system": "http://unitsofmeasure.org",
                        "code": "km",
                    },
                }
            ]
        entries.append(
            {"fullUrl": f"{base}/{resource}/{body['id']}", "resource": body, "search": search}
        )
    return entries


def _included(
    store: DirectoryStore,
    conn: sqlite3.Connection,
    resource: str,
    keys: list[int],
    parsed: Search,
    base: str,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if resource == "PractitionerRole" and parsed.include and keys:
        rows = store.roles(conn, keys)
        if "PractitionerRole:practitioner" in parsed.include:
            people = list(dict.fromkeys(int(r["practitioner_n"]) for r in rows))
            out += _entries(store, conn, "Practitioner", people, base, {}, "include")
        if "PractitionerRole:organization" in parsed.include:
            orgs = list(dict.fromkeys(int(r["organization_n"]) for r in rows))
            out += _entries(store, conn, "Organization", orgs, base, {}, "include")
    if resource == "Practitioner" and parsed.revinclude and keys:
        roles = store.roles_of_practitioners(conn, keys)
        out += _entries(store, conn, "PractitionerRole", roles, base, {}, "include")
    return out


def _services_bundle(sandbox: Sandbox, request: Request, parsed: Search) -> dict[str, Any]:
    """A searchset of équipes ressources (server/directory/services.py), one page of it."""
    teams = services.find(sandbox, parsed.query, str(request.base_url))
    offset, count = parsed.paging.offset, parsed.paging.count
    shown = teams[offset : offset + count]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(teams),
        "link": [{"relation": "self", "url": str(request.url)}],
    }
    if shown:
        bundle["entry"] = [
            {
                "fullUrl": f"{_base(request)}/{services.RESOURCE}/{t.id}",
                "resource": services.healthcare_service(t),
                "search": {"mode": "match"},
            }
            for t in shown
        ]
    if count > 0 and offset + count < len(teams):
        kept = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("_offset", "_count")
        ]
        kept += [("_count", str(count)), ("_offset", str(offset + count))]
        bundle["link"].append(
            {"relation": "next", "url": f"{_base(request)}/{services.RESOURCE}?{urlencode(kept)}"}
        )
    return bundle
