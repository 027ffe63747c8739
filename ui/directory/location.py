"""What the directory takes from and hands to the rest of the app: the practice location for
"autour de moi" (from the settings), and a composer (or the téléexpertise form) opened for a
correspondent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from app import settings
from app.message.draft import Draft
from app.remote.directory import Correspondent
from app.session import AccountSession
from app.store.records import Address


@dataclass(frozen=True)
class PracticeLocation:
    lat: float
    lon: float
    label: str
    is_default: bool = False


# Place Bellecour: the centre of Lyon, where the regional service (and the demo's GP) is.
LYON = PracticeLocation(45.7578, 4.8320, "Lyon", is_default=True)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _location_of(value: Any) -> PracticeLocation | None:
    """A practice location from the settings' record (lat, lon, commune), a dict with the same
    keys, or a (lat, lon) pair; None when it is not a usable place."""
    if value is None:
        return None
    if isinstance(value, PracticeLocation):
        return value
    if isinstance(value, tuple | list) and len(value) == 2:
        lat, lon = _number(value[0]), _number(value[1])
        return PracticeLocation(lat, lon, "votre lieu d'exercice") if lat and lon else None
    get: Callable[[str], Any]
    get = value.get if isinstance(value, dict) else (lambda key: getattr(value, key, None))
    lat, lon = _number(get("lat")), _number(get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    label = get("label") or get("commune") or get("city") or "votre lieu d'exercice"
    return PracticeLocation(lat, lon, str(label))


def practice_location(value: Any = None) -> PracticeLocation:
    """`value`, else the practice location of the current settings, else Lyon (the default)."""
    if value is None:
        value = settings.current().practice_location
    return _location_of(value) or LYON


ComposerOpener = Callable[[AccountSession, list[Correspondent], str, QWidget | None], QWidget]


def open_teleexpertise_request(
    session: AccountSession, expert: Correspondent, parent: QWidget | None = None
) -> QWidget:
    """Opens the téléexpertise request form with this expert chosen."""
    # Imported here: the form itself opens the directory (DirectoryDialog) to choose an expert.
    from ui.teleexpertise.view import TeleexpertiseRequestDialog

    form = TeleexpertiseRequestDialog(session, expert, parent)
    form.show()
    return form


def open_composer(
    session: AccountSession,
    recipients: list[Correspondent],
    subject: str = "",
    parent: QWidget | None = None,
) -> QWidget:
    """Opens a composer addressed to these correspondents (and with this subject)."""
    # Imported here: the composer itself opens the directory (DirectoryDialog).
    from ui.composer.composer import Composer

    people = [Address(c.display_name, c.mailbox) for c in recipients if c.mailbox]
    composer = Composer(session, draft=Draft(to=tuple(people), subject=subject), parent=parent)
    composer.show()
    return composer
