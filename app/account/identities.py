"""Who I am on the server: my identities (JMAP Identity, RFC 8621 §6). The first is the address a
message goes from; all of them are mine, so that a reply to all never goes back to me; each may
carry the plain-text signature the server keeps for it (`textSignature`), which wins over the one
set in this app's settings.

Kept in the encrypted cache as JSON (the older form held addresses only, and still reads): a
message written offline after a restart goes out from the real address, signed the same. Text
from the server is kept as plain text, without bidirectional controls and without the carriage
returns a Windows server may send.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.store.records import Address
from app.text import strip_bidi

# What the app asks of each identity (Identity/get's `properties`).
PROPERTIES = ("name", "email", "textSignature")


@dataclass(frozen=True)
class Identity:
    address: Address
    text_signature: str = ""  # plain text, "" when the server keeps none


def _signature(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return strip_bidi(value.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")


def from_jmap(items: Iterable[Any]) -> list[Identity]:
    """Identities from Identity/get's list (or the kept JSON), skipping entries without an
    address."""
    found: list[Identity] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        email, name = item.get("email"), item.get("name")
        if not isinstance(email, str) or "@" not in email:
            continue
        address = Address(name if isinstance(name, str) and name else None, email)
        found.append(Identity(address, _signature(item.get("textSignature"))))
    return found


def to_json(identities: Sequence[Identity]) -> str:
    return json.dumps(
        [
            {"name": i.address.name, "email": i.address.email, "textSignature": i.text_signature}
            for i in identities
        ]
    )


def from_json(text: str | None) -> list[Identity]:
    """What `to_json` kept (or the older list of addresses); nothing when unreadable."""
    if not text:
        return []
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    return from_jmap(doc) if isinstance(doc, list) else []


def own_emails(identities: Sequence[Identity], login: str) -> frozenset[str]:
    """Every address that is mine, lower-cased: my identities', and the login when it is one."""
    mine = {i.address.email.strip().lower() for i in identities}
    if "@" in login:
        mine.add(login.strip().lower())
    return frozenset(mine)


def sending_first(identities: Sequence[Identity], email: str | None) -> list[Identity]:
    """The identity of `email` first (it sends), when it is one of mine; else as they are."""
    if email:
        wanted = email.strip().lower()
        chosen = [i for i in identities if i.address.email.strip().lower() == wanted]
        if chosen:
            return chosen[:1] + [i for i in identities if i is not chosen[0]]
    return list(identities)


__all__ = [
    "PROPERTIES",
    "Identity",
    "from_jmap",
    "from_json",
    "own_emails",
    "sending_first",
    "to_json",
]
