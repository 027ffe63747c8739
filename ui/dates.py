"""Dates in French words, written out by hand: the same on every machine, whatever its locale
(Qt's and the C library's French names vary with the installed locales). The month names and the
long date are the core's (app/dates.py), shared with its sentences."""

from __future__ import annotations

import datetime as dt

from app.dates import MONTHS, day_number, long_date

__all__ = [
    "MONTHS",
    "MONTHS_SHORT",
    "WEEKDAYS",
    "WEEKDAYS_SHORT",
    "day_number",
    "french_day",
    "long_date",
    "parse_birth_date",
]

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_SHORT = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
WEEKDAYS_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def french_day(moment: dt.date) -> str:
    """'jeudi 27 novembre 2026'"""
    weekday = WEEKDAYS[moment.weekday()]
    return f"{weekday} {day_number(moment)} {MONTHS[moment.month - 1]} {moment.year}"


def parse_birth_date(text: str) -> dt.date | None:
    """JJ/MM/AAAA (also with dots or dashes, or AAAA-MM-JJ); None when it is not a date."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
