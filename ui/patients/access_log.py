"""The "Journal des accès" of a patient's record: who saw the patient (name and profession, from
the directory), when, and what they did — found by a search, read the record or its care team,
opened it on the portal, followed it (and why), stopped following it, created it, filed a
document in it, listed or opened its documents.

The regional directory keeps it (issue 9 §8) and shows it only to the professionals who follow
the patient, so the panel asks for it only for a followed patient and says why otherwise. It
reads it a page at a time, newest first; "Afficher les accès plus anciens" fetches the next.
Everything in it comes from the server and is painted as plain text. It is read through
`session.patients`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dates import numeric_date
from app.regional.records import AccessLogEntry, AccessLogPage, Patient
from app.session import AccountSession
from ui import tasks
from ui.card_delegate import CardFonts, CardList, paint_lines
from ui.palette import MUTED, TEXT
from ui.patients.delegates import TextCard
from ui.patients.widgets import say
from ui.plain import PlainLabel, plain_text, plain_tooltip
from ui.record_list import RecordList

ENTRY_HEIGHT = 64
PAGE_SIZE = 50
_Index = QModelIndex | QPersistentModelIndex


ACTIONS: dict[str, str] = {
    "search": str(
        QT_TRANSLATE_NOOP("AccessLog", "A trouvé le patient par une recherche dans l'annuaire")
    ),
    "read": str(QT_TRANSLATE_NOOP("AccessLog", "A consulté le dossier")),
    "care_team": str(QT_TRANSLATE_NOOP("AccessLog", "A consulté les acteurs du dossier")),
    "portal": str(QT_TRANSLATE_NOOP("AccessLog", "A ouvert le dossier sur le portail")),
    "unfollow": str(QT_TRANSLATE_NOOP("AccessLog", "A retiré le patient de sa file active")),
    # Issue 13 §3: the documents of the record.
    "filed": str(QT_TRANSLATE_NOOP("AccessLog", "A déposé un document dans le dossier")),
    "documents": str(QT_TRANSLATE_NOOP("AccessLog", "A consulté la liste des documents")),
    "document": str(QT_TRANSLATE_NOOP("AccessLog", "A ouvert un document du dossier")),
}


def action_text(entry: AccessLogEntry) -> str:
    """What was done, in words; a follow or a creation with its reason."""
    reason = plain_text(entry.reason_label or entry.reason or "")
    if entry.action == "follow":
        return QCoreApplication.translate(
            "AccessLog", "A ajouté le patient à sa file active : {reason}"
        ).format(reason=reason)
    if entry.action == "create":
        return QCoreApplication.translate(
            "AccessLog", "A créé le dossier et suit le patient : {reason}"
        ).format(reason=reason)
    if entry.action in ACTIONS:
        return QCoreApplication.translate("AccessLog", ACTIONS[entry.action])
    return QCoreApplication.translate("AccessLog", "A accédé au dossier")


def actor_role(entry: AccessLogEntry) -> str:
    """'Médecin — Cardiologie', or what the directory knows of it, or the MSSanté address."""
    actor = entry.actor
    parts = [p for p in (actor.profession, actor.specialty) if p]
    if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
        parts = parts[:1]
    return plain_text(" — ".join(parts) or actor.mssante_address or "")


def when_text(entry: AccessLogEntry) -> str:
    """'12/03/2027 à 14:05', in the computer's time zone."""
    local = entry.at.astimezone()
    return QCoreApplication.translate("AccessLog", "{day} à {time}").format(
        day=numeric_date(local), time=f"{local:%H:%M}"
    )


def entry_text(entry: AccessLogEntry) -> str:
    """What a screen reader says of an entry."""
    role = actor_role(entry)
    who = plain_text(entry.actor.name) + (f", {role}" if role else "")
    return f"{when_text(entry)}, {who} : {action_text(entry)}"


class AccessLogDelegate(TextCard[AccessLogEntry]):
    """The name and the date, the profession, then what was done."""

    record_type = AccessLogEntry

    def paint_card(
        self, painter: QPainter, rect: QRect, record: AccessLogEntry, fonts: CardFonts
    ) -> None:
        left, right = rect.left() + 16, rect.right() - 16
        when = when_text(record)
        when_width = fonts.small_metrics.horizontalAdvance(when)
        painter.setFont(fonts.small)
        painter.setPen(MUTED)
        painter.drawText(
            QRect(right - when_width, rect.top() + 6, when_width, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            when,
        )
        name_room = max(40, right - when_width - 12 - left)
        width = right - left
        paint_lines(
            painter,
            left,
            (
                (fonts.bold, TEXT, record.actor.name, rect.top() + 6, name_room),
                (fonts.small, MUTED, actor_role(record), rect.top() + 25, width),
                (fonts.small, TEXT, action_text(record), rect.top() + 42, width),
            ),
        )


class AccessLogPanel(QWidget):
    """The journal of the patient shown (`load`), or why it is not shown (`hide_for`)."""

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accessLogPanel")
        self.session = session
        self.patient_id: str | None = None
        self.next_cursor: str | None = None
        self.task: asyncio.Future[Any] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.status = PlainLabel()  # may quote the server
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.status.setContentsMargins(16, 8, 16, 0)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        self.model: RecordList[AccessLogEntry] = RecordList(
            entry_text, lambda e: plain_tooltip(e.actor.mssante_address), self
        )
        self.list = CardList(self.model, AccessLogDelegate(), "accessLogList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.list, 1)
        self.more_button = QPushButton(self.tr("Afficher les accès plus anciens"))
        self.more_button.setObjectName("linkButton")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.hide_for(None)

    def entries(self) -> list[AccessLogEntry]:
        return self.model.rows()

    def hide_for(self, patient: Patient | None) -> None:
        """No journal: nobody chosen, or a patient I do not follow (the directory keeps it for
        the care team)."""
        self.patient_id = None
        self._cancel()
        self._show([], None)
        self._say(
            self.tr("Le journal des accès est visible des professionnels qui suivent ce patient.")
            if patient is not None
            else ""
        )

    def load(self, patient: Patient) -> asyncio.Future[Any]:
        """The first (newest) page of this patient's journal."""
        self.patient_id = patient.id
        self._cancel()
        self._show([], None)
        self._say(self.tr("Chargement du journal des accès…"))
        return self._fetch(patient.id, None)

    def load_more(self) -> asyncio.Future[Any] | None:
        if self.patient_id is None or self.next_cursor is None:
            return None
        self.more_button.setEnabled(False)
        return self._fetch(self.patient_id, self.next_cursor)

    def _fetch(self, patient_id: str, cursor: str | None) -> asyncio.Future[Any]:
        def loaded(page: AccessLogPage) -> None:
            self._show(self.model.rows() + page.entries, page.next_cursor)
            self._say("" if self.model.rowCount() else self.tr("Aucun accès enregistré."))

        def failed(message: str) -> None:
            self.more_button.setEnabled(True)
            self._say(message, error=True)

        # key: the journal of a patient chosen since replaces the one still being read.
        coro = self.session.patients.access_log(patient_id, cursor, PAGE_SIZE)
        self.task = tasks.run(coro, self, loaded, failed, key="journal")
        return self.task

    def _show(self, entries: list[AccessLogEntry], cursor: str | None) -> None:
        self.model.set_rows(entries)
        self.next_cursor = cursor
        self.list.setVisible(bool(entries))
        self.more_button.setVisible(cursor is not None)
        self.more_button.setEnabled(True)

    def _cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None

    def _say(self, text: str, error: bool = False) -> None:
        say(self.status, text, error)
