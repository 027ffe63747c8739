"""Folding of names and free text so that searches ignore case, accents and punctuation."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """ "Hélène LEFÈVRE-d'Arc" → "helene lefevre d arc": lower case ASCII words, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_WORD.sub(" ", ascii_text).strip()


def words(text: str) -> list[str]:
    """The folded words of `text`: the only thing ever put into an FTS query (no operators)."""
    folded = fold(text)
    return folded.split() if folded else []


def prefix_query(text: str, column: str | None = None) -> str | None:
    """An FTS5 query where every word of `text` must start a word of the column, or None."""
    terms = words(text)
    if not terms:
        return None
    expr = " AND ".join(f'"{t}"*' for t in terms)
    return f"{column} : ({expr})" if column else expr
