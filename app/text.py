"""Text that came from a server or another user, made safe to show and to use as a file name.

Bidirectional control characters let a sender make `ordonnance<U+202E>gpj.exe` look
like `ordonnanceexe.jpg`: what is shown must be what is saved and opened, so both go through
`strip_bidi`. Qt renders text as rich text when it merely looks like markup; the UI shows such
text as plain text (ui/plain.py), never through this module's output alone.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "strip_bidi"]

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the left-to-right and
# right-to-left marks (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def strip_bidi(text: str) -> str:
    """`text` without bidirectional controls: shown in the order its characters are stored."""
    return _BIDI.sub("", text)
