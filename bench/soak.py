"""A day of use (issue 17 §5): the app's core open for many sync cycles against a sandbox that
changes at random, with random user actions; whether anything grows without bound.

    .venv/bin/python bench/soak.py [--cycles 5000] [--seconds 900] [--seed 1] [--plot soak.png]

The sandbox (the demo, 200 professionals, no extra messages) runs as a subprocess, so that the
RSS, file descriptors and threads measured are the client's. The client is an `AccountSession`
of the demo GP with its background work started (push, sync, outbox, favorites, trust space), as
the desktop app runs it (its main window is not opened: the core alone is measured).

One cycle: 0–2 changes made on the server by "another device" of the GP over JMAP (a delivery
with a PDF through Email/import, a flag, a move, a deletion), one user action through the
session's public methods (read and open a document, reply, send, search, flag, archive, delete,
list the teleconsultations and téléexpertises, lock and unlock: close and open again), then a sync
asked (`sync_now`) and awaited (the background engine's next pass). Deletions keep the mailbox
near its first size, so that what the cache holds is steady and any growth is a leak.

Sampled every second: RSS, open file descriptors, threads (/proc/self), the cache file and its WAL
sizes, and the longest lateness of a 20 ms heartbeat task since the last sample (event-loop stall).
The slopes of a least-squares fit over the second half, per 1,000 cycles, are compared with the
LIMITS below; the run fails (exit 1) when one is over, when a cycle's sync never ends, or when the
cache differs from the server at the end (tests/app/sync_helpers.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.message.compose import OutgoingMessage, new_message_id, reply_to  # noqa: E402
from app.remote.auth import ServerAuth, password_grant  # noqa: E402
from app.remote.http import make_http_client  # noqa: E402
from app.remote.jmap import JmapClient  # noqa: E402
from app.session import AccountSession  # noqa: E402
from app.store.records import Address, EmailRecord  # noqa: E402
from app.sync.engine import SyncEngine, SyncReport  # noqa: E402
from app.trust.space import OutsideTrustSpace  # noqa: E402
from bench.sync import server_process  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from tests.app.sync_helpers import assert_cache_equals_server  # noqa: E402

LOGIN = "helene.garnier"  # the demo GP
COLLEAGUE = "karim.benali"  # in the trust space: the GP's replies and sends go to him
HEARTBEAT_S = 0.02
SAMPLE_S = 1.0
PASS_TIMEOUT_S = 120.0  # a sync pass that takes longer is a hang: the run fails
EXTRA_INBOX = 150  # the inbox is kept near its first size plus this many messages
# Growth allowed over the second half, per 1,000 cycles (least-squares slope). Over: unbounded.
LIMITS: dict[str, float] = {
    "rss_mb": 10.0,
    "fds": 2.0,
    "threads": 2.0,
    "cache_mb": 4.0,
    "wal_mb": 8.0,
    "stall_ms": 250.0,  # one sample's worst lateness is noisy on a shared machine
}
# ...and only when the fit's rise over the second half is also over its series' noise (a short run
# spans few cycles: its slope alone is mostly noise, e.g. 4 connections more at the last sample).
NOISE: dict[str, float] = {
    "rss_mb": 30.0,
    "fds": 8.0,
    "threads": 3.0,
    "cache_mb": 2.0,
    "wal_mb": 6.0,
    "stall_ms": 150.0,
}
UNITS = {
    "rss_mb": "MB",
    "fds": "",
    "threads": "",
    "cache_mb": "MB",
    "wal_mb": "MB",
    "stall_ms": "ms",
}


@dataclass
class Sample:
    seconds: float
    cycles: int
    values: dict[str, float]


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    cycles: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    converged: bool = False


# --- what is measured --------------------------------------------------------------------------


def proc_status() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "Threads"):
            out[key] = int(value.split()[0])
    return out


def file_mb(path: Path) -> float:
    try:
        return path.stat().st_size / 1e6
    except FileNotFoundError:
        return 0.0


class Heartbeat:
    """A task that sleeps HEARTBEAT_S and notes how late it wakes: the event loop's stalls."""

    def __init__(self) -> None:
        self.worst = 0.0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + HEARTBEAT_S
            await asyncio.sleep(HEARTBEAT_S)
            self.worst = max(self.worst, loop.time() - due)

    def take(self) -> float:
        worst, self.worst = self.worst, 0.0
        return worst


