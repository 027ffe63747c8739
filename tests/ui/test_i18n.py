"""Translations: every tr() string of ui/ has a finished English translation in
resources/translations/monsisra_en.ts (a new string without one fails with the list of what is
missing), and so has every string the main screens really look up when rendered (which also
catches tr() of a variable, invisible to lupdate); no tr() text is built at run time;
translations keep the source's placeholders, accelerators and markup; refreshing the .ts keeps
them; the app follows the `language` setting: English when chosen, French (the source) by
default and when a language's .qm is missing."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import logging
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app import messages as catalogue
from app import settings as settings_mod
from app.errors import CoreError
from app.events import CacheRebuilt, ConnectionChanged
from app.messages import Message
from app.outbox.limits import MessageTooLarge, SendLimits, check_sizes
from app.regional.errors import RegionalError
from app.remote.auth import LoginRejected, LoginThrottled
from app.remote.http import CertificateExpired
from app.remote.tls import CertificateFacts
from app.session import AccountSession
from scripts import translations
from tests.ui.conftest import run_sync
from tests.ui.test_login_window import closed_port
from ui import i18n, screenshots, tasks
from ui.app import install_translations
from ui.login.window import LoginWindow
from ui.plain import plain_tooltip
from ui.shell.main_window import MainWindow

EN_TS = translations.TRANSLATIONS / "monsisra_en.ts"
Key = tuple[str, str, str]  # context, French source, disambiguation comment

PLACEHOLDER = re.compile(r"%L?\d+|%n|%p|\{[^{}]*\}")
ACCELERATOR = re.compile(r"&(?![&#]|[A-Za-z]+;)(?=\w)")  # "&Fichier", not "&&" nor "&nbsp;"
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# The offscreen platform (tests only) cannot raise a window: true, and not a bug of ours.
OFFSCREEN_RAISE = pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")


def messages(ts: Path) -> dict[Key, str | None]:
    """Every message of `ts`: its translation, or None while it is unfinished (or vanished)."""
    root = ET.parse(ts).getroot()  # noqa: S314 (our own file, from lupdate)
    out: dict[Key, str | None] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            translation = message.find("translation")
            if translation is None or translation.get("type") is not None:
                out[key] = None  # unfinished, vanished or obsolete
                continue
            forms = [form.text or "" for form in translation]  # plural forms, when numerus
            text = "\n".join(forms) if forms else (translation.text or "")
            out[key] = text if text.strip() else None
    return out


def shown(key: Key) -> str:
    context, source, comment = key
    return f"  {context}: «{source}»" + (f" ({comment})" if comment else "")


@pytest.fixture(scope="module")
def from_code(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, str | None]:
    """The strings of ui/ as lupdate finds them today, in a .ts of their own."""
    fresh = tmp_path_factory.mktemp("lupdate") / "fresh_en.ts"
    translations.extract(fresh, "en")
    return messages(fresh)


def test_every_string_of_the_code_has_a_finished_english_translation(
    from_code: dict[Key, str | None],
) -> None:
    assert len(from_code) > 100  # lupdate really read ui/
    committed = messages(EN_TS)
    missing = sorted(key for key in from_code if committed.get(key) is None)
    assert not missing, (
        f"{len(missing)} string(s) of ui/ without an English translation in {EN_TS.name} "
        "(run `make translations`, then translate them in the .ts):\n"
        + "\n".join(shown(key) for key in missing)
    )


def test_translations_keep_placeholders_accelerators_and_markup() -> None:
    wrong = []
    for key, english in messages(EN_TS).items():
        source = key[1]
        if english is None:
            continue
        for pattern in (PLACEHOLDER, ACCELERATOR, TAG):
            if Counter(pattern.findall(source)) != Counter(pattern.findall(english)):
                wrong.append(f"{shown(key)} → «{english}»")
                break
    assert not wrong, (
        "translations that lost or changed a placeholder, accelerator or markup:\n"
        + "\n".join(wrong)
    )


def tr_text(call: ast.Call) -> ast.expr | None:
    """The text argument of a tr(text) or translate(context, text) call, else None."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    position = {"tr": 0, "translate": 1}.get(name)
    return call.args[position] if position is not None and len(call.args) > position else None


def test_no_tr_text_is_built_at_run_time() -> None:
    """lupdate reads literals only: an f-string, a concatenation or a format inside tr() is never
    translated (translate the literal, then format: tr("{n} résultats").format(n=…))."""
    built = []
    for path in translations.ui_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = tr_text(node) if isinstance(node, ast.Call) else None
            formatted = (
                isinstance(text, ast.Call)
                and isinstance(text.func, ast.Attribute)
                and text.func.attr == "format"
            )
            if isinstance(text, ast.JoinedStr | ast.BinOp) or formatted:
                built.append(f"  {path.relative_to(translations.ROOT)}:{node.lineno}")
    assert not built, "tr() of a text built at run time:\n" + "\n".join(built)


