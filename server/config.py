"""Settings of one sandbox instance; tests shorten lifetimes and limits here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Backoff:
    """A growing delay after failed logins (server/auth/throttle.py): the first `free` failures
    within the window cost nothing; after that, each attempt waits `first` · 2^k seconds after the
    last failure (k: failures beyond `free`), at most `longest`."""

    free: int
    first: float
    longest: float


@dataclass(frozen=True)
class ServerConfig:
    data_dir: Path
    access_token_lifetime: int = 3600
    refresh_token_lifetime: int = 30 * 24 * 3600
    # Failed logins slow down whoever fails, never lock the real user out (server/auth/throttle.py
    # says why these numbers): per login and client address, per client address across logins,
    # and a soft bound per login across addresses (addresses where the login succeeded lately
    # are exempt from that one).
    throttle_login_address: Backoff = Backoff(free=5, first=1.0, longest=60.0)
    throttle_address: Backoff = Backoff(free=50, first=1.0, longest=300.0)
    throttle_login: Backoff = Backoff(free=100, first=1.0, longest=5.0)
    # Failures older than this are forgotten (seconds).
    throttle_window: int = 900
    # Keys (logins, addresses, pairs) each throttle table remembers at most: the oldest go first.
    throttle_max_keys: int = 100_000
    # True only when the sandbox sits behind a reverse proxy that appends the client's address to
    # X-Forwarded-For; otherwise that header is the client's own claim and is ignored.
    behind_proxy: bool = False
    # Searches of the regional patient directory per account within the window (seconds); past
    # it, 429 with Retry-After (issue 9 §8: the directory is need-to-know, not a list to walk).
    patient_search_limit: int = 20
    patient_search_window: int = 60
    # The directory's limits (issue 14 §4). Requests per second per application (its
    # ESANTE-API-KEY, else its account), 429 + Retry-After beyond; None: no limit. The national
    # API allows 17. `directory_near` False: no `near` search, as on the national API.
    directory_rate_limit: int | None = None
    directory_near: bool = True
    max_size_upload: int = 25 * 1024 * 1024
    # All the attachments of one Email together, unencoded (RFC 8621 maxSizeAttachmentsPerEmail);
    # None: the same as max_size_upload.
    max_size_attachments_per_email: int | None = None
    max_size_request: int = 10 * 1024 * 1024
    max_concurrent_upload: int = 4
    max_concurrent_requests: int = 8
    max_calls_in_request: int = 16
    max_objects_in_get: int = 500
    max_objects_in_set: int = 500
    # How many change numbers (modseqs) of history /changes can bridge; older states get
    # cannotCalculateChanges.
    changes_history: int = 10_000
    # The domain of the mailboxes hosted by this sandbox; other domains are "outside".
    mail_domain: str = "sisra-demo.mssante.fr"
    # Mail to addresses outside the sandbox is recorded (GET /sandbox/sent-outside) and, when
    # this is set ("host:port"), also relayed through that SMTP server (server/outbound.py).
    smtp_relay: str | None = None
    # The envelope sender (MAIL FROM) of what is relayed: where bounces go, an address of the
    # service rather than the professional's (None: `ne-pas-repondre@` the mail domain).
    smtp_sender: str | None = None
    # Issue 14 §2: the largest message (raw octets) delivered to one recipient; larger ones are
    # refused (552 5.3.4) and their sender gets a delivery status notification.
    max_delivered_size: int = 50 * 1024 * 1024
    # Issue 16: the longest a submission may be held (FUTURERELEASE, RFC 4865; the Session's
    # maxDelayedSend), in seconds; 0: delayed sending is off.
    max_delayed_send: int = 86400
    # Issue 14 §1: the product reference ANS gave this deployment's client (X-MSS-NIL of every
    # message), in the Session's regional capability; empty: the header is omitted.
    mss_product_reference: str = ""
    # Issue 14 §3: the domains of the trust space's whitelist (server/trust/whitelist.py); None:
    # the mail domain, patient.mssante.fr and the domains of the directory's addresses.
    trusted_domains: tuple[str, ...] | None = None
    # scrypt cost of stored password hashes (n = 2**password_hash_log_n).
    password_hash_log_n: int = 14
    # Issue 14 §2: JMAP MDN (RFC 9007) advertised and served; off, clients build receipts
    # themselves (as against a server without it).
    jmap_mdn: bool = True
    # Issue 15 §2: Pro Santé Connect, whose relying party this server is
    # (server/auth/psc_client.py).
    # The discovery document's full URL (PSC's is at a non-standard path); a path starting with
    # "/" is on this server's own origin (a PSC simulé it serves). None: no PSC login offered.
    psc_discovery_url: str | None = None
    psc_client_id: str = ""
    # Never logged nor shown (repr=False keeps it out of any printed config).
    psc_client_secret: str = field(default="", repr=False)
    # Issue 15: the sandbox serves its own « PSC simulé » (server/psc_simule/) and, once its port
    # is known (`with_psc_simule`), points the three settings above at it.
    psc_simule: bool = False
    # The simulé's userinfo as a signed JWT (application/jwt) rather than JSON, as PSC may answer.
    psc_simule_userinfo_jwt: bool = False

    @property
    def psc_configured(self) -> bool:
        return bool(self.psc_discovery_url and self.psc_client_id)

    @property
    def envelope_sender(self) -> str:
        return self.smtp_sender or f"ne-pas-repondre@{self.mail_domain}"

    @property
    def attachments_limit(self) -> int:
        """maxSizeAttachmentsPerEmail, as advertised and enforced by Email/set."""
        if self.max_size_attachments_per_email is None:
            return self.max_size_upload
        return self.max_size_attachments_per_email

    @property
    def message_size_limit(self) -> int:
        """The largest raw message Email/set builds: attachments within the advertised limit,
        base64-encoded (78 bytes on the wire per 57), plus a request's worth of text and headers,
        so that a message the client checked is never refused for its encoding."""
        return self.attachments_limit * 78 // 57 + self.max_size_request

    @property
    def database_path(self) -> Path:
        return self.data_dir / "sandbox.sqlite3"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def upload_tmp_dir(self) -> Path:
        return self.data_dir / "uploads.tmp"
