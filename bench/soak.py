"""A day of use (issue 17 §5): the desktop app open (offscreen) for many sync cycles against a
sandbox that changes at random, with random user actions through its main window; whether
anything grows without bound.

    .venv/bin/python bench/soak.py [--cycles 5000] [--seconds 900] [--seed 1] [--plot soak.png]

The sandbox (the demo, 200 professionals, no extra messages) runs as a subprocess, so that the
RSS, file descriptors and threads measured are the app's. The app is set up as ui/app.py's main
does (QT_QPA_PLATFORM=offscreen unless set, qasync event loop), and its Controller logs the demo
GP in through the login window: the main window, the session's background work (push, sync,
outbox, favorites, trust space), the tray and the auto-lock, as a user runs them.

One cycle: 0–2 changes made on the server by "another device" of the GP over JMAP (a delivery
with a PDF through Email/import, a flag, a move, a deletion), one user action through the main
window (a row selected: the reader shows it, marks it read, and its PDF is opened with the
chip's button, handed to a recorder in place of the system's viewer; a reply and a new message
sent from the composer; a word typed in the search box, then Échap; the list's flag, archive
and delete; the regional lists; or "Verrouiller" and the password typed on the lock screen),
then a sync asked (`sync_now`) and awaited (the background engine's next pass). Deletions keep
the mailbox near its first size, so that what the cache holds is steady and any growth is a leak.

Sampled every second: RSS, open file descriptors, threads (/proc/self), the cache file and its WAL
sizes, and the longest lateness of a 20 ms precise QTimer on the UI thread since the last sample
(the Qt event loop's stall, as the user feels it). Each stall over 100 ms is reported with what the
UI thread ran meanwhile (its Python stack, sampled every 5 ms by a helper thread while the timer
is overdue). The slopes of a least-squares fit over the second half, per 1,000 cycles, are
compared with the LIMITS below; the run fails (exit 1) when one is over, when a cycle's sync or
action never ends, or when the cache differs from the server at the end
(tests/app/sync_helpers.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.message.compose import new_message_id  # noqa: E402
from app.remote.auth import ServerAuth, password_grant  # noqa: E402
from app.remote.http import make_http_client  # noqa: E402
from app.remote.jmap import JmapClient  # noqa: E402
from app.session import AccountSession  # noqa: E402
from app.store.records import Address, EmailRecord  # noqa: E402
from app.sync.engine import SyncEngine, SyncReport  # noqa: E402
from bench.sync import server_process  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from tests.app.sync_helpers import assert_cache_equals_server  # noqa: E402

LOGIN = "helene.garnier"  # the demo GP
COLLEAGUE = "karim.benali"  # in the trust space: the GP's replies and sends go to him
HEARTBEAT_S = 0.02
STALL_REPORT_S = 0.1  # stalls longer than this are reported with what ran meanwhile
SAMPLE_S = 1.0
PASS_TIMEOUT_S = 120.0  # a sync pass that takes longer is a hang: the run fails
EXTRA_INBOX = 150  # the inbox is kept near its first size plus this many messages
# Growth allowed over the second half, per 1,000 cycles (least-squares slope). Over: unbounded.
LIMITS: dict[str, float] = {
    "rss_mb": 10.0,
    "fds": 2.0,
    "threads": 2.0,
    "widgets": 20.0,
    "cache_mb": 4.0,
    "wal_mb": 8.0,
    "stall_ms": 250.0,  # one sample's worst lateness is noisy on a shared machine
}
# ...and only when the fit's rise over the second half is also over its series' noise (a short run
# spans few cycles: its slope alone is mostly noise, e.g. 4 connections more at the last sample).
NOISE: dict[str, float] = {
    "rss_mb": 30.0,
    "fds": 20.0,  # the desktop app's swing between samples (pools, document copies, a lock)
    "threads": 3.0,
    "widgets": 300.0,  # a composer or a reader open at the sample: a few hundred widgets
    "cache_mb": 2.0,
    "wal_mb": 6.0,
    "stall_ms": 150.0,
}
UNITS = {
    "rss_mb": "MB",
    "fds": "",
    "threads": "",
    "widgets": "",
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
    stalls: list[tuple[float, list[tuple[str, int]]]] = field(default_factory=list)


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


async def sampler(run: Run, cache_path: Callable[[], Path], beat: QtHeartbeat) -> None:
    from PySide6.QtWidgets import QApplication

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
                    "widgets": float(len(QApplication.allWidgets())),
                    "cache_mb": file_mb(path),
                    "wal_mb": file_mb(path.with_name(path.name + "-wal")),
                    "stall_ms": beat.take() * 1000,
                },
            )
        )


FLOORED = ("rss_mb", "fds", "threads", "widgets")  # fitted on their floor: see floor()
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


# --- the user, through the main window -----------------------------------------------------------


async def until(ready: Callable[[], bool], seconds: float, what: str) -> None:
    """Waits (the event loop running) for `ready`; a TimeoutError naming `what` past `seconds`
    (a hang, not a timing: the run fails on it)."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


