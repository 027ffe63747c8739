"""Text that came from a server or another user: made safe to show and to use as a file name,
and folded to be compared with what the user types.

Bidirectional control characters let a sender make `ordonnance<U+202E>gpj.exe` look
like `ordonnanceexe.jpg`: what is shown must be what is saved and opened, so both go through
`strip_bidi`. Qt renders text as rich text when it merely looks like markup; the UI shows such
text as plain text (ui/plain.py), never through this module's output alone.

Every local search and lookup (a patient in the file active, a recipient, a document type read
from another sender, the order of a list) compares through the one `fold` below, so that what
matches in one list matches in all of them.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["BIDI_CONTROLS", "fold", "strip_bidi", "strip_invisible"]

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the left-to-right and
# right-to-left marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def strip_bidi(text: str) -> str:
    """`text` without bidirectional controls: shown in the order its characters are stored."""
    return _BIDI.sub("", text)


def strip_invisible(text: str) -> str:
    """`text` without format characters (Unicode category Cf: zero-width spaces and joiners, the
    byte-order mark, soft hyphens, bidirectional controls), which no address holds: text pasted
    from a web page, a document or a label's break points (ui/plain.py) may carry them unseen."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


# French letters that no Unicode decomposition takes apart, and the typographic apostrophe: typed
# "oe", "ae" and "'" on most keyboards (the regional directory folds them the same way).
_SPELLED_OUT = str.maketrans({"œ": "oe", "æ": "ae", "’": "'"})


def fold(text: str) -> str:
    """`text` as compared with what the user types: "Cœur  d’Hélène" → "coeur d'helene".

    What every caller needs, and why each step is there:
    - accents dropped (compatibility decomposition, then no combining marks): "helene" finds
      "Hélène", and the label "Synthese medicale" another sender typed is "Synthèse médicale";
    - case folded after that (`casefold`, so "ß" is "ss" and "Ⅻ" is "xii"), never before: a
      decomposition can give capitals back;
    - œ and æ written out, ’ as ': what a French keyboard types for them;
    - runs of white space as one space, none at the ends: labels typed by hand carry stray ones.
    Punctuation and hyphens stay: a caller that splits words says where (ui/composer/recipients.py
    splits names at hyphens and apostrophes; a patient's INS keeps its digits together)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().translate(_SPELLED_OUT).split())
