"""What a user's account holds on the sandbox, asked over HTTP with that user's own token (the
way another client would see it): a blob's bytes, the emails of a mailbox with a Message-ID."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from server.testing import ServerThread
from tests.server.conftest import User, get_token

MAIL = "urn:ietf:params:jmap:mail"
CORE = "urn:ietf:params:jmap:core"


class Probe:
    """A user's JMAP view of the sandbox (use as a context manager)."""

    def __init__(self, server: ServerThread, user: User) -> None:
        token = get_token(server.base_url, user)
        self.http = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30)
        self.session: dict[str, Any] = self.http.get(server.base_url + "/.well-known/jmap").json()
        self.account: str = self.session["primaryAccounts"][MAIL]

    def __enter__(self) -> Probe:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.http.close()

    def call(self, *calls: list[Any]) -> list[Any]:
        answer = self.http.post(
            self.session["apiUrl"], json={"using": [CORE, MAIL], "methodCalls": list(calls)}
        )
        answer.raise_for_status()
        responses: list[Any] = answer.json()["methodResponses"]
        for name, _args, tag in responses:
            assert name != "error", (tag, responses)
        return responses

    def download(
        self, blob_id: str, name: str = "document", type_: str = "application/pdf"
    ) -> bytes:
        url = (
            self.session["downloadUrl"]
            .replace("{accountId}", quote(self.account, safe=""))
            .replace("{blobId}", quote(blob_id, safe=""))
            .replace("{name}", quote(name, safe=""))
            .replace("{type}", quote(type_, safe=""))
        )
        answer = self.http.get(url)
        answer.raise_for_status()
        return answer.content

    def mailbox(self, role: str) -> str:
        [(_, got, _)] = self.call(
            ["Mailbox/query", {"accountId": self.account, "filter": {"role": role}}, "m"]
        )
        ids: list[str] = got["ids"]
        assert len(ids) == 1, ids
        return ids[0]

    def emails_with_message_id(self, mailbox_id: str, message_id: str) -> list[dict[str, Any]]:
        """Every email of this mailbox whose Message-ID header holds `message_id`."""
        responses = self.call(
            [
                "Email/query",
                {
                    "accountId": self.account,
                    "filter": {"inMailbox": mailbox_id, "header": ["Message-ID", message_id]},
                },
                "q",
            ],
            [
                "Email/get",
                {
                    "accountId": self.account,
                    "#ids": {"resultOf": "q", "name": "Email/query", "path": "/ids"},
                    "properties": ["subject", "from", "to", "messageId", "attachments"],
                    "bodyProperties": [
                        "blobId",
                        "name",
                        "type",
                        "size",
                        "header:Content-Description:asText",
                    ],
                },
                "g",
            ],
        )
        emails: list[dict[str, Any]] = responses[1][1]["list"]
        return emails