class Desktop:
    """The app as `ui/app.py` runs it (its Controller: login window, main window, lock screen),
    and random user actions through the main window: a row selected in the list (the reader opens
    it, marks it read, and its PDF is opened with the chip's button), a reply and a new message
    written and sent in the composer, a search typed in the search box, the list's flag, archive
    and delete actions, the regional pages' lists, and a lock and an unlock through the login
    window. Documents the app hands to the system's viewer are recorded (`opened`)."""

    def __init__(self, data: Path, rng: random.Random, colleague: Address) -> None:
        from PySide6.QtGui import QDesktopServices

        from tests.ui.mail_helpers import UrlRecorder  # the system's viewer is not real here
        from ui.login.window import DemoHint
        from ui.shell.controller import Controller

        self.opened = UrlRecorder()
        for scheme in ("http", "https", "file"):
            QDesktopServices.setUrlHandler(scheme, self.opened, "record")  # type: ignore[arg-type]
        self.rng, self.colleague = rng, colleague
        self.controller = Controller(data, DemoHint(LOGIN, DEMO_PASSWORD))
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.controller.finished.connect(self._finished)

    def _finished(self) -> None:
        if not self.finished.done():
            self.finished.set_result(None)

    @property
    def session(self) -> AccountSession:
        session = self.controller.session
        assert session is not None, "no session open"
        return session

    @property
    def window(self) -> Any:
        window = self.controller.window
        assert window is not None, "no main window"
        return window

    async def log_in(self, password: str = DEMO_PASSWORD) -> None:
        """The login window (first, or the lock screen): the password typed and submitted; the
        main window open on its session."""
        from PySide6.QtTest import QTest

        login = self.controller.login
        await until(lambda: login.isVisible() and login.server_reachable is not None, 60, "login")
        if not login.login_edit.text():
            login.login_edit.setText(LOGIN)
        login.password_edit.clear()
        QTest.keyClicks(login.password_edit, password)
        login.submit()
        await until(
            lambda: self.controller.window is not None and self.controller.session is not None,
            120,
            "the main window after the login",
        )

    async def start(self) -> None:
        from ui import app as ui_app
        from ui import tasks

        self.controller.start()
        await tasks.run(ui_app._settle(self.controller), self.controller)  # as ui/app.py's _run
        await self.log_in()

    async def quit(self) -> None:
        self.controller.quit()
        await asyncio.wait_for(self.finished, 120)
        from PySide6.QtGui import QDesktopServices

        for scheme in ("http", "https", "file"):
            QDesktopServices.unsetUrlHandler(scheme)

    def model(self) -> Any:
        return self.window.conversations.model

    async def select_some_row(self) -> EmailRecord | None:
        """A random row of the list (its first 200) selected, as a click does; its newest
        message once the reader shows it."""
        window = self.window
        model = self.model()
        rows = min(model.rowCount(), 200)
        if rows == 0:
            return None
        window.conversations.select_row(self.rng.randrange(rows))
        record: EmailRecord | None = window.mail_page.selected_record()
        if record is None:
            return None
        await until(lambda: len(window.reader.cards) >= 1, 30, "the reader's cards")
        return record

    def allowed(self, addresses: list[Address]) -> bool:
        return bool(addresses) and not self.session.trust_space.outside(
            [a.email for a in addresses]
        )

    async def act(self) -> str:
        kind = self.rng.choices(
            ["read", "reply", "send", "search", "flag", "archive", "delete", "regional"],
            weights=[6, 2, 1, 3, 2, 1, 1, 1],
        )[0]
        if kind == "search":
            return await self.search()
        if kind == "send":
            return await self.send()
        if kind == "regional":
            # The regional pages' lists, as their pages load them (pages not driven here).
            await self.session.teleconsultations.list()
            await self.session.expertise.list()
            return "user: regional"
        record = await self.select_some_row()
        if record is None:
            return await self.search()
        if kind == "read":
            return await self.read()
        if kind == "reply":
            return await self.reply(record)
        page = self.window.mail_page
        if kind == "flag":
            page.toggle_flag()
        elif kind == "archive":
            page.archive()
        else:
            page.delete()
        return f"user: {kind}"

    async def read(self) -> str:
        """The selected message's first PDF opened with its chip's button: fetched (or from the
        cache), copied out and handed to the system's viewer, whose file must be the PDF."""
        window = self.window
        chips = [
            chip
            for card in window.reader.cards
            for chip in card.chips
            if chip.attachment.type == "application/pdf" and chip.open_button is not None
        ]
        if not chips:
            return "user: read"
        before = len(self.opened.urls)
        chips[-1].open_button.click()
        await until(lambda: len(self.opened.urls) > before, 60, "the document opened")
        path = Path(self.opened.urls[-1].toLocalFile())
        assert path.read_bytes()[:5] == b"%PDF-", path
        return "user: read + document"

    async def sent(self, composer: Any) -> None:
        await until(lambda: composer.inserter.limits is not None, 30, "the composer's limits")
        composer.send()
        closed = asyncio.Event()
        composer.destroyed.connect(closed.set)  # a closed composer is deleted (not kept hidden)
        await until(closed.is_set, 60, "the composer closed by its send")

    async def reply(self, record: EmailRecord) -> str:
        if not self.allowed(record.from_):  # a demo sender outside the trust space: not offered
            return "user: read (no reply: outside the trust space)"
        window = self.window
        count = len(window.composers)
        window.reply()
        await until(lambda: len(window.composers) > count, 30, "the reply's composer")
        composer = window.composers[-1]
        await until(lambda: "a écrit" in composer.body.toPlainText(), 30, "the reply's quote")
        composer.body.insertPlainText("Merci, bien reçu.")
        await self.sent(composer)
        return "user: reply"

    async def send(self) -> str:
        from app.message.draft import Draft

        me = await self.session.own_address()
        to = tuple(a for a in (self.colleague, me) if self.allowed([a])) or (me,)
        window = self.window
        composer = window.compose(
            Draft(to=to, subject="Avis soak", body="Pouvez-vous regarder ce dossier ?")
        )
        await self.sent(composer)
        return "user: send"

    async def search(self) -> str:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        window = self.window
        model = self.model()
        word = self.rng.choice(["compte", "rendu", "soak", "patient", "cardio"])
        window.focus_search()
        window.search.clear()
        QTest.keyClicks(window.search, word)
        await until(lambda: model.search_text == word, 30, "the search's results")
        QTest.keyClick(window.search, Qt.Key.Key_Escape)
        await until(lambda: model.search_text is None, 30, "the list back after the search")
        return "user: search"

    async def lock_and_unlock(self) -> None:
        """ "Verrouiller" then the password typed on the lock screen: a new session and window."""
        old = self.controller.session
        self.controller.lock_now()
        await until(
            lambda: self.controller.locked and self.controller.session is None, 60, "the lock"
        )
        await self.log_in()
        assert self.controller.session is not old


