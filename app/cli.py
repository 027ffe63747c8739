"""`monsisra-cli`: the client core without a window, against any server, for support, scripts
and benchmarks. The desktop app's own session object (`AccountSession`): login, encrypted cache,
sync, outbox, directory — each command does its work once, without the background loop.

    monsisra-cli --server URL --login LOGIN --data DIR COMMAND …

The password comes from MONSISRA_PASSWORD or is asked for. Output is JSON on stdout; errors are
one line on stderr (in French, as the app would say them) and a non-zero exit code. At the first
login of an account whose server names other origins, the login stops and names them: run again
with `--approve-origin URL` for each (what the desktop app asks in a dialog). While the account
is open elsewhere (the app, another command) the command waits up to `--wait` seconds, then
stops with exit code 75 and says so: the cache is never opened twice.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import mimetypes
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app import about, logs, messages, paths
from app.account.lock import AccountInUse
from app.errors import CoreError
from app.events import CacheRebuilt, EventBus
from app.message.compose import OutgoingAttachment
from app.message.doctypes import by_code
from app.message.draft import ChosenPatient, Draft, outgoing
from app.message.dsn import reason_of
from app.message.patient import normalize_ins
from app.records import Address, DirectoryQuery, Near
from app.regional.patients import SearchCriteria
from app.remote.http import ServerUnreachable
from app.remote.origins import Origin, OriginApprovalNeeded, origin_of
from app.session import AccountSession, NoRegionalServices
from app.store.db import CacheCorrupt, UnsentCorrupt

log = logs.get("cli")

DEFAULT_WAIT_SECONDS = 10.0
# The account is open elsewhere (the app, another command): a distinct code, so that a script can
# try again later (EX_TEMPFAIL of sysexits.h: "a temporary failure, try again").
EXIT_ACCOUNT_IN_USE = 75


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="monsisra-cli", description=__doc__.split("\n\n")[0])
    p.add_argument("--version", action="version", version=about.version_line())
    p.add_argument("--server", required=True, help="URL du serveur régional")
    p.add_argument("--login", required=True, help="identifiant")
    p.add_argument("--data", type=Path, required=True, help="dossier des données locales")
    p.add_argument(
        "--approve-origin",
        action="append",
        default=[],
        type=_origin,
        metavar="URL",
        help="première connexion : autoriser l'envoi des identifiants à cette autre adresse "
        "du serveur (répétable)",
    )
    p.add_argument(
        "--ca-bundle",
        type=Path,
        metavar="FILE",
        help="certificats d'autorité supplémentaires (PEM, IGC Santé), en plus de ceux du système",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDES",
        help="si le compte est déjà ouvert (l'application, une autre commande) : attendre "
        f"jusqu'à ce délai qu'il soit fermé, puis abandonner (défaut : {DEFAULT_WAIT_SECONDS:g} s)",
    )
    commands = p.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="synchroniser le cache avec le serveur")
    sync.add_argument("--page-size", type=int, default=250, help="messages par page")
    s = commands.add_parser("search", help="recherche plein texte dans le cache (hors ligne aussi)")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=50)
    send = commands.add_parser("send", help="envoyer un message (mis en attente hors ligne)")
    send.add_argument("--to", action="append", required=True)
    send.add_argument("--cc", action="append", default=[])
    send.add_argument(
        "--subject",
        default="",
        help="objet ; avec --patient, « XDM/1.0/DDM+<type> <NOM> <prénom> <naissance> » "
        "s'il manque",
    )
    send.add_argument("--body", required=True)
    send.add_argument("--attach", action="append", default=[], metavar="FILE[:TYPECODE]")
    send.add_argument(
        "--patient",
        metavar="INS",
        help="le patient du message (annuaire patient régional) : ses documents partent en CDA "
        "dans IHE_XDM.ZIP, avec X-MSS-CODECDA et X-MSS-INS",
    )
    send.add_argument(
        "--read-receipt",
        action="store_true",
        help="demander un accusé de lecture (Disposition-Notification-To)",
    )
    send.add_argument(
        "--patient-no-reply",
        action="store_true",
        help="vers la messagerie d'un patient : le patient ne peut pas répondre (X-MSS-MES: FIN)",
    )
    o = commands.add_parser("outbox", help="la boîte d'envoi (états), et l'envoi des messages")
    o.add_argument("--send", action="store_true", help="envoyer ce qui attend")
    o.add_argument("--retry", metavar="ID", help="remettre un message échoué dans la file")
    d = commands.add_parser("directory", help="rechercher dans l'annuaire")
    d.add_argument("--name")
    d.add_argument("--specialty")
    d.add_argument("--profession")
    d.add_argument("--text")
    d.add_argument("--postal-code")
    d.add_argument("--departement")
    d.add_argument("--near", metavar="LAT,LON,KM")
    d.add_argument("--experts", action="store_true")
    d.add_argument("--count", type=int, default=50)
    st = commands.add_parser("status", help="état de remise d'un message envoyé, par destinataire")
    st.add_argument("message_id", metavar="MESSAGE-ID")
    return p.parse_args(argv)


def _origin(text: str) -> Origin:
    try:
        return origin_of(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"adresse non valide : {text}") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths.secure_data_root(args.data)
    logs.setup(args.data / "logs")
    log.info("%s", about.start_line("monsisra-cli"))
    password = os.environ.get("MONSISRA_PASSWORD")
    if password is None:
        password = getpass.getpass("Mot de passe : ")
    try:
        result = asyncio.run(run(args, password))
    except AccountInUse as e:
        print(f"monsisra-cli: {e.message_fr}", file=sys.stderr)
        return EXIT_ACCOUNT_IN_USE
    except OriginApprovalNeeded as e:
        flags = " ".join(f"--approve-origin {o}" for o in e.origins)
        print(f"monsisra-cli: {e.message_fr} Pour les autoriser : {flags}", file=sys.stderr)
        return 1
    except CoreError as e:
        print(f"monsisra-cli: {e.message_fr}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


async def run(args: argparse.Namespace, password: str) -> Any:
    events = EventBus()
    events.subscribe(CacheRebuilt, _say_rebuilt)
    # The desktop app's session: the same login, cache, outbox and services, without a window
    # (and without its background loop: each command does its work once).
    session = await AccountSession.open(
        args.data,
        args.server,
        args.login,
        password,
        bus=events,
        approve=args.approve_origin,
        ca_bundle=args.ca_bundle,
        lock_wait=args.wait,
    )
    try:
        try:
            return await COMMANDS[args.command](session, args)
        except CacheCorrupt:
            # Damage found while working: rebuild the cache (the unsent work is in its own file),
            # say so, and try the command once more.
            log.warning("cache damaged during %s: rebuilding, then retrying once", args.command)
            await session.rebuild_cache()
            return await COMMANDS[args.command](session, args)
    finally:
        await session.close()


def _say_rebuilt(event: CacheRebuilt) -> None:
    print(f"monsisra-cli: {event.reason_fr}", file=sys.stderr)


def _online(session: AccountSession) -> None:
    if not session.online:
        raise ServerUnreachable("offline")


async def cmd_sync(session: AccountSession, args: argparse.Namespace) -> Any:
    started = time.monotonic()
    _online(session)
    done = await session.sync_once(page_size=args.page_size)
    return {
        "mailboxes": {(m.role or m.name): m.total for m in session.mailboxes()},
        "messages": session.count(None),
        "added": done.added,
        "updated": done.updated,
        "removed": done.removed,
        "sent": done.sent,
        "patients": done.patients,
        "seconds": round(time.monotonic() - started, 3),
    }


async def cmd_search(session: AccountSession, args: argparse.Namespace) -> Any:
    hits = await asyncio.to_thread(session.search_hits, args.text, args.limit)
    return [
        {"emailId": h.email_id, "subject": h.subject, "receivedAt": h.received_at.isoformat()}
        for h in hits
    ]


async def cmd_send(session: AccountSession, args: argparse.Namespace) -> Any:
    """The composer's path (app.message.draft.outgoing): the same conventions, the same checks
    (patient mailboxes, trust space) before anything is queued."""
    if not args.subject.strip() and not args.patient:
        raise CoreError("no subject", messages.CLI_NO_SUBJECT)
    attachments = [_attachment(spec) for spec in args.attach]
    patient = await _patient(session, args.patient) if args.patient else None
    draft = Draft(
        to=tuple(Address(None, a) for a in args.to),
        cc=tuple(Address(None, a) for a in args.cc),
        subject=args.subject,
        body=args.body,
        patient=patient,
    )
    await session.refresh_trust_space_once()  # what the app's background loop does
    message = outgoing(
        draft,
        attachments,
        await session.own_address(),
        patient_cannot_reply=args.patient_no_reply,
        read_receipt=args.read_receipt,
    )
    # Retried after a cache rebuild: the message is already queued, it must not go twice.
    queued = getattr(args, "queued_id", None)
    if queued is None:
        # Queued, then sent when the server answers; offline (or cut meanwhile) it stays queued:
        # "sera envoyé au retour de la connexion".
        args.queued_id = await session.send(message)
    else:
        await session.send_outbox()
    row = session.outbox_row(args.queued_id)
    if row is None:  # queued in an unsent file that was damaged since, and set aside
        raise UnsentCorrupt("queued message set aside")
    return {"outboxId": row.id, "state": row.state, "messageId": row.message_id, "error": row.error}


async def cmd_outbox(session: AccountSession, args: argparse.Namespace) -> Any:
    if args.retry or args.send:
        _online(session)
        if args.retry:
            await session.retry(args.retry)
        await session.outbox.send_pending()
    return [
        {
            "id": r.id,
            "state": r.state,
            "subject": r.payload.get("subject"),
            "messageId": r.message_id,
            "error": r.error,
            "attempts": r.attempts,
        }
        for r in session.outbox_list()
    ]


async def cmd_directory(session: AccountSession, args: argparse.Namespace) -> Any:
    _online(session)
    near = None
    if args.near:
        try:
            lat, lon, km = (float(x) for x in args.near.split(","))
        except ValueError:
            raise CoreError("bad --near", messages.CLI_BAD_NEAR) from None
        near = Near(lat, lon, km)
    query = DirectoryQuery(
        name=args.name,
        specialty=args.specialty,
        profession=args.profession,
        text=args.text,
        postal_code=args.postal_code,
        departement=args.departement,
        near=near,
        experts_only=args.experts,
        count=args.count,
    )
    try:
        page = await session.search_directory(query)
    except NoRegionalServices:
        raise CoreError("no directory", messages.CLI_NO_DIRECTORY) from None
    return [asdict(c) for c in page.correspondents]


async def _patient(session: AccountSession, text: str) -> ChosenPatient:
    """The patient with this INS in the regional patient directory, as the composer's patient
    picker gets it (the same search, the same identity)."""
    ins = normalize_ins(text)
    if ins is None:
        raise CoreError("malformed INS", messages.CLI_BAD_INS.fill(ins=text))
    found = (await session.patients.search(SearchCriteria(ins=ins))).patients
    match = next((p for p in found if p.ins is not None and normalize_ins(p.ins) == ins), None)
    if match is None:
        raise CoreError("no patient with this INS", messages.CLI_UNKNOWN_PATIENT)
    return ChosenPatient.of(match)


async def cmd_status(session: AccountSession, args: argparse.Namespace) -> Any:
    """Issue 14 §6: where a sent message stands for each recipient, as the cache knows it after
    a sync (from the cache alone when offline)."""
    if session.online:
        await session.sync_once()
    record = await asyncio.to_thread(session.email_by_message_id, args.message_id)
    if record is None:
        raise CoreError(
            "unknown message",
            messages.DELIVERY_UNKNOWN_MESSAGE.fill(message_id=args.message_id),
        )
    return {
        "messageId": record.message_id[0] if record.message_id else args.message_id,
        "recipients": [
            {
                "email": s.recipient,
                "state": s.state,
                "reason": reason.text() if (reason := reason_of(s.code)) else None,
                "at": s.at.isoformat(),
            }
            for s in record.delivery
        ],
    }


def _attachment(spec: str) -> OutgoingAttachment:
    path_text, _, code = spec.rpartition(":") if ":" in spec else (spec, "", "")
    if not path_text:
        path_text, code = spec, ""
    path = Path(path_text)
    if not path.is_file():
        raise CoreError("no such file", messages.CLI_NO_SUCH_FILE.fill(name=path.name))
    if code and by_code(code) is None:
        raise CoreError("unknown type code", messages.CLI_UNKNOWN_DOCUMENT_TYPE.fill(code=code))
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return OutgoingAttachment(path, path.name, mime, code or None)


COMMANDS = {
    "sync": cmd_sync,
    "search": cmd_search,
    "send": cmd_send,
    "outbox": cmd_outbox,
    "directory": cmd_directory,
    "status": cmd_status,
}

if __name__ == "__main__":
    sys.exit(main())
