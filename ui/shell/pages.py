"""The main window's regional pages — the directory ("Annuaire"), "Mes patients", téléexpertise,
teleconsultations and the équipes ressources — and "Mon portail": each page is made the first time
the user shows it (its widgets and first reads wait until asked: an unlock builds the mail page
only), kept in the main window's stack after that, and read again when the connection comes back.

Part of the shell (it wires one page's requests to another: "Mes patients" writes about a patient
or lists their messages, a téléexpertise opens its conversation), split from
`ui/shell/main_window.py`, which owns the stack and the mail page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import browser, tasks
from ui.directory.view import DirectoryView
from ui.patients.view import PatientsView
from ui.teams.view import TeamsView
from ui.teleconsultations.view import TeleconsultationsView
from ui.teleexpertise.view import TeleexpertiseView

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

RegionalPage = DirectoryView | PatientsView | TeleconsultationsView | TeleexpertiseView | TeamsView


class RegionalPages:
    """The pages made so far, by their key in the navigation."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.made: dict[str, RegionalPage] = {}

    def page(self, key: str) -> RegionalPage:
        """The page of `key`, made (and added to the window's stack) the first time."""
        page = self.made.get(key)
        if page is None:
            page = self._make(key)
            self.made[key] = page
            self.window.pages.addWidget(page)
        return page

    def refresh(self) -> None:
        """Back online: the pages made so far read again (their "hors connexion" goes)."""
        for page in self.made.values():
            page.refresh()

    def _make(self, key: str) -> RegionalPage:
        window, session = self.window, self.window.session
        if key == "directory":
            directory = DirectoryView(session)
            directory.teamRequested.connect(self.show_team)  # issue 13 §4
            return directory
        if key == "teams":  # issue 13 §4: the team's "Remplir et renvoyer" writes from here
            teams = TeamsView(session)
            teams.compose = window.compose
            return teams
        if key == "teleconsultations":
            return TeleconsultationsView(session)
        if key == "patients":
            patients = PatientsView(session)
            patients.composeRequested.connect(
                lambda addresses: window.write_about_patient(addresses, patients.selected())
            )
            patients.messagesRequested.connect(
                lambda ins: window.show_patient_messages(ins, patients.selected())
            )
            return patients
        page = TeleexpertiseView(session)  # "teleexpertise", the last page
        page.openThread.connect(window.show_thread)
        return page

    def show_team(self, team_id: str) -> None:
        """An équipe ressource found in the directory: its card, on the teams page."""
        self.window.show_page("teams")
        page = self.page("teams")
        assert isinstance(page, TeamsView)
        page.open_team(team_id)


def open_portal(window: MainWindow) -> None:
    """MesPatients in the browser (online), signed in with a one-time code when the server gives
    one."""
    session = window.session
    urls = session.regional_urls

    async def portal_url() -> str:
        return (await session.portal.code()).url

    def fallback(message: str) -> None:
        if urls is not None:
            browser.open_link(urls.portal_url, window)
        else:
            window.notify(message)

    def open_url(url: str) -> None:
        browser.open_link(url, window)

    tasks.run(portal_url(), window, open_url, fallback)


__all__ = ["RegionalPage", "RegionalPages", "open_portal"]
