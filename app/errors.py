"""The client core's errors: each carries a sentence of the catalogue (`app.messages`) that the UI
shows in the user's language, and its French text (`message_fr`) for the CLI."""

from __future__ import annotations

from app import messages
from app.messages import Message


class _French:
    """`message_fr`: the French text of the error's `message`, on the class (its default) as on
    an instance (the sentence it was raised with). Derived, never stored: it cannot drift."""

    def __get__(self, error: CoreError | None, owner: type[CoreError]) -> str:
        return (owner.message if error is None else error.message).text()


class CoreError(Exception):
    """Base of every error the core raises on purpose.

    `message` says what happened and what to do, in the words of the service (a subclass names
    its entry of the catalogue; a raise may pass a filled one, or a sentence already in the
    user's words: a server's, or one the UI translated itself, taken as `Message.said`);
    `str(error)` stays technical (for logs, without personal data).
    """

    message: Message = messages.UNEXPECTED
    message_fr = _French()

    def __init__(self, detail: str = "", message: Message | str | None = None) -> None:
        super().__init__(detail or type(self).__name__)
        if isinstance(message, str):
            message = Message.said(message)
        if message is not None:
            self.message = message
