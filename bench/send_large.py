"""Sending a large document through the sandbox: upload, build (Email/set), deliver (submission).

    .venv/bin/python bench/send_large.py [--sizes-mb 20 200]

The real sandbox runs as a subprocess on 127.0.0.1 with --max-upload and --max-delivered-size
raised to 512 MB. For each size a PDF (a PDF header then random bytes) is uploaded, attached to a
message for one local recipient (Email/set create: the sandbox builds the MIME message, base64),
and sent (EmailSubmission/set: the sandbox delivers it into the recipient's Inbox). A thread
samples the server's VmRSS (/proc/<pid>/status) every 20 ms; "growth" is the peak minus its RSS
just before the upload. The recipient then downloads the attachment, whose sha256 must be the
document's. Target: build + deliver of 200 MB ≤ 5 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sync import server_process
from server.context import Sandbox
from server.testing import quick_config

SENDER = ("bench.sender", "bench-secret-1", "bench.sender@sisra-demo.mssante.fr")
RECIPIENT = ("bench.recipient", "bench-secret-2", "bench.recipient@sisra-demo.mssante.fr")
LIMIT = 512 * 1024 * 1024
MB = 1024 * 1024
USING = [
    "urn:ietf:params:jmap:core",
    "urn:ietf:params:jmap:mail",
    "urn:ietf:params:jmap:submission",
]


def rss_of(pid: int, field: str = "VmRSS") -> int:
    """VmRSS, or RssAnon (the process's own memory, without mapped file pages)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field}")


@dataclass
class Sampler:
    """The server's VmRSS and RssAnon every 20 ms in a thread; their peaks since the last reset."""

    pid: int
    peak: int = 0
    peak_anon: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        threading.Thread(target=self._run, name="rss-sampler", daemon=True).start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_of(self.pid))
            self.peak_anon = max(self.peak_anon, rss_of(self.pid, "RssAnon"))
            self._stop.wait(0.02)

    def reset(self) -> tuple[int, int]:
        self.peak = rss_of(self.pid)
        self.peak_anon = rss_of(self.pid, "RssAnon")
        return self.peak, self.peak_anon

    def stop(self) -> None:
        self._stop.set()


class Client:
    def __init__(self, url: str, login: str, password: str) -> None:
        r = httpx.post(
            url + "/auth/token",
            data={"grant_type": "password", "username": login, "password": password},
        )
        r.raise_for_status()
        self.http = httpx.Client(
            headers={"Authorization": f"Bearer {r.json()['access_token']}"}, timeout=300
        )
        self.session = self.http.get(url + "/.well-known/jmap").json()
        self.account_id: str = self.session["primaryAccounts"]["urn:ietf:params:jmap:mail"]

    def call(self, name: str, **args: Any) -> dict[str, Any]:
        args.setdefault("accountId", self.account_id)
        r = self.http.post(
            self.session["apiUrl"], json={"using": USING, "methodCalls": [[name, args, "c"]]}
        )
        r.raise_for_status()
        [[response, result, _]] = r.json()["methodResponses"]
        assert response == name, result
        return dict(result)

    def mailbox(self, role: str) -> str:
        return next(m["id"] for m in self.call("Mailbox/get")["list"] if m["role"] == role)

    def upload(self, path: Path) -> str:
        def chunks() -> Iterator[bytes]:
            with path.open("rb") as f:
                while chunk := f.read(MB):
                    yield chunk

        url = self.session["uploadUrl"].replace("{accountId}", self.account_id)
        r = self.http.post(url, content=chunks(), headers={"Content-Type": "application/pdf"})
        r.raise_for_status()
        blob_id: str = r.json()["blobId"]
        return blob_id

    def download_sha256(self, blob_id: str) -> str:
        url = (
            self.session["downloadUrl"]
            .replace("{accountId}", self.account_id)
            .replace("{blobId}", blob_id)
            .replace("{name}", "document.pdf")
            .replace("{type}", "application/pdf")
        )
        digest = hashlib.sha256()
        with self.http.stream("GET", url) as r:
            r.raise_for_status()
            for chunk in r.iter_bytes(MB):
                digest.update(chunk)
        return digest.hexdigest()