# --- the event loop's stalls, and what ran during each ------------------------------------------


class QtHeartbeat:
    """A precise 20 ms QTimer on the UI thread; how late each tick comes is how long the Qt event
    loop (hence the app) could not answer. Each stall over STALL_REPORT_S is recorded with what
    the UI thread was running meanwhile (StackSampler)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.worst = 0.0
        self.last = time.monotonic()
        self.stalls: list[tuple[float, list[tuple[str, int]]]] = []
        self.sampler = StackSampler(self)
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(int(HEARTBEAT_S * 1000))
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.last = time.monotonic()
        self._timer.start()
        self.sampler.start()

    def stop(self) -> None:
        self._timer.stop()
        self.sampler.stop()

    def _tick(self) -> None:
        now = time.monotonic()
        late = now - self.last - HEARTBEAT_S
        self.last = now
        self.worst = max(self.worst, late)
        seen = self.sampler.take()
        if late > STALL_REPORT_S:
            self.stalls.append((late, seen.most_common(3)))

    def take(self) -> float:
        worst, self.worst = self.worst, 0.0
        return worst


class StackSampler:
    """A helper thread that, while the heartbeat is overdue, samples the UI thread's Python stack
    every few ms (sys._current_frames): the frames of ours nearest the top, and the top frame.
    A C call that keeps the GIL shows as its Python caller, once it lets go."""

    def __init__(self, beat: QtHeartbeat) -> None:
        self.beat = beat
        self.main = threading.get_ident()
        self.lock = threading.Lock()
        self.seen: Counter[str] = Counter()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="soak-stack-sampler", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def take(self) -> Counter[str]:
        with self.lock:
            seen, self.seen = self.seen, Counter()
        return seen

    def _run(self) -> None:
        while not self.stopping.wait(0.005):
            if time.monotonic() - self.beat.last < HEARTBEAT_S + STALL_REPORT_S / 2:
                continue
            frames = sys._current_frames()
            frame = frames.get(self.main)
            if frame is None:
                continue
            summary = describe(traceback.extract_stack(frame))
            # Another thread running Python keeps the GIL from the UI thread: named too.
            names = {t.ident: t.name for t in threading.enumerate()}
            busy = [
                f"{names.get(ident, ident)}: {describe(traceback.extract_stack(f))}"
                for ident, f in frames.items()
                if ident not in (self.main, threading.get_ident()) and not idle(f)
            ]
            with self.lock:
                self.seen[summary + "".join(f"\n           + {b}" for b in busy)] += 1


WAITING = {"wait", "get", "select", "poll", "sleep", "_worker", "acquire", "accept", "recv"}


def idle(frame: Any) -> bool:
    """A thread parked in a wait (a queue, a lock, a selector): not what blocks the UI thread."""
    return frame is None or frame.f_code.co_name in WAITING


def describe(stack: traceback.StackSummary) -> str:
    """The innermost three frames of the project's code, and the innermost frame of all."""
    root = str(ROOT) + os.sep
    ours = [
        f"{f.filename.removeprefix(root)}:{f.lineno} {f.name}"
        for f in stack
        if f.filename.startswith(root)
        and "/.venv/" not in f.filename
        and not f.filename.endswith("bench/soak.py")
    ]
    top = stack[-1] if stack else None
    where = f"{Path(top.filename).name}:{top.lineno} {top.name}" if top else "?"
    return " ← ".join(reversed(ours[-3:])) + f"  [top: {where}]"


