"""The main window and the composer in the states a review must see (issue 12, defects 2, 4 and 6),
for `make screenshots`: a list filtered on a patient at 1024 px wide, "Brouillons" with drafts of
this computer above the server's, a composer saying a long error, and — for a session whose server
no longer answers (scripts/screenshots.py cuts it) — the window offline with a message queued, and
the outbox view. Each builds the state through the app's own calls, as the user's clicks would."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.message.compose import OutgoingMessage
from app.message.draft import Draft
from app.records import Address
from app.session import AccountSession
from ui.bridge import EventBridge
from ui.composer.composer import Composer
from ui.mail.outbox import OutboxView
from ui.shell.main_window import MainWindow

BENALI = Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")


def demo_filtered_screenshot(session: AccountSession) -> QWidget:
    """At 1024 px wide, the inbox filtered on the patient of its first message about one."""
    window = MainWindow(session, restore_drafts=False)
    window.resize(1024, 700)
    model = window.conversations.model
    for row in range(model.rowCount()):
        summary = model.summary(row)
        if summary is not None and summary.patient is not None and summary.patient.ins:
            window.conversations.set_patient_filter(summary.patient)
            break
    return window


async def demo_drafts_screenshot(session: AccountSession) -> QWidget:
    """ "Brouillons": two drafts of this computer listed above the server's, the first one's
    server draft open in the reader."""
    for draft_id, subject, body in (
        ("demo-local-1", "Certificat de reprise — M. Roux", "Je soussignée…"),
        ("demo-local-2", "", "Bilan à compléter avant envoi."),
    ):
        draft = Draft(
            to=(BENALI,),
            subject=subject,
            body=body,
        )
        await session.save_draft(draft_id, draft)
    window = MainWindow(session, restore_drafts=False)
    window.resize(1280, 800)
    box = session.mailbox_by_role("drafts")
    if box is not None:
        window.show_mailbox(box.id)
        window.conversations.select_row(0)
    return window


def demo_error_screenshot(session: AccountSession) -> QWidget:
    """A composer saying a long error above the text (the window keeps its width)."""
    composer = Composer(session, draft=Draft(subject="Adressage — Mme Da Silva"))
    composer.keeps_draft = False
    composer.notify(
        "Le serveur a refusé le message : la taille totale des documents (32,4 Mo) dépasse la "
        "limite de 20 Mo acceptée par la messagerie sécurisée. Retirez un document ou envoyez-le "
        "dans un second message, puis réessayez.",
        error=True,
    )
    composer.draft_label.setText("Brouillon enregistré")
    return composer


async def demo_offline_screenshot(session: AccountSession) -> QWidget:
    """Offline, a message just sent: the window says the connection is lost, the status bar that
    the message will leave when it is back, and the outbox counter."""
    window = MainWindow(session, restore_drafts=False)
    window.resize(1280, 800)
    window.show()  # its status bar counts from here: the message below is news to it
    await session.send(
        OutgoingMessage(
            from_=await session.own_address(),
            to=[BENALI],
            subject="Compte rendu de consultation — Mme Da Silva",
            text="Cher confrère,\nvoici le compte rendu de la consultation de ce matin.",
        )
    )
    return window


def demo_outbox_screenshot(session: AccountSession) -> QWidget:
    """The outbox view opened from the status bar: what waits, and what the server refused with
    its reason."""
    host = QWidget()  # the view's owner, as the status bar is in the window
    view = OutboxView(session, EventBridge(session.bus, host), host)
    # The lambda (held by the connection) keeps the host alive while its view is.
    view.destroyed.connect(lambda: host.deleteLater())  # noqa: PLW0108 - not a bound method
    return view