async def sampler(run: Run, cache_path: Callable[[], Path], beat: Heartbeat) -> None:
    started = time.monotonic()
    while True:
        await asyncio.sleep(SAMPLE_S)
        status = proc_status()
        path = cache_path()
        run.samples.append(
            Sample(
                time.monotonic() - started,
                run.cycles,
                {
                    "rss_mb": status["VmRSS"] / 1024,
                    "fds": float(len(os.listdir("/proc/self/fd"))),
                    "threads": float(status["Threads"]),
                    "cache_mb": file_mb(path),
                    "wal_mb": file_mb(path.with_name(path.name + "-wal")),
                    "stall_ms": beat.take() * 1000,
                },
            )
        )


FLOORED = ("rss_mb", "fds", "threads")  # fitted on their floor: see floor()
FLOOR_SAMPLES = 5


def floor(values: list[float]) -> list[float]:
    """Each value replaced by the least of it and its neighbours (FLOOR_SAMPLES in all): a spike
    shorter than that (an unlock's key derivation takes ~150 MB for a moment) is not growth,
    while a leak raises the floor too."""
    k = FLOOR_SAMPLES // 2
    return [min(values[max(0, i - k) : i + k + 1]) for i in range(len(values))]


def slope_per_1000(samples: list[Sample], key: str) -> float:
    """Least-squares slope of `key` against the cycle count, over the second half of the run."""
    every = [s.values[key] for s in samples]
    if key in FLOORED:
        every = floor(every)
    start = len(samples) // 2
    half = samples[start:]
    xs = [s.cycles / 1000 for s in half]
    ys = every[start:]
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    if var == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


# --- the passes of the background engine -------------------------------------------------------


class Passes:
    """Counts the background engine's finished sync passes (a wrapper of SyncEngine.sync_all,
    for this bench only), so that a cycle can wait for the pass after its changes."""

    def __init__(self) -> None:
        self.done = 0
        self.changed = asyncio.Condition()
        self.original = SyncEngine.sync_all
        passes = self

        async def counted(engine: SyncEngine) -> SyncReport:
            try:
                return await passes.original(engine)
            finally:
                async with passes.changed:
                    passes.done += 1
                    passes.changed.notify_all()

        SyncEngine.sync_all = counted  # type: ignore[method-assign,assignment]

    def restore(self) -> None:
        SyncEngine.sync_all = self.original  # type: ignore[method-assign]

    async def one_after(self, session: AccountSession) -> None:
        """A pass that started after now has ended (two ends: the one running may predate now)."""
        target = self.done + 2
        session.sync_now()
        async with self.changed:
            while self.done < target:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 1.0)
                if self.done < target:
                    session.sync_now()


