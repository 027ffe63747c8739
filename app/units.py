"""Sizes and numbers in French, written out by hand like `app.dates`: the same on every machine,
whatever its locale. One rule for a file's size (the composer's documents, a message's
attachments, the space offline documents take) and one for the megabytes of a server's limits, so
that a size reads the same on every screen and in the core's sentences."""

from __future__ import annotations

from app.dates import quantity

KIB = 1024
MIB = 1024 * 1024


def megabytes(size: int) -> str:
    """A size in Mo (MiB) the way a French user reads it: "25", "1,5", "0,001"."""
    value = size / MIB
    if value >= 10:
        text = f"{value:.0f}"
    elif value >= 0.1:
        text = f"{value:.1f}".removesuffix(".0")
    else:
        text = f"{value:.3g}"
    return text.replace(".", ",")


def file_size(size: int) -> str:
    """A size the French way: "850 octets", "1 octet", "12 Ko", "1,4 Mo", "25 Mo" (1 Ko = 1024
    octets; a Ko at the least once past the octets, no decimal from 10 Mo on)."""
    if size < KIB:
        return quantity(size, "octet")
    if size < MIB:
        return f"{max(1, round(size / KIB))} Ko"
    return f"{megabytes(size)} Mo"


def french_number(n: int) -> str:
    """1234 → '1 234': thousands apart by a narrow no-break space, as French typography wants."""
    return f"{n:,}".replace(",", "\u202f")
