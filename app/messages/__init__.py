"""Every sentence the core says to the user, in one catalogue, so that the app can say it in the
user's language while the core stays Qt-free and the CLI stays French.

An entry is a `Message` (sentence.py): its French text (the source of the translation, with
`{named}` fields) and, once filled, the values of those fields. The entries are written in French
in one module per subject (connection.py, mail.py, regional.py) and read as `messages.NAME`;
`scripts/translations.py` hands those modules to lupdate (the `QT_TRANSLATE_NOOP` marker, context
"core"), so the entries reach `resources/translations/*.ts` beside the UI's strings. The UI
shows a core sentence through `ui.tasks.message_of` (or `ui.i18n.core_text`): the template is
translated first, then filled with values written the language's way (a date, a decimal number,
a nested message such as "3 minutes"). `Message.text()` without a language is the French
sentence: the CLI, the stored reasons of the outbox and the tests use it.

A sentence that a server wrote (the regional API explains its refusals), or that the UI already
translated, is no entry of ours: it travels as `Message.said(text)`, shown as it came, never
translated nor formatted.
"""

from __future__ import annotations

from app.messages import connection, mail, regional
from app.messages.connection import *  # noqa: F403 (the entries, as messages.NAME)
from app.messages.mail import *  # noqa: F403
from app.messages.regional import *  # noqa: F403
from app.messages.sentence import (
    CONTEXT,
    FRENCH,
    QT_TRANSLATE_NOOP,
    Language,
    Message,
    Number,
    Value,
    fields_of,
)

_MODULES = (connection, mail, regional)


def catalogue() -> dict[str, Message]:
    """Every entry of the catalogue, by its id (the name of its constant)."""
    return {
        name: value
        for module in _MODULES
        for name, value in vars(module).items()
        if isinstance(value, Message)
    }


__all__ = [
    "CONTEXT",
    "FRENCH",
    "QT_TRANSLATE_NOOP",
    "Language",
    "Message",
    "Number",
    "Value",
    "catalogue",
    "fields_of",
]
