"""`monsisra-cli`: the client core without a window, against any server, for support, scripts
and benchmarks. Same code as the desktop app: login, encrypted cache, sync, outbox, directory.

    monsisra-cli --server URL --login LOGIN --data DIR COMMAND …

The password comes from MONSISRA_PASSWORD or is asked for. Output is JSON on stdout; errors are
one line on stderr (in French, as the app would say them) and a non-zero exit code. At the first
login of an account whose server names other origins, the login stops and names them: run again
with `--approve-origin URL` for each (what the desktop app asks in a dialog).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import mimetypes
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from app import about, logs, messages, paths
from app.account.login import OpenAccount, open_account
from app.errors import CoreError
from app.events import CacheRebuilt, EventBus
from app.message.compose import OutgoingAttachment, OutgoingMessage
from app.message.doctypes import by_code
from app.outbox.sender import Outbox
from app.remote.directory import DirectoryClient, DirectoryQuery, Near
from app.remote.http import ServerUnreachable, make_http_client
from app.remote.jmap import JmapClient
from app.remote.origins import Origin, OriginApprovalNeeded, origin_of
from app.store import mail, search
from app.store import outbox as outbox_rows
from app.store.db import CacheCorrupt, UnsentCorrupt
from app.store.records import Address
from app.sync.engine import SyncEngine

log = logs.get("cli")


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
    commands = p.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="synchroniser le cache avec le serveur")
    sync.add_argument("--page-size", type=int, default=250, help="messages par page")
    s = commands.add_parser("search", help="recherche plein texte dans le cache (hors ligne aussi)")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=50)
    send = commands.add_parser("send", help="envoyer un message (mis en attente hors ligne)")
    send.add_argument("--to", action="append", required=True)
    send.add_argument("--cc", action="append", default=[])
    send.add_argument("--subject", required=True)
    send.add_argument("--body", required=True)
    send.add_argument("--attach", action="append", default=[], metavar="FILE[:TYPECODE]")
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
    account = await open_account(
        args.data,
        args.server,
        args.login,
        password,
        events=events,
        http_factory=partial(make_http_client, ca_bundle=args.ca_bundle),
        approve=args.approve_origin,
    )
    try:
        try:
            return await COMMANDS[args.command](account, args)
        except CacheCorrupt:
            # Damage found while working: rebuild the cache (the unsent work is in its own file),
            # say so, and try the command once more.
            log.warning("cache damaged during %s: rebuilding, then retrying once", args.command)
            await account.rebuild_cache()
            return await COMMANDS[args.command](account, args)
    finally:
        await account.close()


def _say_rebuilt(event: CacheRebuilt) -> None:
    print(f"monsisra-cli: {event.reason_fr}", file=sys.stderr)


def _jmap(account: OpenAccount) -> JmapClient:
    if not account.online:
        raise ServerUnreachable("offline")
    return account.jmap_client()


async def cmd_sync(account: OpenAccount, args: argparse.Namespace) -> Any:
    started = time.monotonic()
    client = _jmap(account)
    sent = await Outbox(account.cache, client).send_pending()
    engine = SyncEngine(account.cache, client, page_size=args.page_size)
    report = await engine.sync_once()
    patients = await engine.read_patients()
    with account.cache.read() as conn:
        boxes = {m.id: m for m in mail.list_mailboxes(conn)}
        counts = mail.mailbox_counts(conn)
    return {
        "mailboxes": {
            (boxes[i].role or boxes[i].name): c.total for i, c in counts.items() if i in boxes
        },
        "messages": sum(1 for _ in _all_ids(account)),
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "sent": sent,
        "patients": patients,
        "seconds": round(time.monotonic() - started, 3),
    }


def _all_ids(account: OpenAccount) -> set[str]:
    with account.cache.read() as conn:
        return mail.email_ids(conn)


async def cmd_search(account: OpenAccount, args: argparse.Namespace) -> Any:
    def query() -> list[search.SearchHit]:
        with account.cache.read() as conn:
            return search.search(conn, args.text, args.limit)

    hits = await asyncio.to_thread(query)
    return [
        {"emailId": h.email_id, "subject": h.subject, "receivedAt": h.received_at.isoformat()}
        for h in hits
    ]


async def cmd_send(account: OpenAccount, args: argparse.Namespace) -> Any:
    from_email = await _own_address(account)
    message = OutgoingMessage(
        from_=Address(None, from_email),
        to=[Address(None, a) for a in args.to],
        cc=[Address(None, a) for a in args.cc],
        subject=args.subject,
        text=args.body,
        attachments=[_attachment(spec) for spec in args.attach],
    )
    outbox = Outbox(account.cache, _jmap(account) if account.online else None)
    # Retried after a cache rebuild: the message is already queued, it must not go twice.
    outbox_id = getattr(args, "queued_id", None) or await outbox.queue(message)
    args.queued_id = outbox_id
    if account.online:
        # Offline (or cut meanwhile), it stays queued: "sera envoyé au retour de la connexion".
        with contextlib.suppress(ServerUnreachable):
            await outbox.send_pending()
    with account.cache.read() as conn:
        row = outbox_rows.get(conn, outbox_id)
    if row is None:  # queued in an unsent file that was damaged since, and set aside
        raise UnsentCorrupt("queued message set aside")
    return {"outboxId": row.id, "state": row.state, "messageId": row.message_id, "error": row.error}


async def cmd_outbox(account: OpenAccount, args: argparse.Namespace) -> Any:
    if args.retry or args.send:
        outbox = Outbox(account.cache, _jmap(account))
        if args.retry:
            await outbox.retry(args.retry)
        await outbox.send_pending()
    with account.cache.read() as conn:
        listed = outbox_rows.list_rows(conn)
    return [
        {
            "id": r.id,
            "state": r.state,
            "subject": r.payload.get("subject"),
            "messageId": r.message_id,
            "error": r.error,
            "attempts": r.attempts,
        }
        for r in listed
    ]


async def cmd_directory(account: OpenAccount, args: argparse.Namespace) -> Any:
    client = _jmap(account)
    session = await client.session()
    if session.regional is None:
        raise CoreError("no directory", messages.CLI_NO_DIRECTORY)
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
    assert account.http is not None
    page = await DirectoryClient(account.http, session.regional.directory_url).search(query)
    return [asdict(c) for c in page.correspondents]


async def _own_address(account: OpenAccount) -> str:
    """The account's sending address: its JMAP identity when online, else the login."""
    if account.online and account.http is not None:
        got = await _jmap(account).get_all("Identity", None, ["email"])
        if got and isinstance(got[0].get("email"), str):
            return str(got[0]["email"])
    return account.ref.login


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
}

if __name__ == "__main__":
    sys.exit(main())
