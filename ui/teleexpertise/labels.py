"""The words and colours of the téléexpertise states, and the sentences about the yearly quota:
one place, keyed by `TeleexpertiseStatus`, for the list, the detail, the filter and the form.
Marked with QT_TRANSLATE_NOOP in the "Teleexpertise" context, translated where shown."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.regional.records import ExpertProfile, Quota, Teleexpertise, TeleexpertiseStatus
from ui.i18n import plural
from ui.palette import PILL_GOOD, PILL_OVER, PILL_WAITING

STATUS_LABELS = {
    TeleexpertiseStatus.REQUESTED: QT_TRANSLATE_NOOP("Teleexpertise", "Demandée"),
    TeleexpertiseStatus.ANSWERED: QT_TRANSLATE_NOOP("Teleexpertise", "Répondue"),
    TeleexpertiseStatus.CLOSED: QT_TRANSLATE_NOOP("Teleexpertise", "Clôturée"),
}
STATUS_COLORS = {  # (background, text)
    TeleexpertiseStatus.REQUESTED: PILL_WAITING,
    TeleexpertiseStatus.ANSWERED: PILL_GOOD,
    TeleexpertiseStatus.CLOSED: PILL_OVER,
}
FILTERS: tuple[tuple[object, TeleexpertiseStatus | None], ...] = (
    (QT_TRANSLATE_NOOP("Teleexpertise", "Tous les statuts"), None),
    (QT_TRANSLATE_NOOP("Teleexpertise", "Demandées"), TeleexpertiseStatus.REQUESTED),
    (QT_TRANSLATE_NOOP("Teleexpertise", "Répondues"), TeleexpertiseStatus.ANSWERED),
    (QT_TRANSLATE_NOOP("Teleexpertise", "Clôturées"), TeleexpertiseStatus.CLOSED),
)
OFFLINE_FR = QT_TRANSLATE_NOOP(
    "Teleexpertise",
    "Hors connexion : la téléexpertise sera disponible dès que le serveur répondra à nouveau.",
)


def translated(text: object) -> str:
    """A text marked with QT_TRANSLATE_NOOP in the "Teleexpertise" context, translated."""
    return QCoreApplication.translate("Teleexpertise", str(text))


def status_label(status: TeleexpertiseStatus) -> str:
    return translated(STATUS_LABELS[status])


def quota_text(quota: Quota) -> str:
    """What is left of the yearly limit, in the FAQ's terms."""
    if quota.remaining <= 0:
        return QCoreApplication.translate(
            "Teleexpertise",
            "Aucune téléexpertise restante cette année pour ce patient ({used} sur {limit}).",
        ).format(used=quota.used, limit=quota.limit)
    if quota.remaining == 1:
        return QCoreApplication.translate(
            "Teleexpertise", "1 téléexpertise restante cette année pour ce patient."
        )
    return QCoreApplication.translate(
        "Teleexpertise", "{n} téléexpertises restantes cette année pour ce patient."
    ).format(n=quota.remaining)


def to_do_text(received: list[Teleexpertise], sent: list[Teleexpertise]) -> str:
    """What waits for me: requests received to answer, answers to my requests to close."""
    waiting = sum(1 for t in received if t.status is TeleexpertiseStatus.REQUESTED)
    to_close = sum(1 for t in sent if t.status is TeleexpertiseStatus.ANSWERED)
    parts = []
    if waiting:
        parts.append(
            QCoreApplication.translate("Teleexpertise", "1 demande attend votre avis")
            if waiting == 1
            else QCoreApplication.translate(
                "Teleexpertise", "{n} demandes attendent votre avis"
            ).format(n=waiting)
        )
    if to_close:
        parts.append(
            QCoreApplication.translate("Teleexpertise", "1 réponse à clôturer")
            if to_close == 1
            else QCoreApplication.translate("Teleexpertise", "{n} réponses à clôturer").format(
                n=to_close
            )
        )
    return (
        " · ".join(parts) + "."
        if parts
        else QCoreApplication.translate("Teleexpertise", "Rien n'attend d'action de votre part.")
    )


def prerequisites_text(profile: ExpertProfile) -> str:
    """What an expert asks of a request: the documents to join and the delay announced."""
    documents = "".join(f"\n • {d}" for d in profile.prerequisite_documents)
    lines = [
        QCoreApplication.translate("Teleexpertise", "Documents demandés par l'expert :") + documents
        if documents
        else QCoreApplication.translate("Teleexpertise", "L'expert ne demande pas de document.")
    ]
    if days := profile.response_delay_days:
        one = QCoreApplication.translate("Teleexpertise", "Délai de réponse annoncé : {days} jour.")
        many = QCoreApplication.translate(
            "Teleexpertise", "Délai de réponse annoncé : {days} jours."
        )
        lines.append(plural(days, one, many).format(days=days))
    return "\n".join(lines)


def profile_text(profile: ExpertProfile | None) -> str:
    """Whether colleagues can ask me (declared as an expert, listed in the directory)."""
    if profile is None or not profile.declared:
        return QCoreApplication.translate(
            "Teleexpertise",
            "Vous n'êtes pas déclaré comme télé-expert : vos confrères ne peuvent pas "
            "vous solliciter.",
        )
    listed = (
        QCoreApplication.translate("Teleexpertise", "visible dans l'annuaire des experts")
        if profile.listed_in_directory
        else QCoreApplication.translate("Teleexpertise", "non visible dans l'annuaire")
    )
    return QCoreApplication.translate(
        "Teleexpertise", "Vous êtes déclaré comme télé-expert ({listed})."
    ).format(listed=listed)


__all__ = [
    "FILTERS",
    "OFFLINE_FR",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "profile_text",
    "quota_text",
    "status_label",
    "to_do_text",
    "translated",
]
