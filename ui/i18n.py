"""The language of the desktop app (the `language` setting, applied at start-up).

Our strings are written in French in tr(): French is the source language and needs no translator
of ours, only Qt's own French strings (standard buttons, the context menus of text fields).
Another language loads resources/translations/monsisra_<lang>.qm, compiled at build time by
scripts/translations.py, with Qt's own qtbase_<lang>. A language without its .qm falls back to
French with a warning: a missing file never stops the app.

The core's sentences (app.messages, Qt-free) are in the same .ts, context "core": `core_text`
translates their template there, then fills its fields the language's way.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTranslator

from app import messages
from app.messages import Message
from ui import theme

log = logging.getLogger("monsisra.ui.i18n")

SOURCE_LANGUAGE = "fr"
# Dates and numbers follow the language (QLocale's default); English as written in Europe.
LOCALES = {
    "fr": (QLocale.Language.French, QLocale.Country.France),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def translations_dir() -> Path:
    return theme.resources_dir() / "translations"


def qm_path(language: str, folder: Path | None = None) -> Path:
    return (folder or translations_dir()) / f"monsisra_{language}.qm"


def install(app: QCoreApplication, language: str, folder: Path | None = None) -> list[QTranslator]:
    """Installs the translators of `language` (French when it cannot be honoured) and makes it
    the default locale. Returns the translators: keep them alive, `uninstall` removes them."""
    installed: list[QTranslator] = []
    if language != SOURCE_LANGUAGE:
        ours = QTranslator(app)
        path = qm_path(language, folder)
        if path.is_file() and ours.load(str(path)):
            installed.append(ours)
        else:
            log.warning("no translation file %s: the app stays in French", path.name)
            language = SOURCE_LANGUAGE
    qt_own = _qt_translator(app, language)
    if qt_own is not None:
        installed.insert(0, qt_own)
    for translator in installed:
        app.installTranslator(translator)
    QLocale.setDefault(_locale(language))
    log.info("language: %s", language)
    return installed


def plural(n: int, one: str, many: str) -> str:
    """Of two sentences already translated, the one `n` calls for in the app's language: French
    puts the singular on 0 and 1 ("0 résultat", "1 résultat", "2 résultats"), English on 1 only.
    Never "résultat(s)": the caller writes both forms, then fills the one returned."""
    french = QLocale().language() == QLocale.Language.French
    return one if n == 1 or (n == 0 and french) else many


def uninstall(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def core_text(message: Message) -> str:
    """A sentence of the core in the app's language: its template translated (context "core"),
    then filled, dates and decimals written the way of the app's locale. Untranslated (French,
    the source), it is the core's own French sentence, word for word what the CLI says."""
    if message.verbatim or _core_translation(message.template) == message.template:
        return message.text()
    locale = QLocale()
    return message.text(
        messages.Language(
            translate=_core_translation,
            date=lambda day: locale.toString(QDate(day.year, day.month, day.day), "d MMMM yyyy"),
            decimal_point=locale.decimalPoint(),
        )
    )


def _core_translation(template: str) -> str:
    return QCoreApplication.translate(messages.CONTEXT, template)


def _qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own strings in `language` (shipped with PySide6), or None (Qt's English then)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in (f"qtbase_{language}", f"qt_{language}"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            return translator
    return None


def _locale(language: str) -> QLocale:
    known = LOCALES.get(language)
    return QLocale(*known) if known is not None else QLocale(language)