# --- the run -----------------------------------------------------------------------------------


async def timed(run: Run, what: Awaitable[str]) -> None:
    name = await what
    run.actions[name] = run.actions.get(name, 0) + 1


async def soak(url: str, data: Path, args: argparse.Namespace) -> Run:
    run = Run()
    rng = random.Random(args.seed)
    passes = Passes()
    beat = QtHeartbeat()
    async with make_http_client() as login_http:
        tokens = await password_grant(login_http, url, LOGIN, DEMO_PASSWORD)
        theirs = await password_grant(login_http, url, COLLEAGUE, DEMO_PASSWORD)
    assert tokens is not None
    assert theirs is not None
    async with make_http_client(auth=ServerAuth(url, tokens=theirs)) as http:
        found = await JmapClient(http, url + "/.well-known/jmap").get_all("Identity", None)
        colleague = str(found[0]["email"])
    desktop = Desktop(data, rng, Address(colleague, "Dr Karim Benali"))
    await desktop.start()
    last_cache = [desktop.session.account.cache.path]

    def cache_path() -> Path:
        session = desktop.controller.session
        if session is not None:
            last_cache[0] = session.account.cache.path
        return last_cache[0]

    background: list[asyncio.Task[Any]] = []
    try:
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            other = JmapClient(http, url + "/.well-known/jmap")
            me = await desktop.session.own_address()
            domain = me.email.partition("@")[2]
            driver = Driver(other, rng, domain, colleague, me.email)
            await driver.start()
            await asyncio.wait_for(passes.one_after(desktop.session), PASS_TIMEOUT_S)
            beat.start()
            background.append(asyncio.ensure_future(sampler(run, cache_path, beat)))
            deadline = time.monotonic() + args.seconds
            while run.cycles < args.cycles and time.monotonic() < deadline:
                try:
                    for _ in range(rng.randint(0, 2)):
                        await timed(run, driver.change())
                    if rng.random() < args.lock_every:
                        await desktop.lock_and_unlock()
                        run.actions["user: lock+unlock"] = (
                            run.actions.get("user: lock+unlock", 0) + 1
                        )
                    else:
                        await timed(run, desktop.act())
                    await asyncio.wait_for(passes.one_after(desktop.session), PASS_TIMEOUT_S)
                except TimeoutError as exc:
                    run.errors.append(f"cycle {run.cycles}: no end in sight: {exc or 'sync pass'}")
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
            beat.stop()
            run.stalls = beat.stalls
            run.converged = await converge(desktop.session, passes, other, run)
    finally:
        for task in background:
            task.cancel()
        if beat.sampler.thread.is_alive():
            beat.stop()
        await desktop.quit()
        passes.restore()
    return run


