"""The server address a user types (login window, settings): the core decides what is usable and
how a bare host is completed (app.remote.origins.check_server_url, also enforced when an account
opens); this shows the completed address in the field and says, under it, what is wrong with one
that cannot be used — the core's own sentence, so that the field, the login and the CLI say the
same thing. Light on purpose: the login window uses it before the core is loaded."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit

from app.remote.origins import InvalidServerUrl, check_server_url
from ui import i18n


def server_url_error(text: str) -> str | None:
    """Why `text` is no usable server address (a sentence), or None when it is one: https://…
    (a bare host is completed), or plain http:// only for a server on this computer (the
    sandbox)."""
    if not text.strip():
        return QCoreApplication.translate(
            "ServerAddress", "Indiquez l'adresse du serveur, par exemple https://sante-ara.fr."
        )
    try:
        check_server_url(text)
    except InvalidServerUrl as error:
        return i18n.core_text(error.message)
    return None


def usable_server_url(text: str) -> str:
    """The address the app will use for `text` ("sante-ara.fr" → "https://sante-ara.fr"), or
    `text` as typed (stripped) when it is no usable address: its error says why."""
    try:
        return check_server_url(text)
    except InvalidServerUrl:
        return text.strip().rstrip("/")


def complete_server_field(field: QLineEdit) -> str:
    """Writes in `field` the address the app will use (the user sees "https://" added before a
    bare host) and returns it."""
    url = usable_server_url(field.text())
    if url != field.text():
        field.setText(url)
    return url


def say_server_error(label: QLabel, text: str) -> bool:
    """Shows in `label` (the line under the field) why `text` is no usable server address: True
    then; False, with the line hidden, when it is one."""
    error = server_url_error(text)
    label.setVisible(error is not None)
    if error is None:
        return False
    label.setText(error)
    return True
