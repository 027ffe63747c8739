"""Reading the trust space's whitelist (DESIGN §2.5): an XML document in the namespace
`https://listeblanche.mssante.fr/schema` whose `//Domaine/Nom` are the domains of the MSSanté
space. It comes from the network, so it is read as hostile: no DTD nor entity, bounded size,
depth and count, names that are not domains skipped; a document with no domain at all is an
error (an empty list would put every correspondent outside)."""

from __future__ import annotations

import re
from xml.parsers import expat

NAMESPACE = "https://listeblanche.mssante.fr/schema"
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_ELEMENTS = 1_000_000
_DOMAINE = NAMESPACE + "}Domaine"
_NOM = NAMESPACE + "}Nom"
# A domain name as mail addresses carry it (ASCII, IDNA-encoded): labels of letters, digits and
# hyphens, at least two of them.
_DOMAIN = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


class WhitelistError(ValueError):
    """The document is not a usable whitelist (the reason is technical: for the log)."""


def normalize_domain(domain: str) -> str:
    """A domain as compared: lower case, no surrounding spaces nor final dot."""
    return domain.strip().lower().rstrip(".")


def parse_whitelist(data: bytes) -> frozenset[str]:
    """The domains of the whitelist `data`; WhitelistError when it is not one."""
    if len(data) > MAX_BYTES:
        raise WhitelistError(f"too large ({len(data)} bytes)")
    parser = expat.ParserCreate(namespace_separator="}")
    path: list[str] = []
    count = 0
    text: list[str] = []
    domains: set[str] = set()

    def refuse(*_args: object) -> int:
        raise WhitelistError("DTD or entity")

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal count
        count += 1
        path.append(name)
        if len(path) > MAX_DEPTH or count > MAX_ELEMENTS:
            raise WhitelistError("too deep or too many elements")
        text.clear()

    def end(name: str) -> None:
        if name == _NOM and len(path) >= 2 and path[-2] == _DOMAINE:
            domain = normalize_domain("".join(text))
            if _DOMAIN.fullmatch(domain):
                domains.add(domain)
        path.pop()
        text.clear()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SkippedEntityHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise WhitelistError(f"not XML ({exc.code})") from None
    if not domains:
        raise WhitelistError("no domain")
    return frozenset(domains)


__all__ = ["NAMESPACE", "WhitelistError", "normalize_domain", "parse_whitelist"]
