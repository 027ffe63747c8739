"""Helpers shared by the JMAP client tests: a logged-in client on a sandbox, drafts to work on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from app.remote.jmap import JmapClient
from server.testing import ServerThread
from tests.server.conftest import ALICE, User, get_token


@asynccontextmanager
async def jmap_client(
    server: ServerThread, user: User = ALICE, **http_args: Any
) -> AsyncIterator[JmapClient]:
    token = get_token(server.base_url, user)
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, timeout=30, **http_args
    ) as http:
        yield JmapClient(http, server.base_url + "/.well-known/jmap")


async def drafts_mailbox(client: JmapClient) -> str:
    answer = await client.call_one("Mailbox/query", {"filter": {"role": "drafts"}})
    mailbox_id: str = answer["ids"][0]
    return mailbox_id


async def create_drafts(client: JmapClient, subjects: list[str]) -> list[str]:
    """Creates one draft per subject; returns their ids in the same order."""
    drafts = await drafts_mailbox(client)
    create = {
        f"k{i}": {
            "mailboxIds": {drafts: True},
            "keywords": {"$draft": True},
            "subject": subject,
            "textBody": [{"partId": "1", "type": "text/plain"}],
            "bodyValues": {"1": {"value": "bonjour"}},
        }
        for i, subject in enumerate(subjects)
    }
    answer = await client.call_one("Email/set", {"create": create})
    created = answer["created"]
    return [created[f"k{i}"]["id"] for i in range(len(subjects))]