# --- the other device: random changes on the server --------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Driver:
    """The GP's mailbox changed on the server by another client, over JMAP."""

    def __init__(
        self, jmap: JmapClient, rng: random.Random, domain: str, sender: str, me: str
    ) -> None:
        self.jmap, self.rng, self.domain = jmap, rng, domain
        self.sender, self.me = sender, me
        self.roles: dict[str, str] = {}
        self.target = 0
        self.delivered = 0

    async def start(self) -> None:
        boxes = await self.jmap.get_all("Mailbox", None, ["id", "role"])
        self.roles = {m["role"]: m["id"] for m in boxes if m.get("role")}
        self.target = len(await self.ids()) + EXTRA_INBOX

    async def ids(self) -> list[str]:
        ids: list[str] = []
        while True:
            answer = await self.jmap.call_one("Email/query", {"position": len(ids), "limit": 1000})
            ids += answer["ids"]
            if len(answer["ids"]) < 1000:
                return ids

    async def change(self) -> str:
        ids = await self.ids()
        kinds = ["deliver", "flag", "flag", "move"]
        if len(ids) > self.target:
            kinds += ["delete"] * 4
        kind = self.rng.choice(kinds)
        if kind == "deliver" or not ids:
            await self.deliver()
            return "server: delivery"
        email_id = self.rng.choice(ids)
        patch: dict[str, Any]
        if kind == "flag":
            keyword = self.rng.choice(["$seen", "$flagged"])
            patch = {f"keywords/{keyword}": self.rng.choice([True, None])}
        elif kind == "move":
            where = self.rng.choice([self.roles["inbox"], self.roles.get("archive", "")])
            patch = {"mailboxIds": {where: True}} if where else {"keywords/$seen": True}
        else:
            await self.jmap.call_one("Email/set", {"destroy": [email_id]})
            return "server: deletion"
        await self.jmap.call_one("Email/set", {"update": {email_id: patch}})
        return f"server: {kind}"

    async def deliver(self) -> None:
        """A message with a PDF, as a mail server delivers it (Email/import of its raw bytes)."""
        self.delivered += 1
        msg = EmailMessage()
        msg["From"] = f"Dr Karim Benali <{self.sender}>"
        msg["To"] = self.me
        msg["Subject"] = f"Compte rendu soak {self.delivered}"
        msg["Message-ID"] = new_message_id(self.domain)
        msg["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        msg.set_content(f"Veuillez trouver ci-joint le compte rendu n° {self.delivered}.")
        msg.add_attachment(
            PDF, maintype="application", subtype="pdf", filename=f"cr-{self.delivered}.pdf"
        )
        blob = await self.jmap.upload(msg.as_bytes(), "message/rfc822")
        await self.jmap.call_one(
            "Email/import",
            {"emails": {"m": {"blobId": blob.blob_id, "mailboxIds": {self.roles["inbox"]: True}}}},
        )


# --- the user ----------------------------------------------------------------------------------


class User:
    """Random actions through the session's public methods, as the main window calls them."""

    def __init__(self, rng: random.Random, me: Address, colleague: Address) -> None:
        self.rng, self.me, self.colleague = rng, me, colleague

    def pick(self, session: AccountSession) -> EmailRecord | None:
        inbox = session.mailbox_by_role("inbox")
        ids = session.list_ids(inbox.id if inbox else None)[:200]
        if not ids:
            return None
        thread = session.thread(session.summaries([self.rng.choice(ids)])[0].thread_id)
        return thread[-1] if thread else None

    def allowed(self, session: AccountSession) -> bool:
        return not session.trust_space.outside([self.colleague.email])

    async def act(self, session: AccountSession) -> str:
        kind = self.rng.choices(
            ["read", "reply", "send", "search", "flag", "archive", "delete", "regional"],
            weights=[6, 2, 1, 3, 2, 1, 1, 1],
        )[0]
        record = self.pick(session)
        if record is None or kind == "search":
            session.search(self.rng.choice(["compte", "rendu", "soak", "patient", "cardio"]))
            session.search_hits("compte rendu")
            return "user: search"
        if kind == "read":
            await session.set_seen([record.id], True)
            pdfs = [a for a in record.attachments if a.type == "application/pdf"]
            for attachment in pdfs[:1]:
                content = await session.document_content(
                    attachment.blob_id,
                    attachment.name or "document",
                    attachment.type,
                    attachment.size,
                )
                with content:
                    head = content.readall()[:8]
                    assert head.startswith(b"%PDF-"), (attachment.name, head, attachment.size)
                path = await session.open_document(
                    attachment.blob_id,
                    attachment.name or "document",
                    attachment.type,
                    attachment.size,
                )
                assert path.read_bytes()[:5] == b"%PDF-", path
            return "user: read"
        if kind == "reply":
            view = {
                "from": [{"name": a.name, "email": a.email} for a in record.from_],
                "to": [{"name": a.name, "email": a.email} for a in record.to],
                "messageId": record.message_id,
                "references": record.references,
                "subject": record.subject,
            }
            message = reply_to(view, self.me, False, [self.me.email])
            try:
                await session.send(
                    dataclasses.replace(
                        message, to=message.to or [self.colleague], text="Merci, bien reçu."
                    )
                )
            except OutsideTrustSpace:  # a demo sender outside the trust space: refused, as meant
                return "user: reply refused (outside the trust space)"
            return "user: reply"
        if kind == "send":
            await session.send(
                OutgoingMessage(
                    from_=self.me,
                    to=[
                        a
                        for a in (self.colleague, self.me)
                        if not session.trust_space.outside([a.email])
                    ]
                    or [self.me],
                    subject="Avis soak",
                    text="Pouvez-vous regarder ce dossier ?",
                    message_id=new_message_id(self.me.email.partition("@")[2]),
                )
            )
            return "user: send"
        if kind == "flag":
            await session.set_flagged([record.id], self.rng.random() < 0.5)
            return "user: flag"
        if kind == "archive":
            await session.archive([record.id])
            return "user: archive"
        if kind == "delete":
            await session.delete([record.id])
            return "user: delete"
        await session.teleconsultations.list()
        await session.expertise.list()
        return "user: regional"


# --- the run -----------------------------------------------------------------------------------


async def timed(run: Run, what: Awaitable[str]) -> None:
    name = await what
    run.actions[name] = run.actions.get(name, 0) + 1


async def soak(url: str, data: Path, args: argparse.Namespace) -> Run:
    run = Run()
    rng = random.Random(args.seed)
    passes = Passes()
    beat = Heartbeat()
    session = await AccountSession.open(data, url, LOGIN, DEMO_PASSWORD)
    holder = {"session": session}
    session.start()
    async with make_http_client() as login_http:
        tokens = await password_grant(login_http, url, LOGIN, DEMO_PASSWORD)
        theirs = await password_grant(login_http, url, COLLEAGUE, DEMO_PASSWORD)
    assert tokens is not None
    assert theirs is not None
    async with make_http_client(auth=ServerAuth(url, tokens=theirs)) as http:
        found = await JmapClient(http, url + "/.well-known/jmap").get_all("Identity", None)
        colleague = str(found[0]["email"])
    background: list[asyncio.Task[Any]] = []
    try:
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            other = JmapClient(http, url + "/.well-known/jmap")
            me = await session.own_address()
            domain = me.email.partition("@")[2]
            driver = Driver(other, rng, domain, colleague, me.email)
            await driver.start()
            user = User(rng, me, Address(colleague, "Dr Karim Benali"))
            await asyncio.wait_for(passes.one_after(session), PASS_TIMEOUT_S)
            background += [
                asyncio.ensure_future(beat.run()),
                asyncio.ensure_future(
                    sampler(run, lambda: holder["session"].account.cache.path, beat)
                ),
            ]
            deadline = time.monotonic() + args.seconds
            while run.cycles < args.cycles and time.monotonic() < deadline:
                session = holder["session"]
                try:
                    for _ in range(rng.randint(0, 2)):
                        await timed(run, driver.change())
                    if rng.random() < args.lock_every:
                        await session.close()
                        session = await AccountSession.open(data, url, LOGIN, DEMO_PASSWORD)
                        holder["session"] = session
                        session.start()
                        run.actions["user: lock+unlock"] = (
                            run.actions.get("user: lock+unlock", 0) + 1
                        )
                    else:
                        await timed(run, user.act(session))
                    await asyncio.wait_for(passes.one_after(session), PASS_TIMEOUT_S)
                except TimeoutError:
                    run.errors.append(f"cycle {run.cycles}: no sync pass in {PASS_TIMEOUT_S} s")
                    break
                except Exception as exc:
                    run.errors.append(f"cycle {run.cycles}: {type(exc).__name__}: {exc}")
                    traceback.print_exc()
                    if len(run.errors) > 5:
                        break
                run.cycles += 1
                if run.cycles % 100 == 0:
                    print(
                        f"  {run.cycles} cycles, {time.monotonic() - deadline + args.seconds:.0f} s"
                    )
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            run.converged = await converge(holder["session"], passes, other, run)
    finally:
        for task in background:
            task.cancel()
        await holder["session"].close()
        passes.restore()
    return run


async def converge(session: AccountSession, passes: Passes, other: JmapClient, run: Run) -> bool:
    """The outbox empty and the cache equal to the server, after at most a few more passes."""
    last = ""
    for _ in range(10):
        await asyncio.wait_for(passes.one_after(session), PASS_TIMEOUT_S)
        if session.unsent_count():
            last = f"{session.unsent_count()} unsent"
            await asyncio.sleep(1)
            continue
        try:
            await assert_cache_equals_server(session.account.cache, other)
        except AssertionError as exc:
            last = repr(exc)[:300]
            continue
        return True
    run.errors.append(f"the cache never equalled the server: {last}")
    return False


# --- the plot ----------------------------------------------------------------------------------


def plot(run: Run, path: Path, slopes: dict[str, float]) -> None:
    """One panel a series, against cycles, with the second half's fit drawn in red (Qt offscreen,
    no plotting library)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF

    _app = QGuiApplication.instance() or QGuiApplication([])
    keys = list(LIMITS)
    width, panel_h, margin = 1200, 220, 70
    image = QImage(width, panel_h * len(keys) + 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawText(
        QRectF(0, 5, width, 30),
        Qt.AlignmentFlag.AlignCenter,
        f"soak: {run.cycles} cycles, {run.samples[-1].seconds:.0f} s" if run.samples else "soak",
    )
    samples = run.samples
    xmax = max((s.cycles for s in samples), default=1) or 1
    for row, key in enumerate(keys):
        top = 40 + row * panel_h
        box = QRectF(margin, top + 20, width - margin - 20, panel_h - 50)
        ys = [s.values[key] for s in samples] or [0.0]
        ymax = max(max(ys) * 1.1, 1e-3)
        painter.setPen(QPen(QColor("#999")))
        painter.drawRect(box)
        painter.setPen(QPen(QColor("black")))
        title = (
            f"{key}: last {ys[-1]:.2f} {UNITS[key]}, slope {slopes.get(key, 0):+.3f}"
            f" {UNITS[key]}/1000 cycles (limit {LIMITS[key]})"
        )
        painter.drawText(QRectF(margin, top, width, 20), Qt.AlignmentFlag.AlignLeft, title)
        painter.drawText(
            QRectF(0, box.top() - 6, margin - 5, 14), Qt.AlignmentFlag.AlignRight, f"{ymax:.1f}"
        )
        painter.drawText(
            QRectF(0, box.bottom() - 8, margin - 5, 14), Qt.AlignmentFlag.AlignRight, "0"
        )
        painter.drawText(
            QRectF(box.right() - 100, box.bottom() + 2, 100, 14),
            Qt.AlignmentFlag.AlignRight,
            f"{xmax}",
        )

        def point(cycles: float, value: float, b: QRectF = box, top_: float = ymax) -> QPointF:
            return QPointF(
                b.left() + b.width() * cycles / xmax, b.bottom() - b.height() * value / top_
            )

        painter.setPen(QPen(QColor("#1f5fa8"), 1.5))
        painter.drawPolyline(QPolygonF([point(s.cycles, s.values[key]) for s in samples]))
        half = samples[len(samples) // 2 :]
        if len(half) >= 2:
            fitted = [s.values[key] for s in samples]
            fitted = (floor(fitted) if key in FLOORED else fitted)[len(samples) // 2 :]
            mx = sum(s.cycles for s in half) / len(half)
            my = sum(fitted) / len(half)
            k = slopes.get(key, 0) / 1000
            x0, x1 = half[0].cycles, half[-1].cycles
            painter.setPen(QPen(QColor("#d62728"), 2))
            painter.drawLine(point(x0, my + k * (x0 - mx)), point(x1, my + k * (x1 - mx)))
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=100_000, help="at most this many cycles")
    parser.add_argument("--seconds", type=float, default=900, help="at most this long")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plot", type=Path, default=Path("soak.png"))
    parser.add_argument("--lock-every", type=float, default=0.01, help="chance a cycle locks")
    args = parser.parse_args(argv)
    print("limits (slope over the second half per 1,000 cycles, or that fit's rise over the half):")
    for key, limit in LIMITS.items():
        print(f"  {key:<9} ≤ {limit} {UNITS[key]}/1000 cycles or rise ≤ {NOISE[key]} {UNITS[key]}")
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        folder = Path(tmp)
        # The demo made by the server process itself (a token lasts 10 min: refreshed in a run).
        extra = ["--demo", "--professionals", "200", "--token-lifetime", "600"]
        with server_process(folder / "server", *extra) as url:
            run = asyncio.run(soak(url, folder / "client", args))
    slopes = {key: slope_per_1000(run.samples, key) for key in LIMITS}
    plot(run, args.plot, slopes)
    seconds = run.samples[-1].seconds if run.samples else 0.0
    print(f"{run.cycles} cycles in {seconds:.0f} s; {len(run.samples)} samples; plot: {args.plot}")
    print("actions: " + ", ".join(f"{k} {v}" for k, v in sorted(run.actions.items())))
    over = []
    half = run.samples[len(run.samples) // 2 :]
    span = (half[-1].cycles - half[0].cycles) / 1000 if half else 0.0
    for key, slope in slopes.items():
        last = run.samples[-1].values[key] if run.samples else 0.0
        rise = slope * span
        grows = slope > LIMITS[key] and rise > NOISE[key]
        if grows:
            over.append(key)
        print(
            f"  {key:<9} last {last:9.2f} {UNITS[key]:<2}  slope {slope:+9.3f} "
            f"/1000 cycles (limit {LIMITS[key]}), rise {rise:+8.2f} (noise {NOISE[key]})  "
            + ("GROWS" if grows else "ok")
        )
    print(f"cache equals server at the end: {'yes' if run.converged else 'NO'}")
    for error in run.errors:
        print("error:", error)
    ok = not over and run.converged and not run.errors and run.cycles > 0
    print("soak:", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
