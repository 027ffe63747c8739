"""Time to show a hostile message body in the reader (target ≤ 200 ms each), under offscreen Qt.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/render.py [--runs 3] [--width 700]

Each body goes through what MessageCard does with it: a new MessageBody (ui/mail/reader.py),
`show_email` — app.message.html.viewable (the HTML sanitised, or the text as HTML, cut to what
the viewer can lay out) then QTextBrowser.setHtml and the layout at the reader's width (`fit`).
The bodies: every message of the hostile HTML corpus (tests/app/html_corpus.py HOSTILE), the
bodies nested 10,000 deep (DEEP), plain texts that are pathological by size (a 5 MB line of
words, a 5 MB word, 100,000 lines), and, for scale, ordinary bodies (a 100 KB HTML newsletter,
a 512 KB text: the most a server gives of one body part). The best of `--runs` is kept for each;
the slowest are printed with the part spent before Qt (viewable) and in Qt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from app.message.html import viewable
from app.store.records import EmailRecord
from tests.app.html_corpus import DEEP, HOSTILE
from ui.mail.message_body import MessageBody

TARGET = 0.200  # seconds


def bodies() -> dict[str, tuple[str, str, bool]]:
    """name → (body, "html" or "text", counts against the target)."""
    out = {f"hostile {n:02d}": (source, "html", True) for n, source in enumerate(HOSTILE)}
    out |= {f"deep {name}": (source, "html", True) for name, source in DEEP.items()}
    out["text 5 MB line"] = ("mot " * (5 * 1024 * 1024 // 4), "text", True)
    out["text 5 MB word"] = ("x" * (5 * 1024 * 1024), "text", True)
    out["text 100k lines"] = (
        "\n".join(f"Ligne {n} du compte rendu" for n in range(100_000)),
        "text",
        True,
    )
    paragraph = (
        "<p>Bonjour <b>Docteur</b>, voici le <a href='https://ars.example/a'>compte rendu</a> "
        "de la consultation du 14/03.</p>\n"
    )
    row = "<tr><td>Hémoglobine</td><td>13,2 g/dL</td><td>12-16</td></tr>"
    newsletter = paragraph * 600 + "<table>" + row * 600 + "</table>"
    out["ordinary 100 KB HTML"] = (newsletter[: 100 * 1024], "html", False)
    text = "\n".join(f"Ligne {n} : résultat normal, valeur de référence 3-6" for n in range(9_500))
    out["ordinary 512 KB text"] = (text[: 512 * 1024], "text", False)
    return out


def record(body: str, kind: str) -> EmailRecord:
    return EmailRecord(
        id="bench",
        thread_id="bench",
        mailbox_ids=frozenset(),
        received_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        html_body=body if kind == "html" else None,
        text_body=body if kind == "text" else None,
    )


def show(email: EmailRecord, width: int) -> tuple[float, float, bool]:
    """Seconds of one show_email, and of its part before Qt (viewable, timed on its own)."""
    started = time.perf_counter()
    viewable(email.html_body, email.text_body or "")
    before_qt = time.perf_counter() - started
    body = MessageBody()
    body.resize(width, 400)
    started = time.perf_counter()
    body.show_email(email)
    total = time.perf_counter() - started
    truncated = body.truncated
    body.deleteLater()
    QApplication.processEvents()
    return total, before_qt, truncated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs per body (best kept)")
    parser.add_argument("--width", type=int, default=700, help="the reader's width in pixels")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    results: list[tuple[str, float, float, bool, bool]] = []
    for name, (body, kind, counted) in bodies().items():
        email = record(body, kind)
        best = min((show(email, args.width) for _ in range(args.runs)), key=lambda r: r[0])
        results.append((name, best[0], best[1], best[2], counted))
    counted = [r for r in results if r[4]]
    worst = max(counted, key=lambda r: r[1])
    print(f"{len(counted)} hostile bodies shown (platform {app.platformName()}, {args.width} px):")
    for name, total, before_qt, truncated, _ in sorted(results, key=lambda r: -r[1])[:12]:
        print(
            f"  {name:<24} {total * 1000:7.1f} ms  (viewable {before_qt * 1000:6.1f} ms, "
            f"Qt about {max(0.0, total - before_qt) * 1000:6.1f} ms)"
            f"{'  shown in part' if truncated else ''}"
        )
    for name, total, _, truncated, counted_ in results:
        if not counted_:
            print(
                f"  for scale: {name:<22} {total * 1000:7.1f} ms{' (in part)' if truncated else ''}"
            )
    print(
        f"slowest hostile body: {worst[0]}, {worst[1] * 1000:.1f} ms (target ≤ {TARGET * 1000:.0f} "
        f"ms{', MISSED' if worst[1] > TARGET else ''})"
    )
    print(
        f"reproduce: QT_QPA_PLATFORM={app.platformName()} .venv/bin/python bench/render.py "
        f"--runs {args.runs} --width {args.width}"
    )


if __name__ == "__main__":
    main()
