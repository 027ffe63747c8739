"""`make screenshots`: every main screen of the app to PNG, for review (run under Xvfb:
`xvfb-run -a -s "-screen 0 1280x800x24" python scripts/screenshots.py`).

A sandbox with demo data runs in this process (this dev tool may import server/; ui/ never does);
the login window is painted first (also as on a computer without a usable keyring, at a small
size too), then the demo GP's account is opened and every screen module's
`demo_screenshot(session)` is rendered by ui.screenshots (a module not in this build is skipped
with a printed line). Then the app offline with mail waiting (main-window-offline-queued.png,
outbox.png): a message the server refused, the network cut, a message queued. Before that, the
compte rendu of a téléexpertise filed in the patient's record (teleexpertise-report.png,
patients-documents*.png: with documents, none, offline, small), and a full data folder
(disk-full-*.png: the status bar, narrow too, and a composer whose draft could not be saved).
Then the hostile
fixture of the tests (tests/hostile.py) is put into the sandbox and the reader, Mes patients,
Téléexpertise and the directory are shown with it (hostile-*.png): outside text must show as
characters. And the refusals that protect the
credentials (refused-*.png): an http:// address to another computer, a server whose certificate
is not trusted (a sandbox over TLS with a self-signed certificate), and the question asked at a
first login whose server names another address.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import logs  # noqa: E402
from app import settings as settings_mod  # noqa: E402
from app.records import Address  # noqa: E402
from app.session import AccountSession  # noqa: E402
from scripts.screenshots_directory import national_sandbox, shoot_national_directory  # noqa: E402
from scripts.screenshots_disk import shoot_disk  # noqa: E402
from scripts.screenshots_mss import shoot_patient_mailbox  # noqa: E402
from scripts.screenshots_portal import shoot_registration_and_portal  # noqa: E402
from scripts.screenshots_psc import shoot_psc  # noqa: E402
from scripts.screenshots_receipts import shoot_receipts  # noqa: E402
from scripts.screenshots_status import shoot_status  # noqa: E402
from scripts.screenshots_traces import shoot_traces  # noqa: E402
from server import demo  # noqa: E402
from server.context import Sandbox  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread, quick_config  # noqa: E402
from ui import screenshots, theme  # noqa: E402
from ui.app import install_translations, make_application  # noqa: E402
from ui.login.window import DemoHint, LoginWindow  # noqa: E402

GP_LOGIN = "helene.garnier"
SYNC_TIMEOUT = 120.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=Path("screenshots"))
    p.add_argument("--professionals", type=int, default=3_000, help="directory size (speed)")
    return p.parse_args(argv)


async def shoot(
    server: ServerThread,
    tls_server: ServerThread,
    work: Path,
    out: Path,
    national: ServerThread | None = None,
) -> list[Path]:
    server_url = server.base_url
    client = work / "client"
    settings_mod.use(client)
    settings_mod.override(server_url=server_url)
    login = LoginWindow(client, DemoHint(GP_LOGIN, DEMO_PASSWORD))
    saved = [await screenshots.capture(login, out / "login.png")]
    print(f"login : {saved[0]}", flush=True)
    for name, size in (("login-no-keyring", None), ("login-no-keyring-small", (560, 640))):
        bare = LoginWindow(client)  # on a computer without a usable keyring
        if size is not None:
            bare.resize(*size)
        bare.set_keyring_available(False)
        saved.append(await screenshots.capture(bare, out / f"{name}.png"))
        print(f"{name} : {saved[-1]}", flush=True)
    saved += await shoot_login_banners(client, out)
    settings_mod.override(server_url=server_url)  # the demo's server again

    session = await AccountSession.open(client, server_url, GP_LOGIN, DEMO_PASSWORD)
    try:
        session.start()
        deadline = time.monotonic() + SYNC_TIMEOUT
        while session.unread_total() == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)  # the rest of the first sync
        saved += await screenshots.render_session_screens(session, out)
    finally:
        await session.close()
    saved += await shoot_expertise(server, work, out)
    saved += await shoot_planning(server, work, out)
    saved += await shoot_report(server, work, out)  # issue 13 §3
    saved += await shoot_teams(server, work, out)  # issue 13 §4
    saved += await shoot_editing(server, work, out)  # issue 13 §1 (planedit)
    saved += await shoot_patient_mailbox(server, work, out)  # issue 14 §1 (mssout)
    saved += await shoot_receipts(server, work, out)  # issue 14 §2 (mdn)
    saved += await shoot_status(server, work, out)  # issue 14 §2 (delivery status)
    saved += await shoot_traces(server, work, out)  # issue 14 §5
    saved += await shoot_disk(server, work, out)  # issue 17 §2
    saved += await shoot_psc(server, work, out)  # issue 15 §1
    saved += await shoot_offline(server, work, out)  # before the hostile mail lands in its inbox
    saved += await shoot_hostile(server, client, out)
    # Issue 13 §5: the registration and telemedicine portal pages (scripts/screenshots_portal.py).
    saved += await shoot_registration_and_portal(server, work / "portal", out)
    if national is not None:  # issue 14 §4: the directory under the national API's rules
        saved += await shoot_national_directory(national, work, out)
    return saved + await shoot_refusals(tls_server, work, out)


async def shoot_expertise(server: ServerThread, work: Path, out: Path) -> list[Path]:
    """« Se déclarer comme télé-expert » filled, then refused by the server (a prerequisite too
    long), and a request to the demo's expert with her prerequisites and a document joined."""
    from app.records import DirectoryQuery
    from ui.documents import Document
    from ui.teleexpertise.declare import ExpertProfileDialog
    from ui.teleexpertise.request import TeleexpertiseRequestDialog

    expert = await AccountSession.open(
        work / "expert", server.base_url, "nadia.lefevre", DEMO_PASSWORD
    )
    session = await AccountSession.open(work / "gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        profile = await expert.expertise.set_profile(
            "Avis dermatologiques sur photographies : lésions pigmentées, plaies chroniques.",
            [
                "Photographies de la lésion (vue d'ensemble et rapprochée)",
                "Dernier bilan biologique",
            ],
            specialties=["SM15"],
            response_delay_days=3,
        )
        form = ExpertProfileDialog(expert, profile)
        saved.append(await screenshots.capture(form, out / "expert-declaration.png"))
        refused = ExpertProfileDialog(expert, profile)
        refused.documents_edit.setPlainText("Dernier bilan biologique " * 13)
        refused.show()
        task = refused.save()
        await _until(lambda: task is not None and task.done(), "the server's refusal")
        saved.append(await screenshots.capture(refused, out / "expert-declaration-error.png"))
        # Issue 13, mends: « Rechercher une spécialité » typed, the ticked one kept in view; then
        # nothing found, in a small window.
        for name, typed, size in (
            ("expert-declaration-filtered", "cardio", None),
            ("expert-declaration-no-specialty", "xylophone", (460, 560)),
        ):
            filtered = ExpertProfileDialog(expert, profile)
            filtered.specialty_list.filter_edit.setText(typed)
            if size is not None:
                filtered.resize(*size)
            saved.append(await screenshots.capture(filtered, out / f"{name}.png"))

        page = await session.search_directory(DirectoryQuery(name="Lefèvre", experts_only=True))
        nadia = next(c for c in page.correspondents if c.expert and c.mailbox)
        request = TeleexpertiseRequestDialog(session, nadia)
        request.question_edit.setPlainText(
            "Lésion pigmentée du dos, apparue il y a 3 mois : avis ?"
        )
        document = work / "bilan-biologique.pdf"
        document.write_bytes(b"%PDF-1.4 bilan")
        request.documents.add(Document.of(document, "11502-2"))
        request.show()
        await _until(lambda: "Photographies" in request.prerequisites_label.text(), "prereqs")
        saved.append(await screenshots.capture(request, out / "teleexpertise-request.png"))
    finally:
        await session.close()
        await expert.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


