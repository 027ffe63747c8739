"""Creating a Sara account ("Créer un compte Sara", FAQ: for a professional without a CPS card),
then activating it from the link sent by e-mail.

The identity is checked against the directory: the RPPS number must be there, with the same
family and given names (compared without case, accents nor punctuation), and have no account
yet. The account is created inactive, with an MSSanté address of the sandbox's domain, and a link
goes to the e-mail given, through the outbound mail path (server/outbound.py: recorded at
/sandbox/sent-outside, relayed when an SMTP relay is configured), in the same transaction: no
account without its mail, no mail for a refused account. Logging in before activation is refused
with its own message (server/auth/authenticate.py). The link works once, for ACTIVATION_LIFETIME;
it activates the account and puts its address in the directory (the practitioner's and their
roles' MSSanté address), where colleagues find it. Registering again an RPPS that waits for its
activation sends a new link to the address given the first time, never to the one just typed.

Only a digest of each link's token is stored: the database alone does not activate anything.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

from server.accounts import Account
from server.directory.text import fold
from server.regional.common import Clock, to_datetime
from server.urls import PORTAL_PATH

if TYPE_CHECKING:
    from server.context import Sandbox

ACTIVATION_LIFETIME = 48 * 3600  # seconds
ACTIVATION_PATH = PORTAL_PATH + "/inscription/activation"
MIN_PASSWORD = 10
_LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

MIGRATIONS = [
    """
    CREATE TABLE account_activations (
        token_digest TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        email TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
    );
    CREATE INDEX account_activations_account ON account_activations (account_id);
    """
]


class RegistrationRefused(Exception):
    """A French sentence for the form or the activation page, and the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Form:
    """What the registration form sends."""

    rpps: str
    given: str
    family: str
    email: str
    login: str
    password: str


