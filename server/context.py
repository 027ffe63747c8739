"""Everything one sandbox instance holds, built once and reached by routes through get_sandbox."""

from __future__ import annotations

from fastapi import Request

from server.accounts import Accounts
from server.auth.authenticate import Authenticator
from server.auth.authorize import AuthorizationServer
from server.auth.ciba import Ciba
from server.auth.throttle import LoginThrottle
from server.auth.tokens import Tokens
from server.config import ServerConfig
from server.directory.store import DirectoryStore
from server.jmap.changes import ChangeLog
from server.jmap.delayed import DelayedSends
from server.jmap.push_subscriptions import PushSubscriptions
from server.mail.blobs import BlobStore
from server.mail.store import MailStore
from server.notify import StateBroker
from server.outbound import OutboundMail, SmsNotifier
from server.portal.room_hub import RoomHub
from server.psc_simule.provider import PscSimule
from server.refusals import Refusals
from server.regional.store import RegionalStore
from server.registration import Registration
from server.storage import Database


class Sandbox:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(config.database_path)
        self.broker = StateBroker()
        self.accounts = Accounts(self.db, config.password_hash_log_n)
        self.tokens = Tokens(self.db, config.access_token_lifetime, config.refresh_token_lifetime)
        self.throttle = LoginThrottle(config)
        self.auth = Authenticator(self)
        # Issue 15 §2: the desktop app's authorization server, PSC's relying party.
        self.authz = AuthorizationServer(self)
        self.ciba = Ciba(self, self.authz)
        self.changes = ChangeLog(self.db, self.broker.publish, config.changes_history)
        self.blobs = BlobStore(self)
        self.outbound = OutboundMail(self.db, config.smtp_relay, config.envelope_sender)
        self.sms = SmsNotifier(self.db)
        self.mail = MailStore(self)
        self.push_subscriptions = PushSubscriptions(self)  # RFC 8620 §7.2
        self.directory = DirectoryStore(self)
        self.regional = RegionalStore(self)
        self.registration = Registration(self)  # issue 13 §5: Sara accounts and their activation
        self.refusals = Refusals()  # tests only (server/refusals.py)
        self.rooms = RoomHub()  # the teleconsultation rooms' signalling (issue 13 §2)
        # Issue 15: the « PSC simulé » provider, only when asked for (demo, tests).
        self.psc_simule = PscSimule(config) if config.psc_simule else None
        # RFC 4865 held submissions, released by one thread (server/jmap/delayed.py); what came
        # due while the sandbox was down goes out as soon as it starts.
        from server.jmap.methods.submission import release  # the methods import this module

        self.delayed_sends = DelayedSends(self, release)
        self.delayed_sends.start()

    def close(self) -> None:
        self.delayed_sends.stop()
        self.push_subscriptions.close()
        self.db.close()


def get_sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox
