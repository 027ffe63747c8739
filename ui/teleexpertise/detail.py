"""The detail card of the téléexpertise page: who asked whom about which patient and when, the
question, the documents joined to it, the expert's answer and the compte rendu (the PDF filed in
the patient's record), then what my role and the state allow (the expert answers a requested one,
the requester closes an answered one with the compte rendu). Each document and the compte rendu
open from here, for the requester and the expert alike. The card only shows; the page decides and
acts (it connects the buttons and `openDocument`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.dates import long_datetime, numeric_date
from app.message.patient import born_on, sex_of_ins
from app.regional.records import Teleexpertise, TeleexpertiseDocument
from ui import theme
from ui.plain import PlainLabel, plain_text, plain_tooltip
from ui.teleexpertise.labels import status_label

REPORT_FILE_NAME = "compte-rendu-teleexpertise.pdf"
SHOWN_NAME = 64  # characters of a document's "name — type" on its button


class TeleexpertiseDetail(QFrame):
    """`openDocument(TeleexpertiseDocument)`: a joined document or the compte rendu (whose
    blob is the report's) was clicked."""

    openDocument = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailCard")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("detailContent")
        box = QVBoxLayout(inner)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(8)
        self.title = PlainLabel()
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.meta = PlainLabel()
        self.meta.setObjectName("hint")
        self.meta.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.meta)
        self.sections: dict[str, tuple[QLabel, QLabel]] = {}
        self.document_buttons: list[QPushButton] = []
        self.documents_box = QVBoxLayout()
        self.documents_box.setSpacing(4)
        self.report_button = QPushButton(
            theme.icon("mail-document"), self.tr("Ouvrir le compte rendu (PDF)")
        )
        self.report_button.setObjectName("documentButton")
        self.report_button.setToolTip(
            self.tr("Le compte rendu de télémédecine déposé dans le dossier du patient")
        )
        for key, heading in (
            ("question", self.tr("Question")),
            ("documents", self.tr("Documents joints")),
            ("answer", self.tr("Réponse de l'expert")),
            ("report", self.tr("Compte rendu")),
        ):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            text = PlainLabel()
            text.setObjectName("hint" if key == "documents" else "fieldText")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(head)
            box.addWidget(text)
            if key == "documents":
                box.addLayout(self.documents_box)
            self.sections[key] = (head, text)
        self.report_filed = PlainLabel()
        self.report_filed.setObjectName("hint")
        self.report_filed.setWordWrap(True)
        box.addWidget(self.report_filed)
        box.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.report_button.clicked.connect(lambda _checked=False: self._open_report())
        self._shown: Teleexpertise | None = None

        self.action_title = PlainLabel()
        self.action_title.setObjectName("fieldTitle")
        self.action_edit = QPlainTextEdit()
        self.action_edit.setObjectName("actionEdit")
        self.action_edit.setMinimumHeight(96)
        self.action_edit.setMaximumHeight(150)  # the buttons stay in sight
        self.answer_button = QPushButton(theme.icon("send"), self.tr("Répondre"))
        self.answer_button.setObjectName("primaryButton")
        self.close_button = QPushButton(theme.icon("check-light"), self.tr("Clôturer"))
        self.close_button.setObjectName("primaryButton")
        self.thread_button = QPushButton(
            theme.icon("conversation"), self.tr("Voir la conversation")
        )
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        self.feedback_label.setWordWrap(True)
        box.addWidget(self.action_title)
        box.addWidget(self.action_edit)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.thread_button)
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        box.addWidget(self.feedback_label)
        box.addStretch(1)
        self.placeholder = PlainLabel(self.tr("Choisissez une téléexpertise pour voir son détail."))
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.placeholder)
        scroll.setWidget(inner)
        outer.addWidget(scroll)

    def show_record(self, te: Teleexpertise | None, mine: bool) -> None:
        """`te` in detail (`mine`: I asked for it), or the placeholder when None."""
        self._shown = te
        for widget in (self.title, self.meta, self.thread_button):
            widget.setVisible(te is not None)
        self.placeholder.setVisible(te is None)
        self._show_documents(te.documents if te is not None else [])
        self.report_filed.setVisible(te is not None and te.closed_at is not None)
        self.report_button.setVisible(te is not None and bool(te.report_blob_id))
        if te is None:
            for head, text in self.sections.values():
                head.setVisible(False)
                text.setVisible(False)
            return
        born = born_on(sex_of_ins(te.patient.ins), te.patient.birth_date)
        self.title.setText(f"{te.patient.name}, {born}")
        lines = [
            (
                self.tr("Demandée à {name}").format(name=te.expert.name)
                if mine
                else self.tr("Demandée par {name}").format(name=te.requester.name)
            )
            + f" {long_datetime(te.created_at)} · {status_label(te.status)}"
        ]
        if te.answered_at:
            lines.append(self.tr("Réponse reçue {when}").format(when=long_datetime(te.answered_at)))
        if te.closed_at:
            lines.append(self.tr("Clôturée {when}").format(when=long_datetime(te.closed_at)))
        self.meta.setText("\n".join(lines))
        documents = (
            self.tr("Joints à la demande, dans la conversation ; cliquez pour ouvrir.")
            if te.documents
            else ""
        )
        filed = (
            self.tr(
                "Déposé dans le dossier du patient le {day} (CR de télémédecine, LOINC "
                "{code}) et envoyé dans la conversation."
            ).format(day=numeric_date(te.closed_at), code=te.report_type_code or "85208-7")
            if te.report and te.closed_at
            else ""
        )
        for key, value in (
            ("question", te.question),
            ("documents", documents),
            ("answer", te.answer),
            ("report", te.report),
        ):
            head, text = self.sections[key]
            head.setVisible(bool(value))
            text.setVisible(bool(value))
            text.setText(value or "")
        self.report_filed.setText(filed)
        self.thread_button.setEnabled(bool(te.thread_id))

    def _show_documents(self, documents: list[TeleexpertiseDocument]) -> None:
        """One button per joined document ("name — type"), which asks for it to be opened."""
        for button in self.document_buttons:
            self.documents_box.removeWidget(button)
            button.deleteLater()
        self.document_buttons = []
        for document in documents:
            label = (
                f"{document.name} — {document.type_label}"
                if document.type_label
                else (document.name)
            )
            shown = plain_text(label)
            if len(shown) > SHOWN_NAME:  # the card's width: the end (the type) stays
                shown = shown[: SHOWN_NAME - 25] + "…" + shown[-24:]
            button = QPushButton(theme.icon("mail-document"), shown.replace("&", "&&"))
            button.setObjectName("documentButton")
            button.setToolTip(plain_tooltip(self.tr("Ouvrir {name}").format(name=label)))
            button.clicked.connect(lambda _checked=False, d=document: self.openDocument.emit(d))
            self.documents_box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.document_buttons.append(button)

    def _open_report(self) -> None:
        te = self._shown
        if te is not None and te.report_blob_id:
            self.openDocument.emit(report_document(te))

    def show_actions(self, answering: bool, closing: bool, busy: bool) -> None:
        """The editor and the button of what may be done now (nothing, answer, or close); the
        button is enabled once something is written and nothing is being sent."""
        self.action_title.setVisible(answering or closing)
        self.action_edit.setVisible(answering or closing)
        self.answer_button.setVisible(answering)
        self.close_button.setVisible(closing)
        if answering:
            self.action_title.setText(self.tr("Votre avis"))
            self.action_edit.setPlaceholderText(self.tr("Votre réponse à la question posée…"))
        elif closing:
            self.action_title.setText(self.tr("Compte rendu de téléexpertise"))
            self.action_edit.setPlaceholderText(
                self.tr("Le compte rendu, déposé dans le dossier du patient à la clôture…")
            )
        filled = bool(self.action_edit.toPlainText().strip())
        self.answer_button.setEnabled(answering and filled and not busy)
        self.close_button.setEnabled(closing and filled and not busy)

    def flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)


def report_document(te: Teleexpertise) -> TeleexpertiseDocument:
    """The compte rendu as a document to open: the PDF the server filed (its blob)."""
    return TeleexpertiseDocument(
        te.report_blob_id or "",
        REPORT_FILE_NAME,
        QCoreApplication.translate("TeleexpertiseDetail", "CR de télémédecine"),
    )


__all__ = ["REPORT_FILE_NAME", "TeleexpertiseDetail", "report_document"]