def test_refreshing_the_ts_keeps_every_translation(
    tmp_path: Path, from_code: dict[Key, str | None]
) -> None:
    copy = tmp_path / "monsisra_en.ts"
    shutil.copyfile(EN_TS, copy)
    translations.extract(copy, "en")
    before, after = messages(EN_TS), messages(copy)
    assert set(after) == set(from_code)
    kept = {key: text for key, text in before.items() if key in from_code and text is not None}
    assert kept
    assert {key: after[key] for key in kept} == kept


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where monsisra_en.qm is: the one `make` built when it is up to date, else compiled here."""
    built = i18n.qm_path("en")
    if built.is_file() and built.stat().st_mtime >= EN_TS.stat().st_mtime:
        return built.parent
    folder = tmp_path_factory.mktemp("qm")
    translations.compile_ts(EN_TS, translations.qm_for(EN_TS, folder))
    return folder


@pytest.fixture
def start_in(
    qapp: QApplication, qm_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[[str], Path]]:
    """`start_in(language)`: the app's start-up translations for that `language` setting, with
    settings of the test's own (their data root is returned); the translators and the default
    locale are put back after the test."""
    monkeypatch.setattr(settings_mod, "_state", settings_mod.State())
    monkeypatch.setattr(i18n, "translations_dir", lambda: qm_dir)
    root = tmp_path / "client"
    settings_mod.use(root)
    settings_mod.override(server_url=f"http://127.0.0.1:{closed_port()}")
    previous = QLocale()
    installed: list[QTranslator] = []

    def start(language: str) -> Path:
        settings_mod.override(language=language)
        installed.extend(install_translations(qapp))
        return root

    yield start
    i18n.uninstall(qapp, installed)
    QLocale.setDefault(previous)


def offline_login_window(qtbot: QtBot, root: Path) -> LoginWindow:
    """The login window, shown, once it has found that the server does not answer."""
    window = LoginWindow(root)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.server_reachable is False, timeout=10_000)
    return window


def field_labels(window: LoginWindow) -> list[str]:
    """The password form's labels (the Pro Santé Connect steps' are hidden: no PSC offered)."""
    labels = window.findChildren(QLabel, "fieldLabel")
    return [label.text() for label in labels if label.isVisibleTo(window)]


def test_with_english_chosen_the_login_window_speaks_english(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, start_in: Callable[[str], Path]
) -> None:
    window = offline_login_window(qtbot, start_in("en"))
    assert window.windowTitle() == "Sign in — MonSisra bureau"
    assert field_labels(window) == ["Server", "Username", "Password"]
    assert window.submit_button.text() == "Sign in"
    assert window.remember_box.text() == "Remember me"
    assert window.offline_banner.text.text() == (
        "Offline mode: the server is not responding. Check your Internet connection."
    )
    assert QLocale().language() == QLocale.Language.English


def test_french_by_default_with_qt_own_strings_in_french(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, start_in: Callable[[str], Path]
) -> None:
    window = offline_login_window(qtbot, start_in(settings_mod.Settings().language))
    assert field_labels(window) == ["Serveur", "Identifiant", "Mot de passe"]
    assert window.submit_button.text() == "Se connecter"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    assert QLocale().language() == QLocale.Language.French


def test_a_language_without_its_qm_falls_back_to_french_with_a_warning(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    start_in: Callable[[str], Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="monsisra.ui.i18n"):
        root = start_in("de")
    assert "monsisra_de.qm" in caplog.text
    window = offline_login_window(qtbot, root)
    assert window.submit_button.text() == "Se connecter"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    assert QLocale().language() == QLocale.Language.French


class LookupSpy(QTranslator):
    """Installed last (so asked first), records every lookup and answers none of them: what the
    screens really ask for, including strings that lupdate cannot see (tr() of a variable)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, set[str]] = {}  # source → the contexts it was looked up in

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if not QT_CONTEXT.match(context):
            self.seen.setdefault(source, set()).add(context)
        return None  # the next translator answers

    def isEmpty(self) -> bool:
        return False

    def untranslated(self, ts: dict[Key, str | None]) -> list[Key]:
        """Lookups found under none of their contexts (PySide's tr() also tries base classes)."""
        done = {(context, source) for (context, source, _), text in ts.items() if text is not None}
        return sorted(
            (min(contexts), source, "")
            for source, contexts in self.seen.items()
            if source.strip() and not any((c, source) in done for c in contexts)
        )


QT_CONTEXT = re.compile(r"Q[A-Z]")  # Qt's own classes (QWidget, QPlatformTheme…)


