"""The trust space in the composer (issue 14 §3): a recipient whose domain is outside the MSSanté
whitelist is marked « hors espace de confiance » on its chip, and the message cannot go while one
is there (view.py `can_go` says why; the message stays in the window). While no list was ever
received, nothing is blocked and each chip's tooltip says the address could not be checked."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.trust.space import TrustSpace, Verdict
from ui.composer.chips import Chip


def mark(chip: Chip, email: str, space: TrustSpace) -> Verdict:
    """Marks `chip` (the recipient `email`) as the trust space judges it; returns the verdict."""
    verdict = space.verdict(email)
    if verdict is Verdict.OUTSIDE:
        domain = email.rpartition("@")[2]
        chip.set_warning(
            QCoreApplication.translate("ComposerTrust", "hors espace de confiance"),
            QCoreApplication.translate(
                "ComposerTrust",
                "Le domaine « %1 » n'est pas dans la liste blanche de l'espace de confiance "
                "MSSanté : aucun message ne peut y être envoyé.",
            ).replace("%1", domain),
        )
    elif verdict is Verdict.UNKNOWN:
        chip.set_warning(
            "",
            QCoreApplication.translate(
                "ComposerTrust",
                "La liste de l'espace de confiance MSSanté n'a pas encore été reçue : cette "
                "adresse n'a pas pu être vérifiée, l'envoi reste possible.",
            ),
        )
    else:
        chip.set_warning("", "")
    return verdict


def refusal(outside: list[str]) -> str:
    """Why the message cannot go to `outside` (one or more addresses), in the user's words."""
    if len(outside) == 1:
        text = QCoreApplication.translate(
            "ComposerTrust",
            "Envoi impossible : %1 est hors de l'espace de confiance MSSanté. La messagerie "
            "sécurisée de santé n'échange qu'avec les domaines de sa liste blanche : retirez ce "
            "destinataire ou vérifiez son adresse dans l'annuaire. Votre message est conservé.",
        )
    else:
        text = QCoreApplication.translate(
            "ComposerTrust",
            "Envoi impossible : %1 sont hors de l'espace de confiance MSSanté. La messagerie "
            "sécurisée de santé n'échange qu'avec les domaines de sa liste blanche : retirez ces "
            "destinataires ou vérifiez leurs adresses dans l'annuaire. Votre message est conservé.",
        )
    return text.replace("%1", ", ".join(outside))
