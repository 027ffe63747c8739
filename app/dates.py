"""Dates in French words, written out by hand: the same on every machine, whatever its locale
(Qt's and the C library's French names vary with the installed locales). The core's sentences use
them too (a certificate "a expiré le 3 mars 2026"); ui/dates.py builds on them."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def day_number(day: dt.date) -> str:
    """'1er' for the first of the month, as French writes it; the number otherwise."""
    return "1er" if day.day == 1 else str(day.day)


def long_date(day: dt.date) -> str:
    """'27 novembre 2026'"""
    return f"{day_number(day)} {MONTHS[day.month - 1]} {day.year}"
