"""Dates and counts in French, written out by hand: the same on every machine, whatever its locale
(Qt's and the C library's French names vary with the installed locales). The one place for them:
the core's sentences (a certificate "a expiré le 3 mars 2026", "réessayez dans 2 minutes") and
every screen use these, so that a date or a count reads the same everywhere."""

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


def short_date(day: dt.date, this_year: int | None = None) -> str:
    """'24 nov.' this year (today's, unless `this_year` says), '24 nov. 2025' another year."""
    text = f"{day.day} {MONTHS_SHORT[day.month - 1]}"
    return text if day.year == (this_year or dt.date.today().year) else f"{text} {day.year}"


def compact_date(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """A list's date, in local time: today the time ('14:05'), this year the day ('24/11'),
    before the day and the year ('24/11/25')."""
    local = moment.astimezone()
    now = (now or dt.datetime.now().astimezone()).astimezone(local.tzinfo)
    if local.date() == now.date():
        return f"{local:%H:%M}"
    if local.year == now.year:
        return f"{local:%d/%m}"
    return f"{local:%d/%m/%y}"


def numeric_datetime(moment: dt.datetime) -> str:
    """'24/11/2026 à 14:05', in local time: when a message was sent, as its header says it."""
    local = moment.astimezone()
    return f"{numeric_date(local)} à {local:%H:%M}"


def clock(moment: dt.datetime) -> str:
    """'09 h 05'"""
    return f"{moment:%H} h {moment:%M}"


def french_hours(start: dt.datetime, end: dt.datetime) -> str:
    """'09 h 40 – 10 h 00'"""
    return f"{clock(start)} – {clock(end)}"


def long_datetime(moment: dt.datetime) -> str:
    """'le 24 novembre 2026 à 14 h 05'"""
    return f"le {long_date(moment)} à {clock(moment)}"


def numeric_date(day: dt.date) -> str:
    """'12/03/1985' (JJ/MM/AAAA), as a birth date is written on French documents."""
    return f"{day:%d/%m/%Y}"


def parse_birth_date(text: str) -> dt.date | None:
    """JJ/MM/AAAA (also with dots or dashes, or AAAA-MM-JJ); None when it is not a date."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def quantity(count: int, noun: str) -> str:
    """'1 minute', '2 minutes', '0 seconde': French puts the plural from 2 on (0 and 1 are
    singular). `noun` is one whose plural takes an s."""
    return f"{count} {noun}{'s' if count > 1 else ''}"


def hours_minutes(minutes: int) -> str:
    """'2 h', '1 h 30', '45 min': a delay as the settings and the lock banner write it."""
    hours, rest = divmod(max(0, minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
