"""Why I follow this patient: asked before a patient joins my file active (or when I create their
record), because the regional directory records who follows a patient, when and why, in the
patient's access journal that the care team reads (issue 9 §8).

The reasons are the server's (GET /follow-reasons): their labels are shown as plain text. None is
chosen beforehand, so that the reason recorded is one somebody picked.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.regional.records import FollowReason
from ui.plain import PlainLabel, plain_text


class FollowReasonDialog(QDialog):
    """The reasons as radio buttons; `chosen(str)` gives the code of the one picked, then the
    dialog closes. Not modal-blocking: `open()` it and listen."""

    chosen = Signal(str)

    def __init__(
        self,
        reasons: Sequence[FollowReason],
        patient_name: str,
        action: str,
        parent: QWidget | None = None,
    ) -> None:
        """`action` is the confirm button's text ("Suivre", "Créer et suivre")."""
        super().__init__(parent)
        self.setObjectName("followReasonDialog")
        self.setWindowTitle(window_title(self.tr("Motif du suivi")))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        title = PlainLabel(self.tr("Pourquoi suivez-vous {name} ?").format(name=patient_name))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        explanation = PlainLabel(
            self.tr(
                "Le motif est inscrit, avec votre nom et la date, au journal des accès du "
                "dossier, que les professionnels qui suivent ce patient peuvent consulter."
            )
        )
        explanation.setObjectName("hint")
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.group = QButtonGroup(self)
        self.buttons: list[tuple[QRadioButton, str]] = []
        for reason in reasons:
            # A radio button's text is plain, but "&" would make a keyboard shortcut.
            button = QRadioButton(plain_text(reason.label).replace("&", "&&"))
            button.setObjectName("reasonChoice")
            self.group.addButton(button)
            self.buttons.append((button, reason.code))
            layout.addWidget(button)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.confirm_button = QPushButton(action)
        self.confirm_button.setObjectName("primaryButton")
        self.confirm_button.setDefault(True)
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self._confirm)
        row.addWidget(cancel)
        row.addWidget(self.confirm_button)
        layout.addLayout(row)
        self.group.buttonToggled.connect(lambda *_: self.confirm_button.setEnabled(True))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(440)

    def choose(self, code: str) -> None:
        """Ticks the reason with this code (keyboard users and tests)."""
        for button, known in self.buttons:
            if known == code:
                button.setChecked(True)

    def _confirm(self) -> None:
        for button, code in self.buttons:
            if button.isChecked():
                self.chosen.emit(code)
                self.accept()
                return
