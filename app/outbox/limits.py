"""What the server accepts in one message, checked before a message is queued.

Two limits: each blob (each document, and the IHE_XDM.ZIP that holds them all again) must fit the
core capability's maxSizeUpload; all the attachments of one Email together must fit the mail
capability's maxSizeAttachmentsPerEmail (RFC 8621 §1.3.1). That one is an *account* capability,
counted in unencoded bytes — the sizes the user sees on disk, not the base64 on the wire — and
the parsed Session (app.remote.jmap) keeps only the server-wide capabilities, so it is read here
from the Session document itself, once per Session state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from app import logs, messages
from app.errors import CoreError
from app.message.mss import PATIENT_MAILBOX_MAX_BYTES
from app.message.patient import XDM_FILE_NAME
from app.messages import Message, Number
from app.remote.jmap import MAIL, JmapClient
from app.units import megabytes

log = logs.get("outbox")

# What an IHE_XDM.ZIP adds to its documents: METADATA.XML, INDEX.HTM, README.TXT, zip headers.
XDM_BASE_OVERHEAD = 64 * 1024
XDM_OVERHEAD_PER_DOCUMENT = 8 * 1024


@dataclass(frozen=True)
class SendLimits:
    max_size_upload: int
    max_size_attachments: int | None  # None: the server does not say


class MessageTooLarge(CoreError):
    """Refused before queueing: the server would not take it; the message says the sizes in Mo."""

    message = messages.MESSAGE_TOO_LARGE


def xdm_estimate(sizes: list[int]) -> int:
    """An upper bound of the IHE_XDM.ZIP of documents of these sizes (stored or deflated, a zip
    is never much larger than what it holds; a document wrapped in a CDA is base64 that deflate
    brings back to about 1.012 times the document, for incompressible ones: counted 1.02)."""
    total = sum(sizes)
    return total + total // 50 + XDM_BASE_OVERHEAD + XDM_OVERHEAD_PER_DOCUMENT * len(sizes)


def attachments_limit(document: object, account_id: str) -> int | None:
    """maxSizeAttachmentsPerEmail from a Session document: the account's mail capability, else
    the server-wide one; None when absent or not a positive integer (never an exception: this
    comes from the network)."""
    if not isinstance(document, dict):
        return None
    candidates: list[Any] = []
    accounts = document.get("accounts")
    if isinstance(accounts, dict):
        account = accounts.get(account_id)
        if isinstance(account, dict):
            capabilities = account.get("accountCapabilities")
            if isinstance(capabilities, dict):
                candidates.append(capabilities.get(MAIL))
    capabilities = document.get("capabilities")
    if isinstance(capabilities, dict):
        candidates.append(capabilities.get(MAIL))
    for mail in candidates:
        if not isinstance(mail, dict):
            continue
        value = mail.get("maxSizeAttachmentsPerEmail")
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


async def fetch_limits(jmap: JmapClient) -> SendLimits:
    """The limits of the current Session; NetworkError (ServerUnreachable) when it cannot be had."""
    session = await jmap.session()
    document = await session_document(jmap)
    limit = attachments_limit(document, session.account_id)
    if document is None:
        log.info("session limits unavailable: attachments total not checked")
    return SendLimits(session.limits.max_size_upload, limit)


async def session_document(jmap: JmapClient) -> object | None:
    """The Session document itself, for what the parsed Session leaves out (the account's own
    capabilities); None when it cannot be had (never an exception but ServerUnreachable)."""
    session = await jmap.session()
    try:
        response = await jmap.http.get(session.url)  # where the checked Session was found
        if response.status_code == 200:
            document: object = response.json()
            return document
    except (httpx.HTTPError, ValueError) as e:
        log.info("session document unavailable (%s)", type(e).__name__)
    return None


def check_sizes(documents: list[tuple[str, int]], with_xdm: bool, limits: SendLimits) -> None:
    """Raises MessageTooLarge when a document, the IHE_XDM.ZIP or all the attachments together
    are over what the server accepts. `documents` are (name, size) pairs."""
    upload = limits.max_size_upload
    for name, size in documents:
        if size > upload:
            raise MessageTooLarge(
                "a document is over maxSizeUpload",
                messages.DOCUMENT_TOO_LARGE.fill(name=name, size=_mb(size), limit=_mb(upload)),
            )
    sizes = [size for _, size in documents]
    xdm = xdm_estimate(sizes) if with_xdm and documents else 0
    if xdm > upload:
        raise MessageTooLarge(
            "the XDM package is over maxSizeUpload",
            messages.XDM_PACKAGE_TOO_LARGE.fill(
                package=XDM_FILE_NAME, size=_mb(xdm), limit=_mb(upload)
            ),
        )
    total = sum(sizes) + xdm
    limit = limits.max_size_attachments
    if limit is not None and total > limit:
        sizes_said = {"size": _mb(total), "limit": _mb(limit)}
        raise MessageTooLarge(
            "attachments over maxSizeAttachmentsPerEmail",
            messages.ATTACHMENTS_WITH_XDM_TOO_LARGE.fill(package=XDM_FILE_NAME, **sizes_said)
            if xdm
            else messages.ATTACHMENTS_TOO_LARGE.fill(**sizes_said),
        )


def check_patient_mailbox_size(sizes: list[int], with_xdm: bool) -> None:
    """MessageTooLarge when a message to a patient's mailbox would be over what Mon espace santé
    takes (25 Mo, its documents and their IHE_XDM.ZIP together, before encoding)."""
    total = sum(sizes) + (xdm_estimate(sizes) if with_xdm and sizes else 0)
    if total > PATIENT_MAILBOX_MAX_BYTES:
        raise MessageTooLarge(
            "over the patient mailbox limit",
            messages.PATIENT_MAILBOX_TOO_LARGE.fill(
                size=_mb(total), limit=_mb(PATIENT_MAILBOX_MAX_BYTES)
            ),
        )


def too_large_message(total: int | None, limit: int | None) -> Message:
    """The reason kept (in French) in the outbox row when the server answers `tooLarge`."""
    if total is not None and limit is not None:
        said = messages.REFUSED_TOO_LARGE_SIZE_LIMIT.fill(size=_mb(total), limit=_mb(limit))
    elif total is not None:
        said = messages.REFUSED_TOO_LARGE_SIZE.fill(size=_mb(total))
    else:
        said = messages.REFUSED_TOO_LARGE
    return said


def _mb(size: int) -> Number:
    """A size in Mo, as a number the sentence writes the language's way."""
    return Number(megabytes(size))
