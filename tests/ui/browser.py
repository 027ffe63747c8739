"""The system browser, intercepted: QDesktopServices hands http(s) URLs to a catcher."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices


class UrlCatcher(QObject):
    """Stands in for the system browser."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def browser() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)


def page_as_browser(url: str) -> httpx.Response:
    """What a browser shows for `url`: no credentials of ours, cookies kept, redirects followed
    (a portal code becomes a session cookie, then the page itself)."""
    with httpx.Client(follow_redirects=True, timeout=10) as client:
        return client.get(url)
