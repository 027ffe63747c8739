"""Screenshots of issue 14 §2's delivery status, for review: the sender's reader with one line
per recipient — delivered, read, not delivered (unknown address, error colour), with a long
name — at a normal and a narrow width (status-reader.png, status-reader-narrow.png), and the
Envoyés list with its compact status (status-sent-list.png, status-sent-list-narrow.png).
Alone: `python scripts/screenshots_status.py --out DIR`, under Xvfb.
"""

from __future__ import annotations

import sys
from email.message import EmailMessage, Message
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.message.compose import OutgoingMessage  # noqa: E402
from app.records import Address  # noqa: E402
from app.session import AccountSession  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from ui import screenshots  # noqa: E402

GP_LOGIN = "helene.garnier"
KARIM = Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")
LONG = Address(
    "Dr Marie-Amélie de La Tour-Fontaine-Beauregard, cardiologie pédiatrique",
    "marie-amelie.delatour-fontaine@chu-exemple.mssante.fr",
)
UNKNOWN = Address("Dr Paul Lefèvre", "p.lefevre@ch-exemple.mssante.fr")
SUBJECT = "Échographie cardiaque de Mme Durand"


def _dsn(message_id: str, recipients: list[tuple[str, str, str]]) -> bytes:
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@ch-exemple.mssante.fr"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Message-ID"] = f"<dsn-{len(recipients)}-{message_id}>"
    report.set_content("Le message n'a pas pu être remis.\n")
    report.make_mixed()
    report.set_type("multipart/report")
    report.set_param("report-type", "delivery-status")
    blocks = [Message()]
    blocks[0]["Reporting-MTA"] = "dns; mx.ch-exemple.mssante.fr"
    for recipient, action, status in recipients:
        block = Message()
        block["Final-Recipient"] = f"rfc822; {recipient}"
        block["Action"] = action
        block["Status"] = status
        blocks.append(block)
    fields = EmailMessage()
    fields["Content-Type"] = "message/delivery-status"
    fields.set_payload(blocks)
    report.attach(fields)
    headers = EmailMessage()
    headers["Content-Type"] = "text/rfc822-headers"
    headers.set_payload(f"Message-ID: <{message_id}>\n")
    report.attach(headers)
    return report.as_bytes()


async def shoot_status(server: ServerThread, work: Path, out: Path) -> list[Path]:
    from PySide6.QtWidgets import QListView

    from ui.mail.conversation_delegate import ConversationDelegate
    from ui.mail.conversation_model import ConversationModel
    from ui.mail.reader import ReaderView

    url = server.base_url
    gp = await AccountSession.open(work / "status-gp", url, GP_LOGIN, DEMO_PASSWORD)
    karim = await AccountSession.open(work / "status-karim", url, "karim.benali", DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        me = await gp.own_address()
        outbox_id = await gp.send(
            OutgoingMessage(
                me,
                [KARIM, LONG, UNKNOWN],
                subject=SUBJECT,
                text="Cher confrère,\nvoici le compte rendu.\nBien à vous.",
                read_receipt=True,
            )
        )
        row = gp.outbox_row(outbox_id)
        assert row is not None
        message_id = row.message_id.strip("<>")
        account = server.sandbox.accounts.by_login(GP_LOGIN)
        assert account is not None
        with server.sandbox.db.write():
            server.sandbox.mail.import_message(
                account.id,
                _dsn(message_id, [(UNKNOWN.email, "failed", "5.1.1")]),
            )
            server.sandbox.mail.import_message(
                account.id,
                _dsn(message_id, [(LONG.email, "relayed", "2.0.0"), (UNKNOWN.email, "x", "")]),
            )
        await karim.sync_once()
        received = karim.email_by_message_id(row.message_id)
        assert received is not None
        await karim.send_read_receipt(received)
        await gp.sync_once()
        sent = gp.email_by_message_id(row.message_id)
        assert sent is not None
        for name, width in (("status-reader", 900), ("status-reader-narrow", 420)):
            view = ReaderView(gp)
            view.resize(width, 560)
            view.show_thread(sent.thread_id, sent.id, mark_read=False)
            saved.append(await screenshots.capture(view, out / f"{name}.png"))
        [sent_box] = [m for m in gp.mailboxes() if m.role == "sent"]
        for name, width in (("status-sent-list", 640), ("status-sent-list-narrow", 340)):
            model = ConversationModel(gp)
            model.set_query(sent_box.id, show_recipients=True)
            listing = QListView()
            listing.setObjectName("conversationList")
            listing.setModel(model)
            listing.setItemDelegate(ConversationDelegate(model, listing))
            listing.resize(width, 260)
            saved.append(await screenshots.capture(listing, out / f"{name}.png"))
    finally:
        await gp.close()
        await karim.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    return run_alone(shoot_status, __doc__, argv, professionals=300)


if __name__ == "__main__":
    sys.exit(main())
