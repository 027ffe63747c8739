"""A sentence of the core for the user (`Message`): a French template with `{named}` fields and
their values, or a sentence already in the user's words (`Message.said`); written in French by
default (`text()`), in another language through a `Language` (its translation of the templates,
its dates, its decimal point). Qt-free: the UI supplies the translation (ui.i18n.core_text)."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Union

from app.dates import long_date

CONTEXT = "core"  # the context of the catalogue in the .ts files


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for lupdate, which reads this file; returns it as it is (no Qt here)."""
    return text


@dataclass(frozen=True)
class Number:
    """A decimal number as French writes it ("1,5"): another language swaps the decimal comma."""

    french: str


@dataclass(frozen=True)
class Language:
    """How a language writes a sentence of the core: its translation of the French templates, its
    dates, its decimal point."""

    translate: Callable[[str], str]
    date: Callable[[dt.date], str]
    decimal_point: str


def _as_written(template: str) -> str:
    return template


FRENCH = Language(translate=_as_written, date=long_date, decimal_point=",")


@dataclass(frozen=True)
class Message:
    """A sentence for the user: a French template of the catalogue and the values of its fields
    (`fill`), or a server's own sentence (`said`, shown as it came)."""

    template: str
    values: tuple[tuple[str, Value], ...] = ()
    verbatim: bool = False

    @classmethod
    def said(cls, text: str) -> Message:
        """A sentence already in the user's words (a server's, or one the UI translated itself):
        no entry of the catalogue, never translated nor formatted."""
        return cls(text, verbatim=True)

    @property
    def fields(self) -> frozenset[str]:
        """The names of the template's `{fields}`."""
        return fields_of(self.template)

    def fill(self, **values: Value) -> Message:
        """This entry with its fields' values (every field, nothing else: a mistake is a bug)."""
        if self.verbatim or set(values) != self.fields:
            raise ValueError(f"fields {sorted(self.fields)} expected, got {sorted(values)}")
        return replace(self, values=tuple(values.items()))

    def text(self, language: Language = FRENCH) -> str:
        """The sentence in `language` (French by default): the template translated, then filled."""
        if self.verbatim:
            return self.template
        written = {name: _written(value, language) for name, value in self.values}
        return language.translate(self.template).format_map(written)

    def __str__(self) -> str:
        return self.text()


Value = Union[str, int, dt.date, Number, Message]  # noqa: UP007 (an alias evaluated at import)


def _written(value: Value, language: Language) -> str:
    if isinstance(value, Message):
        return value.text(language)
    if isinstance(value, Number):
        return value.french.replace(",", language.decimal_point)
    if isinstance(value, dt.date):
        return language.date(value)
    return str(value)


def fields_of(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
