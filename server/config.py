"""Settings of one sandbox instance; tests shorten lifetimes and limits here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerConfig:
    data_dir: Path
    access_token_lifetime: int = 3600
    refresh_token_lifetime: int = 30 * 24 * 3600
    # 5 failed logins within 5 minutes lock the login out (DESIGN §2.1).
    login_failure_limit: int = 5
    login_failure_window: int = 300
    max_size_upload: int = 25 * 1024 * 1024
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
    # scrypt cost of stored password hashes (n = 2**password_hash_log_n).
    password_hash_log_n: int = 14

    @property
    def database_path(self) -> Path:
        return self.data_dir / "sandbox.sqlite3"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def upload_tmp_dir(self) -> Path:
        return self.data_dir / "uploads.tmp"
