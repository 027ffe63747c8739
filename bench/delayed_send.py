"""How late the sandbox releases held submissions (FUTURERELEASE, RFC 4865): N submissions with
HOLDFOR=2 are created at once, then the time from each one's sendAt to the recipient holding it
is printed (median and worst), with the creation cost of a held submission.

    .venv/bin/python bench/delayed_send.py [--count 50]

The sandbox runs in this process (server.testing.ServerThread) on a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.testing import ServerThread, quick_config

ALICE = ("alice", "alice-secret-1", "Dr Alice Martin", "alice.martin@sisra-demo.mssante.fr")
BOB = ("bob", "bob-secret-2", "Dr Bob Durand", "bob.durand@sisra-demo.mssante.fr")
USING = [
    "urn:ietf:params:jmap:core",
    "urn:ietf:params:jmap:mail",
    "urn:ietf:params:jmap:submission",
]


def token(base: str, login: str, password: str) -> str:
    r = httpx.post(
        base + "/auth/token",
        data={"grant_type": "password", "username": login, "password": password},
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerThread(quick_config(Path(tmp)))
        for login, password, name, address in (ALICE, BOB):
            server.sandbox.accounts.create(login, password, name, address)
        with server:
            base = server.base_url
            alice = httpx.Client(headers={"Authorization": "Bearer " + token(base, *ALICE[:2])})
            bob = httpx.Client(headers={"Authorization": "Bearer " + token(base, *BOB[:2])})
            session = alice.get(base + "/.well-known/jmap").json()
            account = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]

            def api(client: httpx.Client, *calls: list[object]) -> list[list[object]]:
                r = client.post(base + "/jmap/api", json={"using": USING, "methodCalls": calls})
                r.raise_for_status()
                return list(r.json()["methodResponses"])

            identity = api(alice, ["Identity/get", {"accountId": account}, "0"])[0][1]["list"][0]
            send_at: dict[str, float] = {}
            costs: list[float] = []
            for i in range(args.count):
                draft = {
                    "mailboxIds": {},
                    "from": [{"email": ALICE[3]}],
                    "to": [{"email": BOB[3]}],
                    "subject": f"Différé {i}",
                    "textBody": [{"partId": "1", "type": "text/plain"}],
                    "bodyValues": {"1": {"value": "."}},
                }
                mailbox = next(
                    m["id"]
                    for m in api(alice, ["Mailbox/get", {"accountId": account}, "0"])[0][1]["list"]
                    if m["role"] == "drafts"
                )
                draft["mailboxIds"] = {mailbox: True}
                started = time.perf_counter()
                responses = api(
                    alice,
                    ["Email/set", {"accountId": account, "create": {"d": draft}}, "0"],
                    [
                        "EmailSubmission/set",
                        {
                            "accountId": account,
                            "create": {
                                "s": {
                                    "emailId": "#d",
                                    "identityId": identity["id"],
                                    "envelope": {
                                        "mailFrom": {
                                            "email": ALICE[3],
                                            "parameters": {"HOLDFOR": "2"},
                                        },
                                        "rcptTo": [{"email": BOB[3]}],
                                    },
                                }
                            },
                        },
                        "1",
                    ],
                )
                costs.append(time.perf_counter() - started)
                created = responses[1][1]["created"]["s"]
                when = datetime.fromisoformat(created["sendAt"].replace("Z", "+00:00"))
                send_at[f"Différé {i}"] = when.timestamp()
            seen: dict[str, float] = {}
            deadline = time.time() + 60
            bob_account = bob.get(base + "/.well-known/jmap").json()["primaryAccounts"][
                "urn:ietf:params:jmap:mail"
            ]
            while len(seen) < args.count and time.time() < deadline:
                ids = api(bob, ["Email/query", {"accountId": bob_account}, "0"])[0][1]["ids"]
                get = {"accountId": bob_account, "ids": ids, "properties": ["subject"]}
                got = api(bob, ["Email/get", get, "0"])[0][1]["list"]
                now = time.time()
                for email in got:
                    seen.setdefault(email["subject"], now)
                time.sleep(0.05)
            late = [seen[s] - send_at[s] for s in seen if s in send_at]
            print(f"held submissions created: {args.count}, delivered: {len(late)}")
            print(
                f"EmailSubmission/set (Email/set + hold) per call: median "
                f"{statistics.median(costs) * 1000:.1f} ms, worst {max(costs) * 1000:.1f} ms"
            )
            if late:
                print(
                    f"delivered after sendAt (polled every 50 ms): median "
                    f"{statistics.median(late) * 1000:.0f} ms, worst {max(late) * 1000:.0f} ms"
                )


if __name__ == "__main__":
    main()
