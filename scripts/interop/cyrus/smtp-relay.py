#!/usr/bin/env python3
"""The SMTP endpoint Cyrus submits to (JMAP EmailSubmission), on loopback, stdlib only.

Recipients in a local domain are delivered to Cyrus over LMTP (checked at RCPT time, so a wrong
address is refused as a real server would); other recipients are never relayed, only recorded.
Every accepted message is appended to the outbox file, one JSON object per SMTP transaction
(envelope, what LMTP refused, the raw bytes in base64): the interop tests count sends there.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import smtplib
import time
from typing import Any


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:10025")
    parser.add_argument("--lmtp", default="127.0.0.1:10024", help="host:port or a socket path")
    parser.add_argument("--local-domains", default="example.com")
    parser.add_argument("--outbox", required=True)
    return parser.parse_args()


ARGS = parse_args()
LOCAL = {d.strip().lower() for d in ARGS.local_domains.split(",") if d.strip()}


def is_local(address: str) -> bool:
    return address.rsplit("@", 1)[-1].lower() in LOCAL


def address_of(argument: str) -> str:
    """`FROM:<a@b> SIZE=12` → `a@b`."""
    value = argument.split(":", 1)[1].strip()
    if value.startswith("<"):
        return value[1 : value.index(">")]
    return value.split()[0] if value else ""


def lmtp() -> smtplib.LMTP:
    if ARGS.lmtp.startswith("/"):
        return smtplib.LMTP(ARGS.lmtp)
    host, port = ARGS.lmtp.rsplit(":", 1)
    return smtplib.LMTP(host, int(port))


def check_local(recipient: str) -> tuple[int, str]:
    """Asks Cyrus's lmtpd whether it would take mail for `recipient`."""
    client = lmtp()
    try:
        client.ehlo("relay")
        client.mail("")
        code, text = client.rcpt(recipient)
        return code, text.decode(errors="replace")
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()


def deliver(mail_from: str, recipients: list[str], data: bytes) -> dict[str, Any]:
    local = [r for r in recipients if is_local(r)]
    refused: dict[str, Any] = {}
    if local:
        client = lmtp()
        try:
            refused = dict(client.sendmail(mail_from, local, data))
        except smtplib.SMTPRecipientsRefused as e:
            refused = dict(e.recipients)
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
    entry = {
        "time": time.time(),
        "mailFrom": mail_from,
        "rcptTo": recipients,
        "localDelivered": [r for r in local if r not in refused],
        "refused": {k: [v[0], v[1].decode(errors="replace")] for k, v in refused.items()},
        "captured": [r for r in recipients if not is_local(r)],
        "data_b64": base64.b64encode(data).decode(),
    }
    with open(ARGS.outbox, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
    return refused


async def read_data(reader: asyncio.StreamReader) -> bytes:
    lines: list[bytes] = []
    while True:
        line = await reader.readline()
        if not line or line in (b".\r\n", b".\n"):
            return b"".join(lines)
        lines.append(line[1:] if line.startswith(b"..") else line)


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    loop = asyncio.get_running_loop()

    def send(line: str) -> None:
        writer.write((line + "\r\n").encode())

    send("220 localhost monsisra-interop relay ESMTP")
    mail_from: str | None = None
    recipients: list[str] = []
    while True:
        await writer.drain()
        raw = await reader.readline()
        if not raw:
            break
        command = raw.decode(errors="replace").rstrip("\r\n")
        verb = command[:4].upper()
        if verb == "EHLO":
            for line in ("250-localhost", "250-PIPELINING", "250-8BITMIME", "250-SIZE 52428800"):
                send(line)
            send("250 ENHANCEDSTATUSCODES")
        elif verb == "HELO":
            send("250 localhost")
        elif verb == "MAIL":
            mail_from, recipients = address_of(command), []
            send("250 2.1.0 ok")
        elif verb == "RCPT" and mail_from is None:
            send("503 5.5.1 need MAIL first")
        elif verb == "RCPT":
            recipient = address_of(command)
            if is_local(recipient):
                try:
                    code, text = await loop.run_in_executor(None, check_local, recipient)
                except (smtplib.SMTPException, OSError) as e:
                    code, text = 451, f"LMTP check failed: {type(e).__name__}"
                if code >= 300:
                    status = "5.1.1" if code >= 500 else "4.3.0"
                    send(
                        f"{code} {status} <{recipient}>: refused by LMTP: {' '.join(text.split())}"
                    )
                    continue
            recipients.append(recipient)
            send("250 2.1.5 ok")
        elif verb == "DATA" and (mail_from is None or not recipients):
            send("503 5.5.1 need MAIL and RCPT")
        elif verb == "DATA":
            send("354 go ahead")
            await writer.drain()
            data = await read_data(reader)
            try:
                refused = await loop.run_in_executor(None, deliver, mail_from, recipients, data)
            except (smtplib.SMTPException, OSError) as e:
                send(f"451 4.3.0 relay error: {type(e).__name__}")
            else:
                if refused and len(refused) == len(recipients):
                    send("550 5.1.1 every recipient was refused by LMTP")
                else:
                    send("250 2.0.0 queued")
            mail_from, recipients = None, []
        elif verb == "RSET":
            mail_from, recipients = None, []
            send("250 2.0.0 ok")
        elif verb == "NOOP":
            send("250 2.0.0 ok")
        elif verb == "QUIT":
            send("221 2.0.0 bye")
            await writer.drain()
            break
        else:
            send("502 5.5.2 command not implemented")
    writer.close()


async def main() -> None:
    host, port = ARGS.listen.rsplit(":", 1)
    server = await asyncio.start_server(handle, host, int(port))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
