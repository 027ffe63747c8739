"""The client core's errors: each carries a French sentence the UI can show as it is."""

from __future__ import annotations


class CoreError(Exception):
    """Base of every error the core raises on purpose.

    `message_fr` says what happened and what to do, in the words of the service; `str(error)`
    stays technical (for logs, without personal data).
    """

    message_fr = "Une erreur inattendue s'est produite."

    def __init__(self, detail: str = "", message_fr: str | None = None) -> None:
        super().__init__(detail or type(self).__name__)
        if message_fr is not None:
            self.message_fr = message_fr