async def shoot_planning(server: ServerThread, work: Path, out: Path) -> list[Path]:
    """« Planifier une téléconsultation »: the form as it opens, filled at the time of one of
    the GP's teleconsultations (the conflict warning) with the patient's contacts wrong, the
    secretary's planning « au nom de » the GP refused by the server (the delegation withdrawn
    meanwhile, then given back), the page after planning (the new one selected) and the question
    « Annuler la téléconsultation » about it."""
    import datetime as dt

    from PySide6.QtCore import QDate, QTime

    from app.regional.teleconsultations import PARIS
    from ui.teleconsultations.view import TeleconsultationsView

    def at(dialog: Any, start: dt.datetime) -> None:
        dialog.date_edit.setDate(QDate(start.year, start.month, start.day))
        dialog.time_edit.setTime(QTime(start.hour, start.minute))

    gp = await AccountSession.open(work / "plan-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    secretary = await AccountSession.open(
        work / "plan-secretary", server.base_url, "sandrine.morel", DEMO_PASSWORD
    )
    saved: list[Path] = []
    try:
        page = TeleconsultationsView(gp)
        page.resize(1040, 720)
        page.show()
        await _until(lambda: not page.loading, "the teleconsultations")
        empty = page.open_plan()
        saved.append(await screenshots.capture(empty, out / "teleconsultation-plan.png"))

        busy = next(t for t in page.items if t.status == "planned")
        filled = page.open_plan()
        at(filled, busy.start.astimezone(PARIS) + dt.timedelta(minutes=10))
        filled.payment_check.setChecked(True)
        filled.sms_check.setChecked(True)
        filled.patient_box.name_edit.setText("Marcel Durand")
        filled.patient_box.email_edit.setText("marcel.durand@")
        filled.patient_box.mobile_edit.setText("04 12 34 56 78")
        filled.participants_box.name_edit.setText("Claire Durand (sa fille)")
        filled.participants_box.add_typed()
        filled.motive_edit.setText("Suivi tensionnel")
        saved.append(await screenshots.capture(filled, out / "teleconsultation-plan-conflict.png"))

        hers = TeleconsultationsView(secretary)
        hers.show()
        await _until(lambda: not hers.loading, "the secretary's teleconsultations")
        refused = hers.open_plan()
        await _until(lambda: refused.teleconsultant_combo.count() > 1, "the GP's delegation")
        refused.teleconsultant_combo.setCurrentIndex(1)
        at(refused, dt.datetime.now(PARIS) + dt.timedelta(days=3))
        refused.patient_box.name_edit.setText("Jeanne Petit")
        refused.patient_box.email_edit.setText("jeanne.petit@patient.example")
        refused.motive_edit.setText("Renouvellement d'ordonnance")
        (delegate,) = await gp.delegations.list()
        await gp.delegations.remove(delegate.account_id)
        try:
            task = refused.send()
            await _until(lambda: task is not None and task.done(), "the server's refusal")
            saved.append(
                await screenshots.capture(refused, out / "teleconsultation-plan-error.png")
            )
        finally:
            await gp.delegations.add(address=delegate.mssante_address)
        hers.close()
        hers.deleteLater()

        planning = page.open_plan()
        # 3 hours on: after the demo's own of today (2 hours on the hour), never at its time.
        at(planning, dt.datetime.now(PARIS) + dt.timedelta(hours=3))
        planning.patient_box.name_edit.setText("Marcel Durand")
        planning.patient_box.email_edit.setText("marcel.durand@patient.example")
        planning.motive_edit.setText("Suivi tensionnel")
        planning.send()
        await _until(lambda: not planning.isVisible(), "the planning")
        await _until(lambda: not page.loading, "the list read again")
        question = page.ask_cancel()  # the new one is selected, and hers to cancel
        assert question is not None
        question.reason_edit.setText("Patient hospitalisé")
        saved.append(await screenshots.capture(question, out / "teleconsultation-cancel.png"))
        saved.append(await screenshots.capture(page, out / "teleconsultations-planned.png"))
    finally:
        await secretary.close()
        await gp.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


