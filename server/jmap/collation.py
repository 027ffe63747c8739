"""The collations a sort comparator may name (RFC 8620 §5.5, RFC 4790 registry).

The Session's `collationAlgorithms` is the list of COLLATIONS' keys, so what it advertises is
exactly what Email/query and Mailbox/query honour; any other name is `unsupportedSort`.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from typing import Any

from server.jmap.methods import MethodError

Key = Callable[[str], Any]


def _ascii_casemap(value: str) -> str:
    """RFC 4790 §9.2: only a-z are folded to A-Z; other characters compare by their octets."""
    return "".join(c.upper() if c.isascii() else c for c in value)


def _unicode_casemap(value: str) -> str:
    """RFC 5051: case folded then decomposed, so "é" ≡ "É" and "ﬁ" ≡ "fi"."""
    return unicodedata.normalize("NFKD", value.casefold())


def _octet(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


# Name → sort key.
COLLATIONS: dict[str, Key] = {
    "i;ascii-casemap": _ascii_casemap,
    "i;unicode-casemap": _unicode_casemap,
    "i;octet": _octet,
}
DEFAULT = "i;ascii-casemap"  # when a comparator names none (the RFC leaves it to the server)


def of(comparator: dict[str, Any], default: str = DEFAULT) -> str:
    """The comparator's collation; a name the server does not know is `unsupportedSort`
    (RFC 8620 §5.5: "...or a collation method it does not recognise")."""
    name = comparator.get("collation")
    if name is None:
        return default
    if not isinstance(name, str):
        raise MethodError("invalidArguments", "collation must be a string.")
    if name not in COLLATIONS:
        raise MethodError("unsupportedSort", f"Unsupported collation {name}.")
    return name


def sql_name(name: str) -> str:
    """The SQLite collation of `name` (registered on `conn` by `register`)."""
    return "jmap_" + name.split(";", 1)[1].replace("-", "_")


def register(conn: sqlite3.Connection) -> None:
    """Makes every collation usable as `COLLATE <sql_name>` on this connection."""
    for name, key in COLLATIONS.items():
        conn.create_collation(sql_name(name), _comparison(key))


def _comparison(key: Key) -> Callable[[str, str], int]:
    def compare(a: str, b: str) -> int:
        ka, kb = key(a), key(b)
        return -1 if ka < kb else int(ka > kb)

    return compare
