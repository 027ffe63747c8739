"""The members of an équipe ressource in its form: professionals picked from the directory (the
navigator's picker, as the planning form picks participants), each by their MSSanté address —
the server checks that a professional is behind it. A member without an address in the directory
cannot be reached, so the picker's choice is refused for them, in French."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.records import Correspondent
from app.regional.records import TeamMember
from app.session import AccountSession
from app.text import strip_bidi
from ui import theme
from ui.navigator import navigator
from ui.plain import PlainLabel, plain_text


class MembersBox(QWidget):
    """The list, "Ajouter depuis l'annuaire…" and "Retirer"; `changed` on any change."""

    changed = Signal()

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.members: list[TeamMember] = []
        self.directory_dialog: QDialog | None = None
        self.list = QListWidget()
        self.list.setObjectName("memberList")
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 4 + 16)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton(theme.icon("search"), self.tr("Ajouter depuis l'annuaire…"))
        self.remove_button = QPushButton(self.tr("Retirer"))
        self.error = PlainLabel()
        self.error.setObjectName("hint")
        self.error.setWordWrap(True)
        theme.restyle(self.error, error=True)
        self.error.hide()
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1, Qt.AlignmentFlag.AlignTop)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(lambda _checked=False: self.choose())
        self.remove_button.clicked.connect(lambda _checked=False: self.remove_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.currentRow() >= 0)

    def choose(self) -> QDialog:
        self.directory_dialog = navigator().choose_correspondents(
            self.session, self, self.add_correspondents, title=self.tr("Ajouter un membre")
        )
        return self.directory_dialog

    def set_members(self, members: list[TeamMember]) -> None:
        self.members = []
        self.list.clear()
        for member in members:
            self._add(member)
        self.changed.emit()

    def add_correspondents(self, people: list[Correspondent]) -> None:
        """The professionals chosen in the directory (once each; without a box: said why)."""
        unreachable = [p.display_name for p in people if not p.mailbox or p.kind != "practitioner"]
        known = {m.mssante_address.casefold() for m in self.members}
        for person in people:
            box = person.mailbox
            if box and person.kind == "practitioner" and box.casefold() not in known:
                known.add(box.casefold())
                name = strip_bidi(person.display_name)
                self._add(TeamMember(box, name, person.practitioner_id))
        self.error.setText(
            self.tr("Sans adresse MSSanté, pas membre d'une équipe : {names}").format(
                names=", ".join(unreachable)
            )
            if unreachable
            else ""
        )
        self.error.setVisible(bool(unreachable))
        self.changed.emit()

    def _add(self, member: TeamMember) -> None:
        self.members.append(member)
        text = f"{member.name} — {strip_bidi(member.mssante_address)}"
        self.list.addItem(QListWidgetItem(plain_text(text)))

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.members):
            del self.members[row]
            self.list.takeItem(row)
            self.changed.emit()
        self._update()

    def addresses(self) -> list[str]:
        return [m.mssante_address for m in self.members]


__all__ = ["MembersBox"]
