"""The JMAP Session resource (RFC 8620 §2), with the sandbox's regional capability.

docs/jmap-session.md says what an anonymous and an authenticated caller get, every field, and
where each limit is enforced. Every limit comes from the config or from the module enforcing it.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING, Any

from server import urls
from server.accounts import Account
from server.jmap import collation, delayed
from server.jmap.methods import CORE, MAIL, SUBMISSION, mailbox
from server.jmap.methods.email import SORT_OPTIONS
from server.jmap.methods.mdn import MDN
from server.jmap.methods.vacation import VACATION

if TYPE_CHECKING:
    from server.config import ServerConfig


def capabilities(config: ServerConfig, base_url: str) -> dict[str, Any]:
    return {
        CORE: {
            "maxSizeUpload": config.max_size_upload,
            "maxConcurrentUpload": config.max_concurrent_upload,
            "maxSizeRequest": config.max_size_request,
            "maxConcurrentRequests": config.max_concurrent_requests,
            "maxCallsInRequest": config.max_calls_in_request,
            "maxObjectsInGet": config.max_objects_in_get,
            "maxObjectsInSet": config.max_objects_in_set,
            "collationAlgorithms": list(collation.COLLATIONS),
        },
        MAIL: {},
        SUBMISSION: {},
        VACATION: {},
        # Issue 14 §1: the X-MSS-NIL of the deployment's messages ("" when it has none).
        urls.REGIONAL_CAPABILITY: {
            **urls.regional_capability(base_url),
            "mssProductReference": config.mss_product_reference,
        },
        **({MDN: {}} if config.jmap_mdn else {}),
    }


def account_capabilities(
    config: ServerConfig, account: Account | None = None, now: float | None = None
) -> dict[str, Any]:
    """The account's capabilities; its regional one gives the RPPS (Issue 14 §1: the author of
    the CDA documents the client writes). `now` dates FUTURERELEASE's latest release."""
    regional: dict[str, Any] = {"rpps": account.rpps} if account and account.rpps else {}
    return {
        MAIL: {
            "maxMailboxesPerEmail": mailbox.MAX_MAILBOXES_PER_EMAIL,
            "maxMailboxDepth": mailbox.MAX_MAILBOX_DEPTH,
            "maxSizeMailboxName": mailbox.MAX_SIZE_MAILBOX_NAME,
            "maxSizeAttachmentsPerEmail": config.attachments_limit,
            "emailQuerySortOptions": SORT_OPTIONS,
            "mayCreateTopLevelMailbox": mailbox.MAY_CREATE_TOP_LEVEL_MAILBOX,
        },
        # EHLO keywords of the submission MTA (RFC 8621 §1.3.2): DSN's envelope parameters
        # (RFC 3461) are honoured, SIZE says the per-recipient limit, FUTURERELEASE (RFC 4865)
        # holds a submission for up to maxDelayedSend seconds.
        SUBMISSION: {
            "maxDelayedSend": config.max_delayed_send,
            "submissionExtensions": {
                "DSN": [],
                "SIZE": [str(config.max_delivered_size)],
                **(
                    {
                        "FUTURERELEASE": delayed.extension_arguments(
                            config.max_delayed_send, time.time() if now is None else now
                        )
                    }
                    if config.max_delayed_send > 0
                    else {}
                ),
            },
        },
        VACATION: {},
        urls.REGIONAL_CAPABILITY: regional,
        **({MDN: {}} if config.jmap_mdn else {}),
    }


def session_state(config: ServerConfig, account: Account | None) -> str:
    """Changes whenever what the session says about the account or the limits changes."""
    basis = [
        capabilities(config, ""),
        # At a fixed time: FUTURERELEASE's latest date moves with the clock, the state must not.
        account_capabilities(config, account, now=0),
        [account.id, account.login, account.display_name, account.email] if account else None,
    ]
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:16]


def session(config: ServerConfig, account: Account | None, base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    accounts: dict[str, Any] = {}
    primary: dict[str, str] = {}
    if account is not None:
        accounts[account.id] = {
            "name": account.email,
            "isPersonal": True,
            "isReadOnly": False,
            "accountCapabilities": account_capabilities(config, account),
        }
        primary = {
            MAIL: account.id,
            SUBMISSION: account.id,
            VACATION: account.id,
            urls.REGIONAL_CAPABILITY: account.id,
        }
        if config.jmap_mdn:
            primary[MDN] = account.id
    return {
        "capabilities": capabilities(config, base),
        "accounts": accounts,
        "primaryAccounts": primary,
        "username": account.login if account else "",
        "apiUrl": base + urls.JMAP_API_PATH,
        "downloadUrl": base + urls.JMAP_DOWNLOAD_PATH,
        "uploadUrl": base + urls.JMAP_UPLOAD_PATH,
        "eventSourceUrl": base + urls.JMAP_EVENTSOURCE_PATH,
        "state": session_state(config, account),
    }