async def shoot_teams(server: ServerThread, work: Path, out: Path) -> list[Path]:
    """Issue 13 §4, « Équipes ressources »: the cardiologist's teams (the demo's, his to edit:
    templates and limits), the GP's page empty, a team with a long name and long words found and
    open (also in a small window), the Annuaire finding the teams, the declaration form filled
    then refused by the server, a template over the limit refused, and the page offline."""
    from app.records import DirectoryQuery
    from app.regional.teams import TeamService
    from ui.directory.view import DirectoryView
    from ui.teams.view import TeamsView

    cardio = await AccountSession.open(
        work / "teams-cardio", server.base_url, "karim.benali", DEMO_PASSWORD
    )
    gp = await AccountSession.open(work / "teams-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []

    async def loaded(view: TeamsView) -> TeamsView:
        view.show()
        await _until(lambda: not (view.loading or view.searching), "the teams")
        return view

    try:
        found = await cardio.search_directory(DirectoryQuery(name="Lefèvre"))
        members = [c.mailbox for c in found.correspondents if c.mailbox][:2]
        await cardio.teams.declare(
            "Équipe ressource régionale de coordination des parcours complexes en "
            "insuffisance cardiaque, rénale et respiratoire chronique — Hospices Civils de Lyon",
            "Coordination des parcours complexes : évaluation pluriprofessionnelle, "
            "télésurveillance, éducation thérapeutique, hospitalisations programmées.",
            (await cardio.own_address()).email,
            "Dernier courrier du médecin traitant ; ECG, échographie et bilan biologique de "
            "moins d'un mois ; liste des traitements (DCI, doses) ; "
            "coordonnées-de-l-aidant-principal-et-de-l-infirmier-libéral-référent.",
            members,
        )
        mine = await loaded(TeamsView(cardio))
        mine.resize(1180, 760)
        mine.mine_list.setCurrentRow(0)  # the demo team, with its template
        saved.append(await screenshots.capture(mine, out / "teams-mine.png"))

        empty = await loaded(TeamsView(gp))
        empty.resize(1180, 760)
        saved.append(await screenshots.capture(empty, out / "teams-empty.png"))

        for name, size in (("teams-find-long", (1180, 760)), ("teams-find-small", (900, 600))):
            view = await loaded(TeamsView(gp))
            view.resize(*size)
            view.show_tab(1)
            view.found_list.setCurrentRow(1)  # the long one, after « …insuffisance… »
            saved.append(await screenshots.capture(view, out / f"{name}.png"))

        directory = DirectoryView(gp)
        directory.resize(1040, 720)
        directory.show()
        directory.category_combo.setCurrentIndex(
            directory.category_combo.findData("equipe-ressource")
        )
        directory.search()
        await _until(lambda: not directory.searching, "the teams in the directory")
        directory.results.setCurrentIndex(directory.results_model.index(0))
        saved.append(await screenshots.capture(directory, out / "directory-teams.png"))

        form = (await loaded(TeamsView(gp))).declare()
        await _until(lambda: "@" in form.contact_edit.text(), "my address in the form")
        form.name_edit.setText("Équipe mobile de soins palliatifs — Centre hospitalier de Vienne")
        form.activity_edit.setPlainText("Avis et accompagnement des patients en soins palliatifs.")
        form.prerequisites_edit.setPlainText("Dernier courrier, traitements en cours.")
        form.members.add_correspondents(found.correspondents[:1])
        saved.append(await screenshots.capture(form, out / "teams-declare.png"))
        refused = (await loaded(TeamsView(gp))).declare()
        await _until(lambda: "@" in refused.contact_edit.text(), "my address in the form")
        refused.name_edit.setText("Équipe mobile de soins palliatifs")
        refused.activity_edit.setPlainText("Avis et accompagnement.")
        refused.contact_edit.setText("soins-palliatifs@ch-vienne")
        task = refused.save()
        await _until(lambda: task is not None and task.done(), "the server's refusal")
        saved.append(await screenshots.capture(refused, out / "teams-declare-error.png"))

        too_big = await loaded(TeamsView(cardio))
        too_big.resize(1180, 760)
        too_big.mine_list.setCurrentRow(too_big.mine_list.count() - 1)
        scan = work / "Dossier complet numérisé.pdf"
        scan.write_bytes(b"%PDF-1.4 " + b"x" * (12 * 1024 * 1024))
        upload = too_big.add_templates(too_big.mine_card, [scan])
        await _until(lambda: upload is not None and upload.done(), "the limit")
        saved.append(await screenshots.capture(too_big, out / "teams-template-too-large.png"))

        gp.teams = TeamService(gp.regional, lambda: False)  # as the session is when offline
        offline = await loaded(TeamsView(gp))
        offline.resize(1180, 760)
        saved.append(await screenshots.capture(offline, out / "teams-offline.png"))
    finally:
        await gp.close()
        await cardio.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


# Issue 13 §1 (planedit) ---------------------------------------------------------------------------


async def shoot_editing(server: ServerThread, work: Path, out: Path) -> list[Path]:
    """« Modifier » a teleconsultation: the form filled in with one that asks a payment and has
    other participants; the same moved onto another of the GP's and refused by the server (the
    form keeps everything); the planning form refused the same way; the list with « payé » and
    « en attente » (a paid one selected), also in a small window."""
    import datetime as dt

    from PySide6.QtCore import QDate, QTime

    from app.regional.teleconsultations import PARIS
    from ui.teleconsultations.view import TeleconsultationsView

    def at(dialog: Any, start: dt.datetime) -> None:
        local = start.astimezone(PARIS)
        dialog.date_edit.setDate(QDate(local.year, local.month, local.day))
        dialog.time_edit.setTime(QTime(local.hour, local.minute))

    gp = await AccountSession.open(work / "edit-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        page = TeleconsultationsView(gp)
        page.resize(1040, 720)
        page.show()
        await _until(lambda: not page.loading, "the teleconsultations")
        planned = [t for t in page.items if t.status == "planned" and t.can_manage]
        chosen = next((t for t in planned if t.online_payment and t.participants), planned[0])
        other = next(t for t in planned if t.id != chosen.id)
        model = page.upcoming_model
        rows = [model.item(r) for r in range(model.rowCount())]
        page.upcoming_list.setCurrentIndex(model.index(rows.index(chosen)))
        edit = page.open_edit()
        assert edit is not None
        saved.append(await screenshots.capture(edit, out / "teleconsultation-edit.png"))
        moved = page.open_edit()
        assert moved is not None
        at(moved, other.start + dt.timedelta(minutes=5))
        task = moved.send()
        await _until(lambda: task is not None and task.done(), "the server's refusal")
        saved.append(await screenshots.capture(moved, out / "teleconsultation-edit-overlap.png"))

        plan = page.open_plan()
        at(plan, other.start)
        plan.patient_box.name_edit.setText("Marcel Durand")
        plan.patient_box.email_edit.setText("marcel.durand@patient.example")
        plan.motive_edit.setText("Suivi tensionnel")
        task = plan.send()
        await _until(lambda: task is not None and task.done(), "the server's refusal")
        saved.append(await screenshots.capture(plan, out / "teleconsultation-plan-overlap.png"))

        paid = next((r for r, t in enumerate(rows) if t and t.payment_status == "paid"), 0)
        for name, size in (("", (1040, 720)), ("-small", (760, 560))):
            shown = TeleconsultationsView(gp)
            shown.resize(*size)
            shown.show()
            await _until(lambda shown=shown: not shown.loading, "the teleconsultations")
            shown.upcoming_list.setCurrentIndex(shown.upcoming_model.index(paid))
            path = out / f"teleconsultations-payment{name}.png"
            saved.append(await screenshots.capture(shown, path))
        page.close()
        page.deleteLater()
    finally:
        await gp.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


async def shoot_login_banners(client: Path, out: Path) -> list[Path]:
    """The login window at its default size with two long banners, and with its server down."""
    two = LoginWindow(client)
    two.show()
    await _until(lambda: two.server_reachable is not None, "the probe of the demo server")
    two.offline_banner.say(
        "Serveur injoignable : mode hors connexion. Vos messages déjà synchronisés restent "
        "lisibles ; l'envoi reprendra dès le retour du réseau."
    )
    two.error_banner.say(
        "Le certificat du serveur n'est pas reconnu : il a été émis pour « autre.exemple.fr », "
        "pas pour « messagerie.sante-ara.fr ». Vérifiez l'adresse du serveur, ou demandez à "
        "votre service informatique d'ajouter l'autorité de certification."
    )
    saved = [await screenshots.capture(two, out / "login-two-banners.png")]
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}"
    settings_mod.override(server_url=down)
    unreachable = LoginWindow(client)
    unreachable.show()
    await _until(lambda: unreachable.server_reachable is not None, "the probe of a server down")
    saved.append(await screenshots.capture(unreachable, out / "login-unreachable.png"))
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


async def _until(ready: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + SYNC_TIMEOUT
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.2)


async def shoot_hostile(server: ServerThread, client: Path, out: Path) -> list[Path]:
    """The unhappy state that matters most: a colleague whose names, subject, documents, patient,
    questions and motives are full of markup, bidirectional controls and length
    (tests/hostile.py), shown as characters, elided or wrapped."""
    from tests.hostile import Hostile, deliver, seed
    from ui.directory.view import DirectoryView
    from ui.patients.view import PatientsView
    from ui.shell.main_window import MainWindow
    from ui.teleexpertise.view import TeleexpertiseView

    hostile = Hostile(Path("canari"))  # a path shown, never opened
    world = seed(server, (GP_LOGIN, DEMO_PASSWORD), hostile)
    deliver(server, GP_LOGIN, world, hostile, client)
    session = await AccountSession.open(client, server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        session.start()
        window = MainWindow(session, restore_drafts=False)
        window.resize(1280, 800)
        model = window.conversations.model

        def hostile_row() -> int:
            rows = (model.summary(r) for r in range(min(model.rowCount(), 20)))
            return next((i for i, s in enumerate(rows) if s and "Objet" in s.subject), -1)

        await _until(lambda: hostile_row() >= 0, "the hostile message")
        window.conversations.select_row(hostile_row())
        saved.append(await screenshots.capture(window, out / "hostile-reader.png"))

        patients = PatientsView(session)
        patients.resize(1100, 760)
        await _until(lambda: not patients.loading, "Mes patients")
        patients.select_patient(world.patient_id)
        saved.append(await screenshots.capture(patients, out / "hostile-patients.png"))

        expertise = TeleexpertiseView(session)
        expertise.resize(1120, 720)
        await _until(lambda: not expertise.loading, "Téléexpertise")
        asked = next(t for t in expertise.sent_model.rows() if t.patient.id == world.patient_id)
        expertise.select(asked.id)
        saved.append(await screenshots.capture(expertise, out / "hostile-teleexpertise.png"))

        directory = DirectoryView(session)
        directory.resize(1040, 720)
        directory.name_edit.setText("Zorglub")
        directory.search()
        await _until(lambda: not directory.searching, "the directory")
        directory.results.setCurrentIndex(directory.results_model.index(0))
        saved.append(await screenshots.capture(directory, out / "hostile-directory.png"))
    finally:
        await session.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


async def shoot_report(server: ServerThread, work: Path, out: Path) -> list[Path]:
    """Issue 13 §3, the compte rendu filed in the patient's record: the GP closes her answered
    téléexpertise (the detail with its report, filed), then Mes patients on that patient's
    documents, on a patient without any, and offline (the network cut by a relay: the documents
    received by message only), at a small size too."""
    from tests.app.netrelay import Relay
    from ui.patients.view import PatientsView
    from ui.teleexpertise.view import TeleexpertiseView

    relay = Relay(server.port)
    gp = await AccountSession.open(work / "report-gp", await relay.start(), GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []

    async def grab(widget: Any, name: str) -> None:
        widget.show()
        await screenshots.settle(1.0)
        path = out / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not widget.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        saved.append(path)

    try:
        gp.start()
        await _until(lambda: gp.unread_total() > 0, "the GP's sync")
        expertise = TeleexpertiseView(gp)
        expertise.resize(1120, 720)
        expertise.show()
        await _until(lambda: not expertise.loading, "the téléexpertises")
        te = next(t for t in expertise.sent_model.rows() if t.status == "answered")
        expertise.select(te.id)
        expertise.action_edit.setPlainText(
            "Exérèse complète réalisée : naevus dysplasique, marges saines à l'histologie. "
            "Surveillance dermatoscopique annuelle ; reconsulter si une lésion change."
        )
        expertise.confirm = lambda _parent, _title, _text: True
        expertise.close_with_report()
        await _until(lambda: "clôturée" in expertise.feedback_label.text(), "the closing")
        await _until(lambda: not expertise.loading, "the list read again")
        await grab(expertise, "teleexpertise-report")
        expertise.close()

        ins = te.patient.ins or ""
        gp.sync_now()
        await _until(
            lambda: any(d.doc_type == "CR de télémédecine" for d in gp._documents_about(ins)),
            "the report's message in the cache",
        )
        page = PatientsView(gp)
        page.resize(1100, 760)
        page.show()
        await _until(lambda: not page.loading, "Mes patients")
        page.select_patient(te.patient.id)
        task = page.show_documents()
        await _until(lambda: task is not None and task.done(), "the patient's documents")
        await grab(page, "patients-documents")
        bare = next(
            p for p in page.file_active.followed if p.ins and not gp._documents_about(p.ins)
        )
        page.select_patient(bare.id)
        task = page.documents.task
        await _until(lambda: task is not None and task.done(), "a patient without documents")
        await grab(page, "patients-documents-empty")

        relay.cut()
        await _until(lambda: not gp.online, "the session offline")
        page.select_patient(te.patient.id)
        task = page.documents.task
        await _until(lambda: task is not None and task.done(), "the documents offline")
        await grab(page, "patients-documents-offline")
        page.resize(820, 600)
        await grab(page, "patients-documents-offline-small")
        page.close()
    finally:
        await gp.close()
        await relay.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


async def shoot_offline(server: ServerThread, work: Path, out: Path) -> list[Path]:
    """ui.screenshots.OFFLINE_SCREENS for the demo GP reaching the sandbox through a relay
    (tests/app/netrelay.py): a message the server loses twice is kept in the outbox with its
    reason (server/refusals.py), then the relay cuts the network."""
    from app.message.compose import OutgoingMessage
    from tests.app.netrelay import Relay

    relay = Relay(server.port)
    session = await AccountSession.open(
        work / "offline", await relay.start(), GP_LOGIN, DEMO_PASSWORD
    )
    try:
        session.start()
        await _until(lambda: session.unread_total() > 0, "the offline account's sync")
        server.sandbox.refusals.drafts_lost = 2
        refused = OutgoingMessage(
            from_=await session.own_address(),
            to=[Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")],
            subject="Ordonnance de sortie — M. Roux",
            text="Cher confrère,\nci-joint l'ordonnance de sortie.",
        )
        await session.send(refused)
        await _until(lambda: session.outbox_counts().failed == 1, "the refused message")
        server.sandbox.refusals.drafts_lost = 0
        relay.cut()
        await _until(lambda: not session.online, "the session offline")
        saved = await screenshots.render_session_screens(
            session, out, screens=screenshots.OFFLINE_SCREENS
        )
    finally:
        await session.close()
        await relay.close()
    return saved


async def shoot_refusals(tls_server: ServerThread, work: Path, out: Path) -> list[Path]:
    """The login window refusing what would expose the password, in the user's words
    (`tls_server`: a sandbox whose certificate nobody trusts)."""
    from ui.login.approval import OriginApprovalDialog

    client = work / "refusals"
    saved: list[Path] = []
    cleartext = LoginWindow(client)
    cleartext.server_edit.setText("http://messagerie.exemple.fr")
    cleartext.login_edit.setText(GP_LOGIN)
    cleartext.password_edit.setText(DEMO_PASSWORD)
    cleartext.submit()  # refused under the field, nothing sent
    saved.append(await screenshots.capture(cleartext, out / "refused-cleartext.png"))

    untrusted = LoginWindow(client)
    untrusted.server_edit.setText(tls_server.base_url)
    untrusted.login_edit.setText(GP_LOGIN)
    untrusted.password_edit.setText(DEMO_PASSWORD)
    untrusted.show()
    untrusted.submit()
    await _until(lambda: not untrusted.busy, "the certificate refusal")
    saved.append(await screenshots.capture(untrusted, out / "refused-certificate.png"))

    approval = OriginApprovalDialog(["https://api.messagerie-regionale.example"])
    saved.append(await screenshots.capture(approval, out / "refused-until-approved.png"))
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.resolve()
    logs.setup(None)  # the in-memory ring the Journal shows, as the app sets it up
    app = make_application(sys.argv[:1])
    translators = install_translations(app)
    theme.apply(app)
    with tempfile.TemporaryDirectory(prefix="monsisra-shots-") as tmp:
        work = Path(tmp)
        data = work / "server"
        print("Génération des données de démonstration…", flush=True)
        sandbox = Sandbox(quick_config(data))
        try:
            demo.generate(sandbox, professionals=args.professionals)
        finally:
            sandbox.close()
        from tests.tls_pki import make_pki

        untrusted = make_pki(work / "pki").self_signed
        with (
            ServerThread(quick_config(data, psc_simule=True)) as server,  # PSC as in make demo
            ServerThread(quick_config(work / "tls-server"), tls=untrusted) as tls_server,
            national_sandbox(data, work) as national,
        ):
            import qasync

            saved = qasync.run(shoot(server, tls_server, work, out, national))
    del translators
    print(f"{len(saved)} captures dans {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
