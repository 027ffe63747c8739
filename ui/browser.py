"""Handing a link or a document to the system's programs, and saying so on screen when nothing
could take it: `QDesktopServices.openUrl` only returns False when no browser or viewer is
installed for it, and a click that does nothing reads as a frozen app. One place for that, and
for the portal's pages opened signed in (a one-time code from `session.portal`, as "Mon
portail" does), so that the reader's patient banner and Mes patients open the same page the same
way, never the portal's login wall when the server can sign the user in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app.regional.links import help_url, patient_file_url
from app.regional.records import PortalCode
from ui import tasks
from ui.plain import plain_message_box

if TYPE_CHECKING:  # the login window uses this module before the core is loaded (ui/app.py)
    from app.session import AccountSession


def open_link(url: QUrl | str, parent: QWidget | None) -> bool:
    """`url` in the system's browser (or mail program, for mailto:); False, with a box that says
    so and offers to copy the link, when no program took it."""
    link = QUrl(url)
    if QDesktopServices.openUrl(link):
        return True
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Browser", "Lien"),
        QCoreApplication.translate("Browser", "Aucun navigateur n'a pu ouvrir ce lien."),
        QCoreApplication.translate(
            "Browser",
            "Installez un navigateur web ou choisissez-en un par défaut dans les paramètres de "
            "votre système, ou copiez le lien pour l'ouvrir vous-même : {url}",
        ).format(url=link.toString()),
    )
    copy = box.addButton(
        QCoreApplication.translate("Browser", "Copier le lien"), QMessageBox.ButtonRole.ActionRole
    )
    box.addButton(QMessageBox.StandardButton.Close)
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(link.toString()))
    box.open()
    return False


def document_kind(name: str) -> str:
    """What a user calls a document's type: its extension in capitals ("PDF", "JPG"); empty for
    a name without one."""
    suffix = Path(name).suffix.lstrip(".")
    return suffix.upper() if suffix else ""


def open_document(path: Path, parent: QWidget | None, save_as: Callable[[], None]) -> bool:
    """The document's private copy in the system's viewer; False, with a box that names its type
    and offers "Enregistrer sous…" (`save_as`), when no installed program opens it."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    kind = document_kind(path.name)
    text = (
        QCoreApplication.translate(
            "Browser",
            "Aucune application n'est installée pour ouvrir les fichiers {kind} sur cet "
            "ordinateur.",
        )
        if kind
        else QCoreApplication.translate(
            "Browser",
            "Aucune application n'est installée pour ouvrir ce document sur cet ordinateur.",
        )
    ).format(kind=kind)
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("Browser", "Ouvrir le document"),
        text,
        QCoreApplication.translate(
            "Browser",
            "Enregistrez-le pour l'ouvrir avec un autre programme ou le transmettre, ou "
            "installez une application qui lit ce type de fichier.",
        ),
    )
    save = box.addButton(
        QCoreApplication.translate("Browser", "Enregistrer sous…"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(QMessageBox.StandardButton.Close)
    save.clicked.connect(save_as)
    box.open()
    return False


def open_patient_file(
    session: AccountSession, ins: str, owner: QWidget, notify: Callable[[str], None]
) -> asyncio.Future[Any] | None:
    """The patient's file on the portal, signed in by a one-time code for that patient. Offline:
    `notify` says it is not available (None, nothing started). When the server gives no code,
    the file's plain address, where the user signs in."""
    urls = session.regional_urls
    if not session.online or urls is None or not ins:
        notify(
            QCoreApplication.translate(
                "Browser", "Le dossier du patient n'est pas disponible hors connexion."
            )
        )
        return None

    def opened(portal: PortalCode) -> None:
        if open_link(portal.url, owner):
            notify(
                QCoreApplication.translate(
                    "Browser", "Le dossier du patient s'ouvre dans votre navigateur."
                )
            )

    def fallback(_message: str) -> None:
        if open_link(patient_file_url(urls.patient_file_url_template, ins), owner):
            notify(
                QCoreApplication.translate(
                    "Browser", "Le dossier du patient s'ouvre dans votre navigateur."
                )
            )

    code = session.portal.code("mespatients", ins)
    return tasks.run(code, owner, opened, fallback, key="patient-file")


class HelpLink(QPushButton):
    """ "Aide" in a page's header: the FAQ's topic of that page (`page`, a key of
    app.regional.links.HELP_TOPICS) on the server's help page, in the browser. Hidden on a
    server that has no help page (Cyrus: no regional capability), as the regional pages are."""

    def __init__(self, session: AccountSession | None, page: str, parent: QWidget | None = None):
        super().__init__(QCoreApplication.translate("Browser", "Aide"), parent)
        self.setObjectName("helpLink")
        self.setProperty("link", True)  # drawn as a link on every page (resources/style.qss)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        urls = session.regional_urls if session is not None else None
        self.url = help_url(urls.help_url, page) if urls is not None and urls.help_url else None
        self.setToolTip(
            QCoreApplication.translate("Browser", "La réponse de la FAQ, dans votre navigateur")
        )
        self.setVisible(self.url is not None)
        self.clicked.connect(self._open)

    def _open(self) -> None:
        if self.url is not None:
            open_link(self.url, self)


__all__ = ["HelpLink", "document_kind", "open_document", "open_link", "open_patient_file"]
