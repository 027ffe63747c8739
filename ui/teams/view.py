"""« Équipes ressources » (FAQ: "Comment se déclarer comme équipe ressource ?"): two tabs.

"Mes équipes": the teams I declared (I edit them, add and delete their document templates —
button or drag-and-drop, the server's limits said beside — and withdraw them) and those I am a
member of (I may leave them); "Déclarer une équipe" opens the declaration form (form.py).
"Trouver une équipe": every declared team, narrowed by words; a team's card shows its activity,
the prerequisites for requesters, its members and its templates, to download or to fill in and
send back in one step (send_back.py). The directory's "Voir l'équipe" opens a team here
(`open_team`).

The page reads and acts through `session.teams`; offline, it says so at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.message.draft import Draft
from app.records import Address
from app.regional.records import ResourceTeam, TeamLimits, Template
from app.regional.teams import declared_by
from app.session import AccountSession
from ui import browser, file_dialogs, tasks, theme
from ui.cards import Segments, list_card
from ui.navigator import navigator
from ui.plain import PlainLabel, plain_question, plain_text
from ui.teams.card import DECLARANT, MEMBER, REQUESTER, TeamCard
from ui.teams.form import TeamForm
from ui.teams.send_back import TemplateErrands

SEARCH_DELAY_MS = 300
Loaded = tuple[list[ResourceTeam], str, TeamLimits]  # my teams, my address, the limits


class TeamsView(QWidget):
    """My teams (declared or member) and the search of all teams, each with its card."""

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamsView")
        self.session = session
        self.me: str | None = None  # my MSSanté address: who declared which team
        self.loading = False
        self.searching = False
        self.form: TeamForm | None = None
        # Replaceable: the main window keeps the composers it opens (ui/shell/pages.py); tests
        # answer questions and file dialogs without a dialog.
        self.compose: Callable[[Draft], QWidget] = lambda draft: navigator().compose(
            session, draft, self.window()
        )
        self.confirm: Callable[[QWidget, str, str], bool] = plain_question
        self.choose_files: Callable[[], list[Path]] = self._file_dialog
        self.mine: dict[str, ResourceTeam] = {}
        self.found: dict[str, ResourceTeam] = {}

        title = PlainLabel(self.tr("Équipes ressources"))
        title.setObjectName("pageTitle")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        self.declare_button = QPushButton(self.tr("Déclarer une équipe"))
        self.declare_button.setObjectName("primaryButton")
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(browser.HelpLink(session, "teams"))
        header.addWidget(self.refresh_button)
        header.addWidget(self.declare_button)
        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        self.tab_group = Segments((self.tr("Mes équipes"), self.tr("Trouver une équipe")), self)
        self.mine_tab, self.find_tab = self.tab_group.tabs
        self.stack = QStackedWidget()
        self.stack.addWidget(self._mine_page())
        self.stack.addWidget(self._find_page())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self.status_label)
        layout.addLayout(self.tab_group.row)
        layout.addWidget(self.stack, 1)

        self.errands = TemplateErrands(session, self, self.found_card.say, self.compose_draft)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._connect()
        self.refresh()

    def _mine_page(self) -> QWidget:
        self.mine_list = team_list()
        self.mine_empty = PlainLabel(
            self.tr(
                "Vous n'avez déclaré aucune équipe ressource et n'êtes membre d'aucune. "
                "Déclarez la vôtre pour que vos confrères vous trouvent et vous sollicitent."
            )
        )
        self.mine_empty.setWordWrap(True)
        self.mine_card = TeamCard(self.tr("Choisissez une équipe pour voir sa fiche."))
        return _side_by_side(list_card(self.tr("Mes équipes"), self.mine_list, self.mine_empty),
                             self.mine_card)  # fmt: skip

    def _find_page(self) -> QWidget:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Nom, activité, prérequis ou adresse"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.found_list = team_list()
        self.found_empty = PlainLabel(self.tr("Aucune équipe ressource ne correspond."))
        self.found_empty.setWordWrap(True)
        self.found_card = TeamCard(
            self.tr("Choisissez une équipe pour voir son activité, ses prérequis et ses modèles.")
        )
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        box.addWidget(self.search_edit)
        box.addWidget(list_card(self.tr("Équipes trouvées"), self.found_list, self.found_empty), 1)
        return _side_by_side(column, self.found_card)

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(lambda _checked=False: self.refresh())
        self.declare_button.clicked.connect(lambda _checked=False: self.declare())
        self.tab_group.idClicked.connect(self.show_tab)
        self.search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.search)
        self._search_timer.timeout.connect(self.search)
        self.mine_list.currentItemChanged.connect(lambda *_a: self._picked(self.mine_list))
        self.found_list.currentItemChanged.connect(lambda *_a: self._picked(self.found_list))
        for card in (self.mine_card, self.found_card):
            card.downloadTemplate.connect(lambda t, c=card: self._errand(c, t, False))
            card.sendBack.connect(lambda t, c=card: self._errand(c, t, True))
            card.deleteTemplate.connect(lambda t, c=card: self.delete_template(c, t))
            card.addTemplates.connect(lambda paths, c=card: self.add_templates(c, paths))
            card.editRequested.connect(lambda c=card: self.edit(c))
            card.withdrawRequested.connect(lambda c=card: self.withdraw(c))
            card.leaveRequested.connect(lambda c=card: self.leave(c))
            card.writeRequested.connect(lambda c=card: self.write_to(c))

    # Loading ------------------------------------------------------------------------------------

    def show_tab(self, number: int) -> None:
        self.tab_group.tabs[number].setChecked(True)
        self.stack.setCurrentIndex(number)

    async def _fetch(self) -> Loaded:
        teams = self.session.teams
        items = await teams.mine()
        me = (await self.session.own_address()).email
        return items, me, await teams.limits()

    def refresh(self) -> asyncio.Future[Any] | None:
        """My teams and the search read again (offline: said at once, nothing waits)."""
        self._set_status(self.tr("Chargement des équipes ressources…"))
        self.loading = True

        def done(result: Loaded) -> None:
            self.loading = False
            self.declare_button.setEnabled(True)
            items, self.me, limits = result
            for card in (self.mine_card, self.found_card):
                card.set_limits(limits)
            self._fill(self.mine_list, self.mine_empty, self.mine, items, self.mine_card)
            self._set_status(self._summary(items))

        def failed(message: str) -> None:
            self.loading = False
            self.declare_button.setEnabled(False)
            self._set_status(message, error=True)

        task = tasks.run(self._fetch(), self, done, failed, key="mine")
        self.search()
        return task

    def search(self) -> asyncio.Future[Any] | None:
        self._search_timer.stop()
        self.searching = True

        def done(items: list[ResourceTeam]) -> None:
            self.searching = False
            self._fill(self.found_list, self.found_empty, self.found, items, self.found_card)

        def failed(message: str) -> None:
            self.searching = False
            self._set_status(message, error=True)

        text = self.search_edit.text()
        return tasks.run(self.session.teams.search(text), self, done, failed, key="search")

    def _summary(self, items: list[ResourceTeam]) -> str:
        declared = sum(1 for t in items if self.role_of(t) == DECLARANT)
        member = len(items) - declared
        parts = []
        if declared:
            parts.append(
                self.tr("Vous avez déclaré 1 équipe.")
                if declared == 1
                else self.tr("Vous avez déclaré {n} équipes.").format(n=declared)
            )
        if member:
            parts.append(
                self.tr("Vous êtes membre de 1 équipe.")
                if member == 1
                else self.tr("Vous êtes membre de {n} équipes.").format(n=member)
            )
        return " ".join(parts) or self.tr("Trouvez une équipe ressource, ou déclarez la vôtre.")

    def role_of(self, team: ResourceTeam) -> str:
        if declared_by(team, self.me):
            return DECLARANT
        me = (self.me or "").casefold()
        if me and any(m.mssante_address.casefold() == me for m in team.members):
            return MEMBER
        return REQUESTER

    def _fill(
        self,
        lst: QListWidget,
        empty: PlainLabel,
        known: dict[str, ResourceTeam],
        items: list[ResourceTeam],
        card: TeamCard,
    ) -> None:
        """The list shows `items`, the one selected before still selected (its card anew)."""
        keep = card.team.id if card.team else None
        known.clear()
        known.update({t.id: t for t in items})
        lst.blockSignals(True)
        lst.clear()
        for team in items:
            item = QListWidgetItem(plain_text(f"{team.name}\n{self._line(team)}"))
            item.setData(Qt.ItemDataRole.UserRole, team.id)
            lst.addItem(item)
            if team.id == keep:
                lst.setCurrentItem(item)
        lst.blockSignals(False)
        lst.setVisible(bool(items))
        empty.setVisible(not items)
        shown = known.get(keep) if keep else None
        card.show_team(shown, self._role(shown))

    def _line(self, team: ResourceTeam) -> str:
        members, templates = len(team.members), len(team.templates)
        parts = [
            self.tr("aucun membre")
            if not members
            else self.tr("1 membre")
            if members == 1
            else self.tr("{n} membres").format(n=members),
            self.tr("aucun modèle")
            if not templates
            else self.tr("1 modèle")
            if templates == 1
            else self.tr("{n} modèles").format(n=templates),
        ]
        role = self.role_of(team)
        if role == DECLARANT:
            parts.insert(0, self.tr("Déclarée par vous"))
        elif role == MEMBER:
            parts.insert(0, self.tr("Vous en êtes membre"))
        return " · ".join(parts)

    def _role(self, team: ResourceTeam | None) -> str:
        return self.role_of(team) if team else REQUESTER

    def _picked(self, lst: QListWidget) -> None:
        item = lst.currentItem()
        known, card = (
            (self.mine, self.mine_card) if lst is self.mine_list else (self.found, self.found_card)
        )
        team = known.get(str(item.data(Qt.ItemDataRole.UserRole))) if item else None
        card.show_team(team, self._role(team))

    def open_team(self, team_id: str) -> asyncio.Future[Any]:
        """A team found elsewhere (the directory): its card on "Trouver une équipe"."""
        self.show_tab(1)
        self.found_card.say(self.tr("Chargement de l'équipe…"))

        def done(team: ResourceTeam) -> None:
            self.found[team.id] = team
            for row in range(self.found_list.count()):
                item = self.found_list.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == team.id:
                    self.found_list.setCurrentItem(item)
            self.found_card.show_team(team, self._role(team))

        return tasks.run(
            self.session.teams.get(team_id),
            self,
            done,
            lambda message: self.found_card.say(message, True),
            key="open",
        )

    # Declaring, editing, withdrawing, leaving ----------------------------------------------------

    def declare(self) -> TeamForm:
        return self._open_form(None)

    def edit(self, card: TeamCard) -> TeamForm | None:
        return self._open_form(card.team) if card.team else None

    def _open_form(self, team: ResourceTeam | None) -> TeamForm:
        form = TeamForm(self.session, team, self)
        form.saved.connect(self._saved)
        self.form = form
        form.open()
        return form

    def _saved(self, team: ResourceTeam) -> None:
        self.show_tab(0)
        self.mine_card.show_team(team, self._role(team))
        self.mine_card.say(self.tr("Équipe « {name} » enregistrée.").format(name=team.name))
        self.refresh()

    def withdraw(self, card: TeamCard) -> asyncio.Future[Any] | None:
        team = card.team
        if team is None or not self.confirm(
            self,
            self.tr("Retirer l'équipe"),
            self.tr(
                "Retirer « {name} » ? Les demandeurs ne la trouveront plus et ses modèles de "
                "documents seront supprimés."
            ).format(name=team.name),
        ):
            return None
        done = self.tr("Équipe « {name} » retirée.").format(name=team.name)
        return self._change(card, self.session.teams.withdraw(team.id), done, gone=True)

    def leave(self, card: TeamCard) -> asyncio.Future[Any] | None:
        team = card.team
        if team is None or not self.confirm(
            self,
            self.tr("Quitter l'équipe"),
            self.tr("Ne plus être membre de « {name} » ?").format(name=team.name),
        ):
            return None
        done = self.tr("Vous n'êtes plus membre de « {name} ».").format(name=team.name)
        return self._change(card, self.session.teams.leave(team.id), done, gone=True)

    # Templates ----------------------------------------------------------------------------------

    def add_templates(self, card: TeamCard, paths: list[Path]) -> asyncio.Future[Any] | None:
        """Uploads the files (chosen, or dropped on the card) one after the other; the first one
        the limits refuse stops there, named in the sentence."""
        team = card.team
        chosen = paths or self.choose_files()
        if team is None or not chosen:
            return None

        async def upload_all() -> ResourceTeam:
            current = team
            for path in chosen:
                await self.session.teams.upload_template(current, path)
                current = await self.session.teams.get(team.id)
            return current

        done = self.tr("Modèle ajouté.") if len(chosen) == 1 else self.tr("Modèles ajoutés.")
        return self._change(card, upload_all(), done)

    def delete_template(self, card: TeamCard, template: Template) -> asyncio.Future[Any] | None:
        team = card.team
        if team is None or not self.confirm(
            self,
            self.tr("Supprimer le modèle"),
            self.tr(
                "Supprimer « {name} » ? Les demandeurs ne pourront plus le télécharger."
            ).format(name=template.file_name),
        ):
            return None

        async def delete() -> ResourceTeam:
            await self.session.teams.delete_template(team.id, template.id)
            return await self.session.teams.get(team.id)

        done = self.tr("Modèle « {name} » supprimé.").format(name=template.file_name)
        return self._change(card, delete(), done)

    def _errand(self, card: TeamCard, template: Template, send_back: bool) -> None:
        team = card.team
        if team is None:
            return
        self.errands.say = card.say
        if send_back:
            self.errands.send_back(team, template)
        else:
            self.errands.download(team, template)

    def _file_dialog(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Ajouter un modèle de document"), str(file_dialogs.start_folder("insert"))
        )
        if names:
            file_dialogs.remember("insert", names[0])
        return [Path(n) for n in names]

    # Writing to a team --------------------------------------------------------------------------

    def write_to(self, card: TeamCard) -> QWidget | None:
        team = card.team
        if team is None:
            return None
        return self.compose_draft(Draft(to=(Address(team.name, team.contact_address),)))

    def compose_draft(self, draft: Draft) -> QWidget:
        return self.compose(draft)

    # Plumbing -----------------------------------------------------------------------------------

    def _change(
        self, card: TeamCard, change: Any, success: str, gone: bool = False
    ) -> asyncio.Future[Any]:
        def done(team: ResourceTeam | None) -> None:
            card.show_team(None if gone else team, self._role(team) if team else REQUESTER)
            card.say(success)
            self.refresh()

        card.say(self.tr("Envoi…"))
        return tasks.change(change, self, done, lambda message: card.say(message, True))

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)


def team_list() -> QListWidget:
    """A list of teams whose rows wrap their long names at the list's width, whatever it is."""
    lst = QListWidget()
    lst.setObjectName("teamList")
    lst.setWordWrap(True)
    lst.setResizeMode(QListView.ResizeMode.Adjust)
    lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    lst.setTextElideMode(Qt.TextElideMode.ElideNone)
    return lst


def _side_by_side(left: QWidget, right: QWidget) -> QWidget:
    page = QWidget()
    row = QHBoxLayout(page)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(16)
    row.addWidget(left, 5)
    row.addWidget(right, 6)
    return page


async def demo_screenshot(session: AccountSession) -> TeamsView:
    """The page on "Trouver une équipe", the demo's heart-failure team open (screenshot driver)."""
    view = TeamsView(session)
    view.resize(1120, 720)
    for _ in range(200):  # at most 10 s
        if not (view.loading or view.searching):
            break
        await asyncio.sleep(0.05)
    view.show_tab(1)
    if view.found_list.count():
        view.found_list.setCurrentRow(0)
    return view


__all__ = ["TeamsView", "demo_screenshot"]
