"""A message attached to another (`message/rfc822`: a forward as attachment, from this app or
another client): its subject and sender, read from its headers, so that the reader can say what
it is before it is opened.

Only the header block is parsed (however large the attached documents), from the private copy
the reader already fetched to open it; the words come from another user and are shown as plain
text, without bidirectional controls."""

from __future__ import annotations

import asyncio
import email.policy
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.parser import BytesHeaderParser
from pathlib import Path

from app.text import strip_bidi

RFC822 = "message/rfc822"
_HEADER_BYTES = 256 * 1024  # more header than this is no message worth describing


@dataclass(frozen=True)
class Headline:
    subject: str
    sender: str  # "Dr Karim Benali <karim@…>", or the address alone; "" when none


def is_message(type_: str) -> bool:
    return type_.strip().lower() == RFC822


def headline(data: bytes) -> Headline:
    """The subject and sender of the message whose octets start with `data`."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    parsed = BytesHeaderParser(policy=email.policy.default).parsebytes(head)
    try:
        subject = str(parsed.get("subject", "") or "")
        senders = getattr(parsed.get("from"), "addresses", ())
    except (ValueError, TypeError, IndexError):  # a header beyond repair: say nothing of it
        return Headline("", "")
    sender = ""
    if senders and isinstance(senders[0], HeaderAddress):
        first = senders[0]
        sender = (
            f"{first.display_name} <{first.addr_spec}>" if first.display_name else first.addr_spec
        )
    return Headline(_one_line(subject), _one_line(sender))


async def read_headline(path: Path) -> Headline:
    """The headline of the attached message kept in `path` (read in a worker thread)."""

    def read() -> bytes:
        with path.open("rb") as f:
            return f.read(_HEADER_BYTES)

    return headline(await asyncio.to_thread(read))


def _one_line(text: str) -> str:
    return " ".join(strip_bidi(text).split())


__all__ = ["RFC822", "Headline", "headline", "is_message", "read_headline"]
