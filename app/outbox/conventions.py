"""What the server's Session says that the MSSanté conventions of a message need (DESIGN §2.5):
the deployment's product reference (X-MSS-NIL, in the regional capability) and the sender's
RPPS (the author of the CDA documents, in the account's regional capability)."""

from __future__ import annotations

from dataclasses import dataclass

from app.outbox.limits import session_document
from app.remote.jmap import REGIONAL, SUBMISSION, JmapClient, Session


@dataclass(frozen=True)
class SenderFacts:
    nil: str  # "" when the deployment has none: X-MSS-NIL is omitted
    rpps: str | None


def nil_of(session: Session) -> str:
    """The product reference of the Session's regional capability ("" when absent or junk)."""
    regional = session.capabilities.get(REGIONAL)
    value = regional.get("mssProductReference") if isinstance(regional, dict) else None
    return value.strip() if isinstance(value, str) and value.isprintable() else ""


def rpps_of(document: object, account_id: str) -> str | None:
    """The account's RPPS from a Session document (11 digits), else None."""
    accounts = document.get("accounts") if isinstance(document, dict) else None
    account = accounts.get(account_id) if isinstance(accounts, dict) else None
    capabilities = account.get("accountCapabilities") if isinstance(account, dict) else None
    regional = capabilities.get(REGIONAL) if isinstance(capabilities, dict) else None
    rpps = regional.get("rpps") if isinstance(regional, dict) else None
    return rpps if isinstance(rpps, str) and rpps.isdigit() and len(rpps) == 11 else None


async def fetch_sender_facts(jmap: JmapClient) -> SenderFacts:
    """ServerUnreachable when offline (the outbox then writes the CDA author without RPPS)."""
    session = await jmap.session()
    return SenderFacts(nil_of(session), rpps_of(await session_document(jmap), session.account_id))


def dsn_offered(document: object, account_id: str) -> bool:
    """Whether the account's submission capability lists `DSN` in its submissionExtensions
    (RFC 8621 §1.3.2, any case): only then may the envelope carry RFC 3461 parameters."""
    accounts = document.get("accounts") if isinstance(document, dict) else None
    account = accounts.get(account_id) if isinstance(accounts, dict) else None
    capabilities = account.get("accountCapabilities") if isinstance(account, dict) else None
    submission = capabilities.get(SUBMISSION) if isinstance(capabilities, dict) else None
    extensions = submission.get("submissionExtensions") if isinstance(submission, dict) else None
    names = extensions if isinstance(extensions, dict | list) else ()
    return any(isinstance(n, str) and n.upper() == "DSN" for n in names)