async def converge(session: AccountSession, passes: Passes, other: JmapClient, run: Run) -> bool:
    """The outbox empty and the cache equal to the server, after at most a few more passes."""
    last = ""
    deadline = time.monotonic() + 120  # the last send's undo delay (10 s) included
    while time.monotonic() < deadline:
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


def run_app(url: str, data: Path, args: argparse.Namespace) -> Run:
    """The desktop app's setup as ui/app.py's main does it (offscreen unless a display is asked),
    then the soak on its qasync event loop."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync  # type: ignore[import-untyped]

    from app import logs
    from app import settings as settings_mod
    from ui import app as ui_app
    from ui import qtlog, theme

    data.mkdir(parents=True, exist_ok=True)
    app = ui_app.make_application(sys.argv[:1])
    qtlog.install()
    logs.setup(data / "logs")
    settings_mod.use(data)
    settings_mod.override(server_url=url)
    translators = ui_app.install_translations(app)
    theme.apply(app)
    try:
        run: Run = qasync.run(soak(url, data, args))
    finally:
        del translators
    return run


def report_stalls(run: Run) -> None:
    """Each stall over STALL_REPORT_S, longest first, with what the UI thread ran meanwhile."""
    print(f"stalls over {STALL_REPORT_S * 1000:.0f} ms: {len(run.stalls)}")
    for late, seen in sorted(run.stalls, key=lambda s: -s[0])[:15]:
        print(f"  {late * 1000:6.0f} ms")
        for where, count in seen or [("(no sample: the sampler did not get the GIL)", 0)]:
            print(f"      {count:3d}× {where}")


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
            run = run_app(url, folder / "client", args)
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
    report_stalls(run)
    print(f"cache equals server at the end: {'yes' if run.converged else 'NO'}")
    for error in run.errors:
        print("error:", error)
    ok = not over and run.converged and not run.errors and run.cycles > 0
    print("soak:", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
