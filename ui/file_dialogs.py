"""Where file dialogs start: in the user's Documents for what the user saves (a message's text,
the journal) or picks (documents to insert), in Téléchargements for a received document — the
folders QStandardPaths knows for this system and language —, and, once the user chose another
folder for one use, there again for that use until the app quits (never a folder a document's
name would choose). One place, so that every dialog of the app starts the same way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from app.attachments import safe_file_name

DOCUMENTS = QStandardPaths.StandardLocation.DocumentsLocation
DOWNLOADS = QStandardPaths.StandardLocation.DownloadLocation

_chosen: dict[str, Path] = {}  # use → the folder of the user's last choice (this session)


def start_folder(use: str, first: QStandardPaths.StandardLocation = DOCUMENTS) -> Path:
    """The folder a dialog for `use` opens on: the one chosen last for it, else `first`, else
    Documents, else Téléchargements, else the home folder (whichever exists)."""
    remembered = _chosen.get(use)
    if remembered is not None and remembered.is_dir():
        return remembered
    for location in (first, DOCUMENTS, DOWNLOADS):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def remember(use: str, chosen: str) -> None:
    """The file the user chose for `use` (empty: cancelled, nothing changes)."""
    if chosen:
        _chosen[use] = Path(chosen).parent


def forget() -> None:
    """Back to the standard folders (tests; a new session starts that way)."""
    _chosen.clear()


def ask_save_path(
    parent: QWidget,
    suggested: str,
    title: str = "",
    use: str = "document",
    first: QStandardPaths.StandardLocation = DOWNLOADS,
) -> str:
    """The file dialog, on the start folder of `use` and the safe form of `suggested`; the folder
    and name the user then picks are theirs (the folder remembered for `use`). Empty: cancelled."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        title or QApplication.translate("AttachmentChip", "Enregistrer le document"),
        str(start_folder(use, first) / safe_file_name(suggested)),
    )
    remember(use, path)
    return path
