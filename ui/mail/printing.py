"""Printing a conversation (to a printer, or to a PDF file through the print dialog or
`print_to_pdf`): the subject, the patient it is about, then each message — who wrote it, to whom,
when, its text, the list of its documents.

Everything printed came from another user: the document is built with `QTextCursor.insertText`
only, never `setHtml`, so a body or a name cannot lay out the page (no hidden text, no image
fetched, no link). The body is its plain text (`app.message.html.full_text`: what the sender
wrote, else the text of the HTML), read in a worker since a long HTML body takes a moment.
The patient is written the project's one way (`identity_text`) with the INS, as on the banner.
Pages are numbered by Qt (a document without a page size of its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.about import window_title
from app.dates import numeric_datetime
from app.message.html import full_text
from app.message.mss import shown_subject
from app.message.patient import format_ins, identity_text, is_xdm_file, sex_of_ins
from app.records import Address, EmailRecord, PatientRef
from app.units import file_size
from ui import tasks


def _people(addresses: Sequence[Address]) -> str:
    """Names and addresses both: on paper, the address is what identifies a colleague."""
    return ", ".join(f"{a.name} <{a.email}>" if a.name else a.email for a in addresses)


def patient_text(patient: PatientRef) -> str:
    """ "DUPONT Marie, née le 03/02/1939 — INS 2 39 02 …" """
    text = identity_text(patient.family, patient.given, patient.birth_date, sex_of_ins(patient.ins))
    if patient.ins:
        text += " — INS " + format_ins(patient.ins)
    return text


async def plain_bodies(records: Sequence[EmailRecord]) -> list[str]:
    """Each message's whole text, as plain text (in a worker: HTML to text takes a moment)."""
    return await asyncio.to_thread(
        lambda: [full_text(r.html_body, r.text_body or r.preview) for r in records]
    )


class ConversationPrint(QObject):
    """The printed form of a conversation, as a QTextDocument of plain text."""

    def document(self, records: Sequence[EmailRecord], bodies: Sequence[str]) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        cursor = QTextCursor(document)
        plain = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        title = QTextCharFormat(bold)
        title.setFontPointSize(16)
        rule = QTextBlockFormat()
        rule.setProperty(
            QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
            QTextLength(QTextLength.Type.PercentageLength, 100),
        )
        subject = shown_subject(records[-1].subject) if records else ""
        cursor.insertText(subject or self.tr("(sans objet)"), title)
        patient = next((r.patient for r in reversed(records) if r.patient is not None), None)
        if patient is not None:
            cursor.insertBlock()
            cursor.insertText(self.tr("Patient : "), bold)
            cursor.insertText(patient_text(patient), plain)
        for record, body in zip(records, bodies, strict=True):
            cursor.insertBlock(rule)  # a line across the page above each message
            cursor.insertBlock(QTextBlockFormat())
            self._line(cursor, self.tr("De : "), _people(record.from_) or "—", bold, plain)
            self._line(cursor, self.tr("À : "), _people(record.to) or "—", bold, plain)
            if record.cc:
                self._line(cursor, self.tr("Cc : "), _people(record.cc), bold, plain)
            when = numeric_datetime(record.sent_at or record.received_at)
            self._line(cursor, self.tr("Date : "), when, bold, plain)
            if shown_subject(record.subject) != subject:
                self._line(cursor, self.tr("Objet : "), shown_subject(record.subject), bold, plain)
            cursor.insertBlock()
            cursor.insertText(body.replace("\r\n", "\n"), plain)
            documents = [a for a in record.attachments if not is_xdm_file(a.name or "")]
            if documents:
                cursor.insertBlock()
                cursor.insertBlock()
                cursor.insertText(self.tr("Documents :"), bold)
                for a in documents:
                    details = [a.doc_type or a.type, file_size(a.size)]
                    cursor.insertBlock()
                    cursor.insertText(
                        "• " + (a.name or self.tr("document")) + " — " + " · ".join(details), plain
                    )
        return document

    @staticmethod
    def _line(
        cursor: QTextCursor,
        label: str,
        text: str,
        label_format: QTextCharFormat,
        text_format: QTextCharFormat,
    ) -> None:
        cursor.insertText(label, label_format)
        cursor.insertText(text, text_format)
        cursor.insertBlock()


def pdf_printer(path: Path) -> QPrinter:
    """A printer that writes a PDF file at `path` (A4, as French offices print)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def print_document(
    records: Sequence[EmailRecord], bodies: Sequence[str], printer: QPrinter
) -> None:
    """Prints the conversation on `printer` (a real one or a PDF file)."""
    document = ConversationPrint().document(records, bodies)
    document.setDefaultFont(QFont(document.defaultFont().family(), 10))
    printer.setDocName(shown_subject(records[-1].subject) if records else window_title())
    document.print_(printer)


def print_conversation(parent: QWidget, records: Sequence[EmailRecord]) -> None:
    """ "Imprimer…": the bodies read, then the print dialog (a printer, or a PDF file), then
    the pages. Nothing when no conversation is shown."""
    records = list(records)
    if not records:
        return

    def ask(bodies: list[str]) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(window_title(ConversationPrint().tr("Imprimer")))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_document(records, bodies, printer)

    tasks.run(plain_bodies(records), parent, ask)
