"""Text that was cut or hidden (issue 12, defect 6), measured on real widgets: each sentence gets
the height its wrapped lines need (sizes against actual geometry), within the screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.message.draft import Draft
from app.records import AttachmentRecord, EmailRecord, PatientRef
from app.session import AccountSession
from tests.ui.conftest import run_sync
from ui import theme
from ui.composer.composer import Composer
from ui.composer.reopening import restore_all
from ui.login.banners import Banner
from ui.login.window import LoginWindow
from ui.mail.documents import AttachmentChip
from ui.mail.message_body import MessageBody
from ui.shell.main_window import MainWindow

OFFLINE = (
    "Serveur injoignable : mode hors connexion. Vos messages déjà synchronisés restent lisibles ; "
    "l'envoi reprendra dès le retour du réseau."
)
CERTIFICATE = (
    "Le certificat du serveur n'est pas reconnu : il a été émis pour « autre.exemple.fr », pas "
    "pour « messagerie.sante-ara.fr ». Vérifiez l'adresse du serveur, ou demandez à votre service "
    "informatique d'ajouter l'autorité de certification."
)


def whole(banner: Banner) -> bool:
    """The banner's sentence has the height its lines need, and the banner holds the label."""
    text = banner.text
    return text.height() >= text.heightForWidth(text.width()) and banner.rect().contains(
        text.geometry()
    )


def test_two_long_login_banners_are_whole_and_the_window_stays_on_the_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = LoginWindow(tmp_path / "client")
    window.setStyleSheet(theme.style_sheet())
    window.probe_server = lambda: None  # type: ignore[method-assign]  # no server here
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.offline_banner.say(OFFLINE)
    window.error_banner.say(CERTIFICATE)
    QApplication.processEvents()

    screen = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= screen.height()  # the bottom is not off-screen
    for banner in (window.offline_banner, window.error_banner):
        assert whole(banner)
        window.scroller.ensureWidgetVisible(banner)
        QApplication.processEvents()
        seen = banner.visibleRegion().boundingRect()
        assert seen.height() == banner.height(), banner.objectName()  # scrolled to, all of it
    last: QWidget = window.register_button
    window.scroller.ensureWidgetVisible(last)
    QApplication.processEvents()
    assert last.visibleRegion().boundingRect().height() == last.height()  # reachable


def long_body_record() -> EmailRecord:
    """A message whose body is wider than the pane (a long unbroken address) and long."""
    wide = "https://dossier.sante-ara.fr/" + "x" * 300
    lines = "".join(f"<p>Ligne {i} du compte rendu.</p>" for i in range(1, 41))
    return EmailRecord(
        id="E1",
        thread_id="T1",
        mailbox_ids=frozenset({"inbox"}),
        received_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
        subject="Compte rendu",
        html_body=f"<p>Première ligne du message.</p><p>{wide}</p>{lines}",
    )


def test_the_wheel_over_a_message_body_scrolls_the_reading_pane_not_the_body(
    qtbot: QtBot,
) -> None:
    pane = QScrollArea()
    pane.setWidgetResizable(True)
    content = QWidget()
    column = QVBoxLayout(content)
    body = MessageBody()
    body.show_email(long_body_record())
    column.addWidget(body)
    pane.setWidget(content)
    qtbot.addWidget(pane)
    pane.resize(420, 300)
    pane.show()
    qtbot.waitExposed(pane)
    QApplication.processEvents()
    assert pane.verticalScrollBar().maximum() > 0  # the pane has somewhere to go

    # Through the window system, as a mouse wheel's notch over the body does.
    at = body.viewport().mapTo(pane, QPoint(40, 10))  # over its first line, in view
    assert pane.rect().contains(at)
    QTest.wheelEvent(pane.windowHandle(), QPointF(at), QPoint(0, -120))
    QApplication.processEvents()
    assert body.verticalScrollBar().value() == 0  # its first line stays where it is
    assert pane.verticalScrollBar().value() > 0  # the pane moved instead


NAME = "compte-rendu-consultation-cardiologie-du-12-decembre-2026.pdf"


def test_a_file_name_is_shortened_only_without_room_and_before_its_extension(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    holder = QWidget()
    row = QHBoxLayout(holder)
    chip = AttachmentChip(ui_session, AttachmentRecord(None, "B1", NAME, "application/pdf", 9000))
    row.addWidget(chip)
    row.addStretch(1)
    qtbot.addWidget(holder)
    holder.resize(900, 120)
    holder.show()
    qtbot.waitExposed(holder)
    assert chip.title.shown_text() == NAME  # room to spare: the whole name

    holder.resize(300, 120)
    QApplication.processEvents()
    shown = chip.title.shown_text()
    assert chip.title.text() == NAME  # what it is, whatever is painted
    assert shown != NAME
    assert shown.startswith("compte-rendu")
    assert shown.endswith("….pdf")  # the end is cut, the type stays readable
    assert chip.title.toolTip() == NAME
    assert chip.width() <= holder.width()


def test_the_composers_state_label_never_widens_the_window(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.keeps_draft = False
    composer.show()
    qtbot.waitExposed(composer)
    # As narrow as it goes (the narrowest screen it must fit): a label appearing then finds no
    # room to spare, as at ~860 px with a larger font.
    composer.resize(composer.minimumSizeHint().width(), composer.height())
    QApplication.processEvents()
    width = composer.width()
    composer.draft_label.setText("Brouillon enregistré")
    composer.progress_label.setText("Envoi en cours… " * 6)
    composer.progress_label.show()
    QApplication.processEvents()
    assert composer.width() == width
    assert composer.minimumSizeHint().width() <= width


def test_a_restored_composer_opens_centred_on_the_main_window(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    main = QMainWindow()
    qtbot.addWidget(main)
    screen = main.screen().availableGeometry()
    main.resize(600, 500)
    main.move(screen.center() - main.rect().center())
    main.show()
    qtbot.waitExposed(main)
    run_sync(qtbot, ui_session.save_draft("d1", Draft(subject="Suivi")))

    (composer,) = restore_all(ui_session)
    qtbot.addWidget(composer)
    qtbot.waitExposed(composer)
    centre = composer.frameGeometry().center()
    assert (centre - main.frameGeometry().center()).manhattanLength() <= 2
    assert screen.contains(composer.frameGeometry())
    composer.discard()


def test_a_patient_filter_says_the_list_is_filtered_and_nothing_in_the_header_is_cut(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    window = MainWindow(ui_session, restore_drafts=False)
    window.setStyleSheet(theme.style_sheet())
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    inbox = ui_session.mailbox_by_role("inbox")
    assert inbox is not None
    window.show_mailbox(inbox.id)
    born = dt.date(1939, 2, 3)
    patient = PatientRef("239022A12345678", None, "Marie-Christine", "DUPONT-LAFORGE", born)
    window.mail_page.conversations.set_patient_filter(patient)
    QApplication.processEvents()

    conversations = window.mail_page.conversations
    chip = conversations.patient_filter
    assert chip.isVisible()
    assert chip.text().startswith("Filtré : DUPONT-LAFORGE Marie-Christine")
    assert chip.text().endswith("✕")
    header = chip.parentWidget()
    assert header is not None
    for widget in (
        chip,
        conversations.unread_filter,
        conversations.attachment_filter,
        conversations.sort_box,
    ):
        seen = widget.visibleRegion().boundingRect()
        assert seen.size() == widget.size(), widget  # all of it on screen
        assert widget.width() >= widget.sizeHint().width(), widget  # its text not cut
