"""Screenshots of issue 13 §5's pages, for review: the registration pages ("Créer un compte Sara":
the form, a refusal with what was typed, the link sent), the login window refusing the account
before its activation, the activation link's pages (asked, done, used again), and the
telemedicine portal page (the demo GP's, at full and phone width, and a new account's, empty).

The portal pages are shot by headless Chromium (Debian's `chromium`); a page that answers a POST
is saved with a <base> to the sandbox, so that its style sheet loads from file://. Called by
scripts/screenshots.py with its demo sandbox, or alone (`python scripts/screenshots_portal.py
--out DIR`, under Xvfb for the login window), which generates a smaller demo first.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import settings as settings_mod  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.demo.names import ascii_slug  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from tests.registration_helpers import someone_without_an_account  # noqa: E402
from ui import screenshots  # noqa: E402
from ui.login.window import LoginWindow  # noqa: E402

GP_LOGIN = "helene.garnier"
NEW_PASSWORD = "mot-de-passe-demo"  # noqa: S105 (a demo account of the screenshots)
WIDE, NARROW = (1280, 1000), (420, 1400)


async def chromium(target: str, path: Path, size: tuple[int, int] = WIDE) -> Path:
    """`target` (an address or a file) as Chromium paints it, at `size`."""
    command = [
        "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--window-size={size[0]},{size[1]}",
        f"--screenshot={path}",
        target,
    ]
    await asyncio.to_thread(subprocess.run, command, check=True, capture_output=True, timeout=90)
    print(f"{path.stem} : {path}", flush=True)
    return path


async def answer_shot(base: str, answer: httpx.Response, work: Path, path: Path) -> Path:
    """The page a POST answered, saved beside `work` with a <base> to the sandbox."""
    page = work / f"{path.stem}.html"
    page.write_text(answer.text.replace("<head>", f'<head><base href="{base}/">', 1), "utf-8")
    return await chromium(page.as_uri(), path)


def _token(base: str, login: str, password: str) -> str:
    r = httpx.post(
        base + "/auth/token",
        data={"grant_type": "password", "username": login, "password": password},
    )
    r.raise_for_status()
    token: str = r.json()["access_token"]
    return token


def portal_url(base: str, login: str, password: str) -> str:
    """The telemedicine page with a one-time code, as "Mon portail" opens it."""
    r = httpx.post(
        base + "/regional/v1/portal-codes",
        json={"page": "telemedecine"},
        headers={"Authorization": f"Bearer {_token(base, login, password)}"},
    )
    r.raise_for_status()
    url: str = r.json()["url"]
    return url


async def shoot_registration_and_portal(server: ServerThread, work: Path, out: Path) -> list[Path]:
    base = server.base_url
    work.mkdir(parents=True, exist_ok=True)
    saved = [await chromium(base + "/portal/inscription", out / "portal-registration.png")]
    person = someone_without_an_account(base)
    login = f"{ascii_slug(person['given'])}.{ascii_slug(person['family'])}"
    form = {**person, "email": f"{login}@example.org", "login": login, "password": NEW_PASSWORD}
    refused = httpx.post(base + "/portal/inscription", data={**form, "rpps": "10000000999"})
    saved.append(await answer_shot(base, refused, work, out / "portal-registration-refused.png"))
    sent = httpx.post(base + "/portal/inscription", data=form)
    saved.append(await answer_shot(base, sent, work, out / "portal-registration-sent.png"))

    settings_mod.override(server_url=base)
    window = LoginWindow(work / "client")
    window.login_edit.setText(login)
    window.password_edit.setText(NEW_PASSWORD)
    window.show()
    await screenshots.settle()
    window.submit()
    for _ in range(300):
        if window.error_banner.isVisible():
            break
        await asyncio.sleep(0.1)
    saved.append(await screenshots.capture(window, out / "login-account-inactive.png"))
    print(f"login-account-inactive : {saved[-1]}", flush=True)

    account = server.sandbox.accounts.by_login(login)
    assert account is not None
    [mail] = server.sandbox.mail.sent_outside(account.id)
    found = re.search(r"http://\S+/activation/\S+", mail["text"])
    assert found is not None
    link = found.group(0)
    saved.append(await chromium(link, out / "portal-activation.png"))
    done = httpx.post(link)
    saved.append(await answer_shot(base, done, work, out / "portal-activation-done.png"))
    saved.append(await chromium(link, out / "portal-activation-used.png"))

    url = portal_url(base, GP_LOGIN, DEMO_PASSWORD)
    saved.append(await chromium(url, out / "portal-telemedecine.png", (1280, 2000)))
    url = portal_url(base, GP_LOGIN, DEMO_PASSWORD)
    saved.append(await chromium(url, out / "portal-telemedecine-narrow.png", NARROW))
    url = portal_url(base, login, NEW_PASSWORD)
    saved.append(await chromium(url, out / "portal-telemedecine-empty.png"))
    return saved


def main(argv: list[str] | None = None) -> int:
    return run_alone(shoot_registration_and_portal, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
