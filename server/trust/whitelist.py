"""The trust space's whitelist of domains, as ANS publishes it: an XML document in the namespace
`https://listeblanche.mssante.fr/schema` whose `//Domaine/Nom` are the domains of the MSSanté
space (DESIGN §2.5). Clients fetch it from the URL in the Session's regional capability
(`trustSpaceUrl`), at most daily, with a conditional GET (ETag).

What it lists: `ServerConfig.trusted_domains` when set; otherwise the sandbox's own mail domain,
Mon espace santé's patient mailboxes, and every domain of an address in its directory (the demo's
partner establishments), so that a demo's correspondents are all inside and anything else
(a typing mistake, a personal mailbox) is outside.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request, Response

from server.context import Sandbox, get_sandbox
from server.urls import TRUST_SPACE_PATH

router = APIRouter(include_in_schema=False)

NAMESPACE = "https://listeblanche.mssante.fr/schema"
PATIENT_DOMAIN = "patient.mssante.fr"  # Mon espace santé's mailboxes, <INS>@patient.mssante.fr
MAX_AGE_S = 24 * 3600  # the clients' daily refresh

_DIRECTORY_DOMAINS = """
SELECT DISTINCT lower(substr(email, instr(email, '@') + 1)) FROM (
    SELECT email FROM dir_practitioner UNION ALL
    SELECT email FROM dir_role UNION ALL
    SELECT email FROM dir_mailbox
) WHERE instr(email, '@') > 0
"""


def trusted_domains(sandbox: Sandbox) -> list[str]:
    """The domains of the trust space, sorted (the same list gives the same ETag)."""
    config = sandbox.config
    if config.trusted_domains is not None:
        return sorted({d.strip().lower() for d in config.trusted_domains if d.strip()})
    with sandbox.db.read() as conn:
        found = {row[0] for row in conn.execute(_DIRECTORY_DOMAINS) if row[0]}
    return sorted(found | {config.mail_domain.lower(), PATIENT_DOMAIN})


def whitelist_xml(domains: list[str]) -> bytes:
    """The XML document of `domains` (escaped: a domain is data, never markup)."""
    entries = "".join(f"  <Domaine><Nom>{escape(d)}</Nom></Domaine>\n" for d in domains)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ListeBlanche xmlns="{NAMESPACE}">\n{entries}</ListeBlanche>\n'
    ).encode()


@router.get(TRUST_SPACE_PATH)
def whitelist(request: Request) -> Response:
    """Public, as ANS's list is; 304 when the client's copy (If-None-Match) is still the one."""
    body = whitelist_xml(trusted_domains(get_sandbox(request)))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": f"max-age={MAX_AGE_S}"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/xml", headers=headers)
