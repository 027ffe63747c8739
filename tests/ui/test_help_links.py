"""The "Aide" link of each page (issue 13 §5): a click asks ui/browser to open the server's help
page at that page's FAQ topic; on a server without a help page (Cyrus) there is no link."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.regional.links import HELP_TOPICS
from app.session import AccountSession
from tests.ui import mail_helpers
from ui import browser, theme
from ui.desktop.settings_dialog import SettingsDialog
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

window = mail_helpers.window  # fixtures


def the_help_link(page: QWidget) -> browser.HelpLink:
    links = page.findChildren(browser.HelpLink)
    assert len(links) == 1
    return links[0]


def drawn_as_link(link: browser.HelpLink) -> bool:
    """Drawn as the link it is, with the app's style sheets: no button's frame nor fill (its top
    edge and the inside of its padding have the colour of the page just above it), its text in
    the links' blue."""
    top = link.window()
    shot = top.grab().toImage()
    corner = link.mapTo(top, QPoint(0, 0))
    x, y = corner.x() + link.width() // 2, corner.y()
    page = shot.pixelColor(x, y - 1)
    frameless = shot.pixelColor(x, y) == page and shot.pixelColor(x, y + 2) == page
    colours = (
        shot.pixelColor(corner.x() + dx, corner.y() + dy)
        for dx in range(link.width())
        for dy in range(link.height())
    )
    blue = any(c.blue() - c.red() > 80 and c.green() - c.red() > 40 for c in colours)
    return frameless and blue


def page_of(window: MainWindow, key: str) -> QWidget:
    if key == "mail":
        return window.conversations
    window.show_page(key)
    page = window.pages.currentWidget()
    assert page is window.regional.page(key)
    return page


@pytest.mark.parametrize("key", sorted(set(HELP_TOPICS) - {"settings"}))
def test_aide_on_each_page_opens_its_faq_topic(
    qtbot: QtBot, window: MainWindow, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(browser, "open_link", lambda url, _parent: opened.append(url) or True)
    window.setStyleSheet(theme.style_sheet())
    link = the_help_link(page_of(window, key))
    assert link.isVisible()
    assert link.text() == "Aide"
    assert drawn_as_link(link)  # not a button, whatever the page's own sheet says of buttons
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    urls = window.session.regional_urls
    assert urls is not None
    assert opened == [f"{urls.help_url}#{HELP_TOPICS[key]}"]
    assert opened[0].startswith(window.session.account.ref.server_url.rstrip("/") + "/portal/aide#")


def test_aide_in_the_settings_opens_the_connection_topic(
    qtbot: QtBot, ui_session: AccountSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(browser, "open_link", lambda url, _parent: opened.append(url) or True)
    dialog = SettingsDialog(ui_session)
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(theme.style_sheet())
    dialog.show()
    link = the_help_link(dialog)
    assert link.isVisible()
    assert drawn_as_link(link)
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert opened == [f"{ui_session.regional_urls.help_url}#{HELP_TOPICS['settings']}"]  # type: ignore[union-attr]


def test_no_aide_link_without_the_servers_help_page(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    urls = ui_session.regional_urls
    assert urls is not None
    ui_session.regional_urls = replace(urls, help_url=None)  # a server that does not serve one
    without_page = browser.HelpLink(ui_session, "patients")
    qtbot.addWidget(without_page)
    assert without_page.url is None
    assert without_page.isHidden()
    ui_session.regional_urls = None  # Cyrus: no regional capability at all
    cyrus = browser.HelpLink(ui_session, "mail")
    qtbot.addWidget(cyrus)
    assert cyrus.url is None
    assert cyrus.isHidden()
    ui_session.regional_urls = urls