def write_pdf(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as f:
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        f.write(head)
        digest.update(head)
        left = size - len(head)
        while left:
            piece = os.urandom(min(left, MB))
            f.write(piece)
            digest.update(piece)
            left -= len(piece)
    return digest.hexdigest()


@dataclass
class Result:
    upload: float
    build: float
    deliver: float
    growth: int
    growth_anon: int
    same: bool
    states: str


def send_once(url: str, pid: int, folder: Path, size_mb: int) -> Result:
    document = folder / f"document-{size_mb}.pdf"
    expected = write_pdf(document, size_mb * MB)
    sender = Client(url, *SENDER[:2])
    recipient = Client(url, *RECIPIENT[:2])
    drafts = sender.mailbox("drafts")
    identity = sender.call("Identity/get")["list"][0]["id"]
    sampler = Sampler(pid)
    sampler.start()
    try:
        before = sampler.reset()
        started = time.perf_counter()
        blob_id = sender.upload(document)
        uploaded = time.perf_counter()
        created = sender.call(
            "Email/set",
            create={
                "d": {
                    "mailboxIds": {drafts: True},
                    "from": [{"email": SENDER[2]}],
                    "to": [{"email": RECIPIENT[2]}],
                    "subject": f"Document de {size_mb} Mo",
                    "textBody": [{"partId": "t", "type": "text/plain"}],
                    "bodyValues": {"t": {"value": "Le compte rendu est joint."}},
                    "attachments": [
                        {"blobId": blob_id, "type": "application/pdf", "name": "document.pdf"}
                    ],
                }
            },
        )
        built = time.perf_counter()
        email_id = created["created"]["d"]["id"]
        submitted = sender.call(
            "EmailSubmission/set",
            create={"s": {"emailId": email_id, "identityId": identity}},
        )
        delivered = time.perf_counter()
        growth = sampler.peak - before[0]
        growth_anon = sampler.peak_anon - before[1]
    finally:
        sampler.stop()
    status = submitted["created"]["s"]["deliveryStatus"]
    states = ", ".join(f"{a}: {s['delivered']}" for a, s in status.items())
    inbox = recipient.mailbox("inbox")
    [received] = recipient.call(
        "Email/query", filter={"inMailbox": inbox, "subject": f"Document de {size_mb} Mo"}
    )["ids"]
    [got] = recipient.call("Email/get", ids=[received], properties=["attachments"])["list"]
    same = recipient.download_sha256(got["attachments"][0]["blobId"]) == expected
    document.unlink()
    return Result(
        uploaded - started, built - uploaded, delivered - built, growth, growth_anon, same, states
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[20, 200])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sandbox = Sandbox(quick_config(folder / "server", max_size_upload=LIMIT))
        for login, password, address in (SENDER, RECIPIENT):
            sandbox.accounts.create(login, password, login.replace(".", " ").title(), address)
        sandbox.close()
        pids: list[int] = []
        limits = ("--max-upload", str(LIMIT), "--max-delivered-size", str(LIMIT))
        with server_process(folder / "server", *limits, on_start=pids.append) as url:
            for size in args.sizes_mb:
                r = send_once(url, pids[0], folder, size)
                print(
                    f"{size} MB PDF: upload {r.upload:.2f} s, build (Email/set) {r.build:.2f} s, "
                    f"deliver (EmailSubmission/set) {r.deliver:.2f} s — build + deliver "
                    f"{r.build + r.deliver:.2f} s; server peak RSS growth "
                    f"{r.growth / MB:.0f} MB (RssAnon {r.growth_anon / MB:.0f} MB); {r.states}; "
                    "recipient's download "
                    f"{'same sha256' if r.same else 'DIFFERENT sha256'}"
                )
    print(
        "reproduce: .venv/bin/python bench/send_large.py --sizes-mb "
        + " ".join(str(s) for s in args.sizes_mb)
    )


if __name__ == "__main__":
    main()
