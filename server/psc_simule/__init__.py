"""The « PSC simulé » (issue 15 §2, contract C): an OpenID Connect provider shaped like Pro Santé
Connect, served by the sandbox itself under /psc-simule/ for the demo and the tests. No card is
ever read: a page lets whoever runs the demo pick a demo professional (« Carte CPS ») or confirm a
push on a page standing for the phone (« e-CPS », CIBA)."""

from __future__ import annotations

import secrets
from dataclasses import replace

from server.config import ServerConfig

PREFIX = "/psc-simule"
REALM_PATH = PREFIX + "/auth/realms/esante-wallet"
# PSC's discovery document is at this non-standard path, not /.well-known/openid-configuration.
DISCOVERY_PATH = REALM_PATH + "/.well-known/wallet-openid-configuration"
DEFAULT_CLIENT_ID = "monsisra-sandbox"


def with_psc_simule(config: ServerConfig, base_url: str) -> ServerConfig:
    """`config` with its PSC settings pointed at the simulé of the sandbox served at `base_url`
    (once its port is known), when `psc_simule` is on; the client secret, unless given, is a new
    random one, shared in-process by the provider and the relying party."""
    if not config.psc_simule:
        return config
    return replace(
        config,
        psc_discovery_url=base_url.rstrip("/") + DISCOVERY_PATH,
        psc_client_id=config.psc_client_id or DEFAULT_CLIENT_ID,
        psc_client_secret=config.psc_client_secret or secrets.token_urlsafe(32),
    )


__all__ = ["DEFAULT_CLIENT_ID", "DISCOVERY_PATH", "PREFIX", "REALM_PATH", "with_psc_simule"]
