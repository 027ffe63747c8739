"""Documents into the message being written (the composer, the téléexpertise request):
"Insérer un document" (the file dialog), or files dropped from the file manager, then the type of
each file (one question per file), each checked against the server's size limits before it joins
the list — the server would refuse the whole message later, after the upload, and the user is
better told now which file is too large.

An `Inserter` belongs to one window (its QObject parent): the window gives it the document
list, a way to tell the user and whether a patient is chosen (the patient's package counts in the
sizes). What asks the type and what chooses the files are attributes, so that tests (and other
front ends) can answer without a dialog."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from app.errors import CoreError
from app.outbox.limits import SendLimits, check_sizes, fetch_limits
from app.session import AccountSession
from ui import file_dialogs, tasks
from ui.documents import Document, DocumentList, ask_type

log = logging.getLogger("monsisra.ui.composer")

TypeChooser = Callable[[Path], str | None]
FileChooser = Callable[[], list[Path]]
Notify = Callable[[str, bool], None]  # (text, is_error)


def local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    """The local files a drag carries (none for text, links or remote URLs)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class Inserter(QObject):
    """Adds files to `documents`, typed and within the server's limits."""

    def __init__(
        self,
        session: AccountSession,
        documents: DocumentList,
        notify: Notify,
        has_patient: Callable[[], bool],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.session = session
        self.documents = documents
        self.notify = notify
        self.has_patient = has_patient
        self.window = window
        self.limits: SendLimits | None = None  # unknown until read (offline: checked at sending)
        self.choose_type: TypeChooser = lambda path: ask_type(path, window)
        self.choose_files: FileChooser = self._file_dialog

    def load_limits(self) -> None:
        """Reads the server's size limits (and who I am: the session keeps it for offline)."""
        tasks.run(self._fetch_limits(), self, on_done=self._set_limits)

    async def _fetch_limits(self) -> SendLimits | None:
        if self.session.jmap is None:
            return None
        try:
            await self.session.own_address()
            return await fetch_limits(self.session.jmap)
        except CoreError:
            log.info("server limits unknown for now: checked again when sending")
            return None

    def _set_limits(self, limits: SendLimits | None) -> None:
        if limits is not None:
            self.limits = limits

    def watch_drops(self, widgets: Iterable[QWidget]) -> None:
        """Files dropped on these (the window, anywhere on it, and its text fields, which would
        take their paths as text) become documents."""
        drop_filter = _FileDropFilter(self)
        for widget in widgets:
            widget.setAcceptDrops(True)
            widget.installEventFilter(drop_filter)

    def _file_dialog(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self.window, self.tr("Insérer un document"), str(file_dialogs.start_folder("insert"))
        )
        if names:
            file_dialogs.remember("insert", names[0])
        return [Path(n) for n in names]

    def insert_documents(self) -> None:
        """ "Insérer un document": the file dialog, then the type of each file."""
        self.insert_files(self.choose_files())

    def insert_files(self, paths: Iterable[Path]) -> None:
        """Asks the type of each file (one dialog per file), then adds those within the limits."""
        typed: list[tuple[Path, str]] = []
        for path in paths:
            if not path.is_file():
                self.notify(self.tr("« %1 » n'est pas un fichier.").replace("%1", path.name), False)
                continue
            if self._refused([*self._current(), (path.name, path.stat().st_size)]):
                continue
            code = self.choose_type(path)
            if code is None:
                continue
            typed.append((path, code))
        self.add_checked(typed)

    def add_checked(self, typed: list[tuple[Path, str]]) -> None:
        """Adds these typed files, but not one the server would refuse (the user is told why)."""
        for path, code in typed:
            document = Document.of(path, code)
            if self._refused([*self._current(), (document.name, document.size)]):
                continue
            self.documents.add(document)

    def _current(self) -> list[tuple[str, int]]:
        return [(d.name, d.size) for d in self.documents.documents]

    def _refused(self, documents: list[tuple[str, int]]) -> bool:
        """Shows why and returns True when the server would refuse these documents."""
        if self.limits is None:
            return False
        try:
            check_sizes(documents, self.has_patient(), self.limits)
        except CoreError as e:
            self.notify(tasks.message_of(e), True)
            return True
        return False


class _FileDropFilter(QObject):
    def __init__(self, inserter: Inserter) -> None:
        super().__init__(inserter)
        self.inserter = inserter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent) and local_files(event):
            event.acceptProposedAction()
            return True
        if isinstance(event, QDropEvent) and event.type() == QEvent.Type.Drop:
            files = local_files(event)
            if files:
                event.acceptProposedAction()
                # After the drop returns: the file manager must not wait on the type dialogs.
                QTimer.singleShot(0, lambda: self.inserter.insert_files(files))
                return True
        return super().eventFilter(watched, event)


__all__ = ["FileChooser", "Inserter", "TypeChooser", "local_files"]
