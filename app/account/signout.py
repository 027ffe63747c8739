"""Leaving an account on this computer: "Se déconnecter" and "Oublier ce compte sur cet
ordinateur".

Signing out ends the session on the server too: its refresh token is revoked there (which
revokes every access token issued from it, server/auth/tokens.py) and deleted from the keyring,
so the next launch asks for the password and sends it — unlike a lock, which keeps the
remembered session. The keyring entry goes first, so that nothing is left here even when the
server cannot be reached; the server is then told at best effort (a few seconds at most), and
the caller says so when it could not be: the token then lives on there until it expires.

Forgetting the account also deletes its folder — vault, cache, unsent file, files set aside by a
rebuild — once the session is closed.
"""

from __future__ import annotations

import asyncio
import shutil

from app import logs, messages
from app.account.keychain import TokenStore
from app.account.login import AccountRef, OpenAccount
from app.errors import CoreError
from app.remote.auth import revoke

__all__ = ["REVOKE_TIMEOUT", "ForgetFailed", "forget_local_data", "sign_out"]

log = logs.get("account")

REVOKE_TIMEOUT = 5.0  # seconds: leaving must not wait for an unreachable server


async def sign_out(account: OpenAccount) -> bool:
    """Forgets the session here and revokes it on the server. True when the server was told
    (or there was nothing to tell it: HTTP Basic keeps no token); False when it could not be."""
    store = account.token_store
    remembered = store.load() if store is not None and account.remember else None
    if store is not None:
        store.delete()
    account.remember = False
    tokens = account.auth.tokens if account.auth is not None else None
    refresh = tokens.refresh_token if tokens is not None else remembered
    if refresh is None:
        log.info("signed out (no token to revoke)")
        return True
    http = account.http if account.online and account.http is not None else None
    own = http is None
    client = account.http_factory() if http is None else http
    try:
        async with asyncio.timeout(REVOKE_TIMEOUT):
            told = await revoke(client, account.ref.server_url, refresh)
    except (CoreError, TimeoutError) as e:
        log.info("signed out here; the server could not be told (%s)", type(e).__name__)
        return False
    finally:
        if own:
            await client.aclose()
    log.info("signed out")
    return told


class ForgetFailed(CoreError):
    message = messages.FORGET_FAILED


def forget_local_data(ref: AccountRef) -> None:
    """Deletes the account's folder, then the keyring's secret of its vault (which signs the
    wrong-password delay: useless without the vault); call it once the account is closed.
    ForgetFailed when something in the folder could not be deleted (the secret is then kept)."""
    try:
        shutil.rmtree(ref.dir)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise ForgetFailed(f"account folder not deleted ({type(e).__name__})") from None
    TokenStore.for_vault(ref.dir).delete()
    log.info("account folder deleted")
