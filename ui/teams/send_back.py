"""A team's template for a requester: "Télécharger" saves it where the user chooses; "Remplir et
renvoyer" does the whole errand in one step — the template saved where the user chooses (the
dialog proposes Documents), opened in the program this computer has for it, and a message to the
team's contact address opened with that file attached.

The composer reads an attached file when the message is sent, not when it is attached: what leaves
is the file as the user last saved it in their program, filled. So the user fills, saves, comes
back to the message and clicks "Envoyer" — no extra "J'ai rempli le modèle" step to remember; the
message's notice says so, and the composer shows the file's new size when its window is active
again (ui/documents.py, `sizes_from_disk`). A template whose name or type says it is a program is
saved, never opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app.message.draft import Draft
from app.regional.records import ResourceTeam, Template
from app.regional.teams import opens_safely, send_back_draft
from app.session import AccountSession
from ui import tasks
from ui.file_dialogs import DOCUMENTS, ask_save_path

Say = Callable[[str, bool], None]  # a sentence on the card (error or not)
Compose = Callable[[Draft], QWidget]  # opens a composer (the main window keeps it)
AskPath = Callable[[QWidget, str, str], str]  # (parent, suggested name, title) → path or ""


def _ask(parent: QWidget, suggested: str, title: str) -> str:
    return ask_save_path(parent, suggested, title, "template", DOCUMENTS)


class TemplateErrands(QObject):
    """Downloading and sending back templates, for one page (its card says how it went)."""

    def __init__(
        self, session: AccountSession, parent: QWidget, say: Say, compose: Compose
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent
        self.say = say
        self.compose = compose
        self.ask_path: AskPath = _ask  # tests answer without the dialog

    def download(self, team: ResourceTeam, template: Template) -> None:
        target = self.ask_path(
            self.parent_widget, template.file_name, self.tr("Enregistrer le modèle")
        )
        if not target:
            return

        def saved(path: Path) -> None:
            self.say(self.tr("Modèle enregistré : {path}").format(path=str(path)), False)

        self._save(team, template, Path(target), saved)

    def send_back(self, team: ResourceTeam, template: Template) -> None:
        """Saves, opens for filling, and opens the message to the team with the file."""
        target = self.ask_path(
            self.parent_widget,
            template.file_name,
            self.tr("Enregistrer le modèle à remplir"),
        )
        if not target:
            return

        def saved(path: Path) -> None:
            opened = opens_safely(template) and QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(path))
            )
            composer = self.compose(send_back_draft(team, path))
            notify = getattr(composer, "notify", None)
            if callable(notify):
                notify(self._how_to(path, opened))
            self.say(self._how_to(path, opened), False)

        self._save(team, template, Path(target), saved)

    def _how_to(self, path: Path, opened: bool) -> str:
        if opened:
            return self.tr(
                "Remplissez « {name} » dans le programme qui vient de l'ouvrir et enregistrez-le : "
                "le message part avec le fichier tel qu'il est enregistré quand vous cliquez sur "
                "« Envoyer »."
            ).format(name=path.name)
        return self.tr(
            "« {name} » est enregistré dans {folder} mais ne s'ouvre pas ici : remplissez-le avec "
            "le programme de votre choix et enregistrez-le, puis cliquez sur « Envoyer »."
        ).format(name=path.name, folder=str(path.parent))

    def _save(
        self, team: ResourceTeam, template: Template, target: Path, then: Callable[[Path], None]
    ) -> None:
        self.say(self.tr("Téléchargement du modèle…"), False)
        tasks.change(
            self.session.teams.save_template(team.id, template, target),
            self,
            then,
            lambda message: self.say(message, True),
        )


__all__ = ["TemplateErrands"]