@OFFSCREEN_RAISE
def test_every_string_the_screens_look_up_has_an_english_translation(
    qtbot: QtBot,
    qapp: QApplication,
    ui_session: AccountSession,
    start_in: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    start_in("en")
    spy = LookupSpy()
    qapp.installTranslator(spy)
    try:
        saved = run_sync(
            qtbot,
            screenshots.render_session_screens(ui_session, tmp_path, report=lambda _: None),
            timeout=120_000,
        )
    finally:
        qapp.removeTranslator(spy)
    assert len(saved) == len(screenshots.SESSION_SCREENS)
    assert len(spy.seen) > 50
    missing = spy.untranslated(messages(EN_TS))
    assert not missing, (
        f"{len(missing)} string(s) shown by the screens without an English translation; those "
        "lupdate cannot see come from tr()/translate() of a variable (mark the text with "
        "QT_TRANSLATE_NOOP, or call QCoreApplication.translate with the literal):\n"
        + "\n".join(shown(key) for key in missing)
    )


# --- The core's sentences (app/messages/, context "core") ----------------------------------------


def test_every_core_sentence_has_an_english_translation_that_keeps_its_fields() -> None:
    committed = messages(EN_TS)
    entries = catalogue.catalogue()
    assert len(entries) > 100
    missing, wrong = [], []
    for name, entry in entries.items():
        english = committed.get((catalogue.CONTEXT, entry.template, ""))
        if english is None:
            missing.append(f"  {name}: «{entry.template}»")
        elif catalogue.fields_of(english) != entry.fields:
            wrong.append(f"  {name}: «{english}»")
    assert not missing, "core sentences without an English translation:\n" + "\n".join(missing)
    assert not wrong, "English core sentences whose fields differ:\n" + "\n".join(wrong)


async def _fails(error: CoreError) -> None:
    raise error


def said_through_a_task(qtbot: QtBot, error: CoreError) -> str:
    """What a page shows when its background work fails with `error`."""
    owner = QObject()
    said: list[str] = []
    tasks.run(_fails(error), owner, on_error=said.append)
    qtbot.waitUntil(lambda: bool(said))
    return said[0]


def test_a_core_error_reaches_the_user_in_english_through_message_of(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, start_in: Callable[[str], Path]
) -> None:
    start_in("en")
    assert said_through_a_task(qtbot, LoginRejected("401")) == "Incorrect username or password."
    assert said_through_a_task(qtbot, LoginThrottled(90)) == (
        "Too many failed sign-in attempts. Try again in 2 minutes."
    )
    expired = CertificateExpired.with_facts(
        CertificateFacts(
            not_before=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            not_after=dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
            names=("mss.example",),
            subject="CN=mss.example",
            issuer="CN=mss.example",
            self_signed=True,
        ),
        dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
    )
    assert tasks.message_of(expired).startswith(
        "The server's security certificate expired on 1 March 2027: the connection was refused"
    )
    with pytest.raises(MessageTooLarge) as too_large:
        check_sizes([("scanner.pdf", 1_150_000)], False, SendLimits(200_000, None))
    assert tasks.message_of(too_large.value) == (
        "The document “scanner.pdf” is 1.1 MB: the server accepts at most 0.2 MB per attachment."
    )
    server_said = RegionalError("HTTP 409", Message.said("Limite atteinte : 4 par an."))
    assert tasks.message_of(server_said) == "Limite atteinte : 4 par an."  # the server's words
    assert tasks.message_of(KeyError("x")) == (
        "An unexpected error occurred. The details are in the Log."
    )


def test_in_french_message_of_says_the_core_s_french_sentence(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, start_in: Callable[[str], Path]
) -> None:
    start_in("fr")
    throttled = LoginThrottled(90)
    assert said_through_a_task(qtbot, throttled) == throttled.message_fr
    assert throttled.message_fr.endswith("Réessayez dans 2 minutes.")
    with pytest.raises(MessageTooLarge) as too_large:
        check_sizes([("scanner.pdf", 1_150_000)], False, SendLimits(200_000, None))
    assert tasks.message_of(too_large.value) == too_large.value.message_fr
    assert "1,1 Mo" in tasks.message_of(too_large.value)


def test_the_core_s_news_reach_the_screen_in_english_too(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    start_in: Callable[[str], Path],
    ui_session: AccountSession,
) -> None:
    """Not only errors: why the connection was lost (status bar) and why the cache was rebuilt
    (a notice) travel as catalogue sentences and are said in the app's language."""
    start_in("en")
    window = MainWindow(ui_session, restore_drafts=False)
    qtbot.addWidget(window)
    window.show()
    ui_session.bus.publish(ConnectionChanged(False, catalogue.OFFLINE_CACHE_READABLE))
    qtbot.waitUntil(
        lambda: "cached messages can still be read" in window.status.connection.toolTip()
    )
    assert window.status.connection.toolTip() == plain_tooltip(
        "Server unreachable: the cached messages can still be read."
    )
    ui_session.bus.publish(CacheRebuilt(catalogue.CACHE_REBUILT))
    qtbot.waitUntil(lambda: window.status.currentMessage().startswith("The local cache was"))
    window.close()