@dataclass(frozen=True)
class Registered:
    account: Account
    sent_to: str  # where the activation link went
    again: bool  # the account already waited for its activation: a new link was sent


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Registration:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self.clock = Clock()  # tests set `fixed` to see a link expire (server/regional/common.py)
        sandbox.db.migrate("registration", MIGRATIONS)

    def register(self, form: Form, base_url: str) -> Registered:
        rpps, login = form.rpps.strip(), form.login.strip().lower()
        email = form.email.strip()
        _check_form(form, rpps, login, email)
        entry = self._sandbox.directory.practitioner_by_rpps(rpps)
        if entry is None:
            raise RegistrationRefused(
                400,
                "Ce numéro RPPS ne figure pas dans l'annuaire santé : vérifiez-le (11 chiffres, "
                "sur votre carte de professionnel ou dans l'annuaire).",
            )
        if (fold(form.given), fold(form.family)) != (fold(entry["given"]), fold(entry["family"])):
            raise RegistrationRefused(
                400,
                "Le nom et le prénom ne correspondent pas à ceux de l'annuaire santé pour ce "
                "numéro RPPS : saisissez-les comme ils y figurent.",
            )
        accounts = self._sandbox.accounts
        with self._sandbox.db.write() as conn:  # checked and created under the write lock
            existing = accounts.by_rpps(rpps)
            if existing is not None and existing.active:
                raise RegistrationRefused(
                    409,
                    "Un compte Sara existe déjà pour ce numéro RPPS : connectez-vous avec son "
                    "identifiant.",
                )
            if existing is not None:  # waiting for its activation: a new link, same address
                first = conn.execute(
                    "SELECT email FROM account_activations WHERE account_id = ? "
                    "ORDER BY expires_at LIMIT 1",
                    (existing.id,),
                ).fetchone()
                self._send_link(conn, existing, first["email"], base_url)
                return Registered(existing, first["email"], again=True)
            if accounts.by_login(login) is not None:
                raise RegistrationRefused(
                    409, "Cet identifiant est déjà pris : choisissez-en un autre."
                )
            name = " ".join(x for x in (entry["prefix"], entry["given"], entry["family"]) if x)
            try:
                account = accounts.create(
                    login,
                    form.password,
                    name,
                    self._free_address(entry["given"], entry["family"]),
                    rpps=rpps,
                    active=False,
                )
            except sqlite3.IntegrityError:  # the same login or address at the same moment
                raise RegistrationRefused(
                    409, "Cet identifiant est déjà pris : choisissez-en un autre."
                ) from None
            self._send_link(conn, account, email, base_url)
        return Registered(account, email, again=False)

    def check(self, token: str) -> Account:
        """The account a link would activate; RegistrationRefused when it cannot be used."""
        with self._sandbox.db.read() as conn:
            return self._usable(conn, token)

    def activate(self, token: str) -> Account:
        """Activates the account of a link (once) and lists its address in the directory."""
        with self._sandbox.db.write() as conn:
            account = self._usable(conn, token)
            entry = self._sandbox.directory.practitioner_by_rpps(account.rpps or "")
            if entry is None:  # the directory lost the entry since: nothing to tie it to
                raise RegistrationRefused(
                    409,
                    "Votre numéro RPPS ne figure plus dans l'annuaire santé : contactez le "
                    "support.",
                )
            now = self.clock.now()
            conn.execute(
                "UPDATE account_activations SET used_at = ? WHERE account_id = ?",
                (now, account.id),
            )
            self._sandbox.accounts.activate(conn, account.id, entry["id"])
            self._sandbox.directory.set_mailbox(conn, entry["id"], account.email)
        activated = self._sandbox.accounts.by_id(account.id)
        assert activated is not None
        return activated

    def _usable(self, conn: sqlite3.Connection, token: str) -> Account:
        row = conn.execute(
            "SELECT account_id, expires_at, used_at FROM account_activations "
            "WHERE token_digest = ?",
            (_digest(token),),
        ).fetchone()
        account = self._sandbox.accounts.by_id(row["account_id"]) if row else None
        if row is None or account is None:
            raise RegistrationRefused(
                404,
                "Ce lien d'activation n'est pas valide : vérifiez qu'il est complet dans le "
                "message reçu.",
            )
        if row["used_at"] is not None or account.active:
            raise RegistrationRefused(
                410,
                "Ce lien d'activation a déjà servi : votre compte Sara est actif, connectez-vous "
                "à MonSisra avec votre identifiant.",
            )
        if row["expires_at"] <= self.clock.now():
            raise RegistrationRefused(
                410,
                "Ce lien d'activation a expiré. Remplissez à nouveau le formulaire « Créer un "
                "compte Sara » avec le même numéro RPPS : un nouveau lien vous sera envoyé.",
            )
        return account

    def _free_address(self, given: str, family: str) -> str:
        """prenom.nom@ the sandbox's domain, or prenom.nom2@… when a homonym has it."""
        from server.demo.names import mss_address  # here: server.demo imports the Sandbox

        domain = self._sandbox.config.mail_domain
        first = mss_address(given, family, domain)
        local, _, _ = first.partition("@")
        candidates = [first, *(f"{local}{n}@{domain}" for n in range(2, 100))]
        for address in candidates:
            if self._sandbox.accounts.by_email(address) is None:
                return address
        raise RegistrationRefused(409, "Aucune adresse MSSanté libre pour ce nom.")

    def _send_link(
        self, conn: sqlite3.Connection, account: Account, email: str, base_url: str
    ) -> None:
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        expires = now + ACTIVATION_LIFETIME
        conn.execute(
            "INSERT INTO account_activations (token_digest, account_id, email, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (_digest(token), account.id, email, expires),
        )
        url = f"{base_url.rstrip('/')}{ACTIVATION_PATH}/{token}"
        subject = "Activez votre compte Sara"
        text = (
            f"Bonjour {account.display_name},\n\n"
            "Votre compte Sara a été créé. Pour l'activer, ouvrez ce lien dans votre "
            f"navigateur :\n\n{url}\n\n"
            f"Ce lien sert une seule fois, jusqu'au {to_datetime(expires):%d/%m/%Y à %H:%M}.\n"
            f"Votre identifiant : {account.login}\n"
            f"Votre adresse MSSanté : {account.email}\n\n"
            "Si vous n'avez pas demandé ce compte, ignorez ce message : il ne sera pas activé.\n"
        )
        domain = self._sandbox.config.mail_domain
        message = EmailMessage()
        message["From"] = Address("Compte Sara", addr_spec=f"ne-pas-repondre@{domain}")
        message["To"] = email
        message["Subject"] = subject
        message["Date"] = format_datetime(to_datetime(now))
        message["Message-ID"] = make_msgid(domain=domain)
        message.set_content(text)
        self._sandbox.outbound.send(
            conn,
            account.id,
            [email],
            message.as_bytes(),
            str(message["Message-ID"]),
            subject,
            text,
            now,
        )


def _check_form(form: Form, rpps: str, login: str, email: str) -> None:
    problem = None
    if not rpps.isdigit() or len(rpps) != 11:
        problem = "Le numéro RPPS compte 11 chiffres (il figure sur votre carte de professionnel)."
    elif not form.given.strip() or not form.family.strip():
        problem = "Le prénom et le nom sont obligatoires."
    elif not _EMAIL_RE.match(email):
        problem = "Indiquez l'adresse e-mail où recevoir le lien d'activation."
    elif not _LOGIN_RE.match(login):
        problem = "L'identifiant : 3 à 64 caractères, lettres minuscules, chiffres, . _ -"
    elif len(form.password) < MIN_PASSWORD:
        problem = f"Le mot de passe doit contenir au moins {MIN_PASSWORD} caractères."
    if problem:
        raise RegistrationRefused(400, problem)


__all__ = [
    "ACTIVATION_LIFETIME",
    "ACTIVATION_PATH",
    "Form",
    "Registered",
    "Registration",
    "RegistrationRefused",
]
