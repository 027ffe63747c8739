"""Checks of what users type: INS, mobile numbers, names to search (pure functions)."""

from __future__ import annotations

import re
import unicodedata

# INS OIDs (DESIGN §2.5). Synthetic patients always carry a test OID, so they can never pass for
# real ones.
INS_NIR_OID = "1.2.250.1.213.1.4.8"
INS_NIA_OID = "1.2.250.1.213.1.4.9"
INS_NIR_TEST_OID = "1.2.250.1.213.1.4.10"
INS_NIA_TEST_OID = "1.2.250.1.213.1.4.11"
INS_OIDS = (INS_NIR_OID, INS_NIA_OID, INS_NIR_TEST_OID, INS_NIA_TEST_OID)

_INS_RE = re.compile(r"^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$")
_MOBILE_RE = re.compile(r"^(?:\+33|0033|0)([67]\d{8})$")


def nir_key(nir: str) -> int:
    """The 2-digit key of a 13-character NIR: 97 - (n mod 97); Corsica's 2A/2B count as 19/18."""
    digits = nir.upper().replace("2A", "19", 1).replace("2B", "18", 1)
    return 97 - int(digits) % 97


def normalize_ins(value: str) -> str | None:
    """The INS as 15 characters (spaces dropped), or None when its format or key is wrong."""
    ins = re.sub(r"[\s.]", "", value).upper()
    if not _INS_RE.match(ins):
        return None
    if nir_key(ins[:13]) != int(ins[13:]):
        return None
    return ins


def ihe_patient_id(ins: str, oid: str) -> str:
    """The IHE way of writing a patient id (CX): `{INS}^^^&{OID}&ISO`."""
    return f"{ins}^^^&{oid}&ISO"


def normalize_mobile(value: str) -> str | None:
    """A French mobile (06…, 07…, +33 6…) in international form `+336…`, else None."""
    compact = re.sub(r"[\s.\-()]", "", value)
    match = _MOBILE_RE.match(compact)
    return "+33" + match.group(1) if match else None


def fold(text: str) -> str:
    """Lower case without accents, so that "Hélène" matches "helene" and "HELENE"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("-", " ").replace("'", " ").split())


def name_key(text: str) -> str:
    """A name as the patient directory compares it: folded, letters and digits only, so that
    "Le Gall", "LE-GALL", "legall" (and "O’Neil", "O'NEIL") are the same name."""
    return "".join(c for c in fold(text) if c.isalnum())


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(word: str) -> str:
    """A LIKE pattern matching `word` anywhere, with LIKE's metacharacters escaped (ESCAPE '\\')."""
    return f"%{_like_escaped(word)}%"


def like_prefix(word: str) -> str:
    """A LIKE pattern matching what starts with `word` (ESCAPE '\\')."""
    return f"{_like_escaped(word)}%"


_EMAIL_RE = re.compile(
    r"^[^@\s<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def is_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL_RE.match(value))


def safe_filename(name: str) -> str:
    """A file name kept as the user gave it, minus any path and control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip().strip(".")
    return cleaned[:200] or "document"
