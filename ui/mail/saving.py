"""Where the reader's files go when the user saves them: the file dialog starts in Téléchargements
for a received document and in Documents for a message's text (ui/file_dialogs.py: then where the
user chose last; never in a folder a document's name would choose), and a text is written beside
then renamed, readable by its owner only, as documents are."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.message.html import full_text
from ui.file_dialogs import DOCUMENTS, ask_save_path


def ask_text_path(parent: QWidget, suggested: str) -> str:
    title = QApplication.translate("TruncatedNotice", "Enregistrer le texte du message")
    return ask_save_path(parent, suggested, title, "text", DOCUMENTS)


def save_text(path: Path, html_body: str | None, text_body: str | None) -> Path:
    """The whole text of a body, written beside then renamed (no half file), readable by its
    owner only, as documents are."""
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(full_text(html_body, text_body))
    os.replace(partial, path)
    return path


__all__ = ["ask_save_path", "ask_text_path", "save_text"]
