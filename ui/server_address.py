"""The server address a user types (login window, settings): the core decides what is usable
(app.remote.origins.check_server_url, also enforced when an account opens); this says why not, in
the user's language, under the field. Light on purpose: the login window uses it before the core
is loaded."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from app.remote.origins import CleartextServerUrl, InvalidServerUrl, check_server_url


def server_url_error(text: str) -> str | None:
    """Why `text` is no usable server address (a sentence), or None when it is one: https://…,
    or plain http:// only for a server on this computer (the sandbox)."""
    if not text.strip():
        return QCoreApplication.translate(
            "ServerAddress", "Indiquez l'adresse du serveur, par exemple https://sante-ara.fr."
        )
    try:
        check_server_url(text)
    except CleartextServerUrl:
        return QCoreApplication.translate(
            "ServerAddress",
            "Utilisez une adresse en https:// : une connexion non chiffrée ferait circuler votre "
            "mot de passe en clair ; elle n'est acceptée que pour un serveur sur cet ordinateur "
            "(127.0.0.1 ou localhost).",
        )
    except InvalidServerUrl:
        return QCoreApplication.translate(
            "ServerAddress",
            "Cette adresse n'est pas valide : elle doit commencer par https:// suivi du nom du "
            "serveur.",
        )
    return None


def say_server_error(label: QLabel, text: str) -> bool:
    """Shows in `label` (the line under the field) why `text` is no usable server address: True
    then; False, with the line hidden, when it is one."""
    error = server_url_error(text)
    label.setVisible(error is not None)
    if error is None:
        return False
    label.setText(error)
    return True
