"""The trust space's refusal in the composer, for `make screenshots` (ui/screenshots.py): a
message to a colleague and to an address outside the MSSanté whitelist, after « Envoyer »."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QWidget

from app.records import Address
from app.session import AccountSession
from ui.composer.composer import Composer

RECEIVED_WAIT_S = 5.0  # the session fetches the list in the background as it starts


async def _refused(session: AccountSession, outside: Address, size: tuple[int, int]) -> QWidget:
    for _ in range(int(RECEIVED_WAIT_S * 10)):
        if session.trust_space.received:
            break
        await asyncio.sleep(0.1)
    composer = Composer(session)
    composer.keeps_draft = False
    composer.to_field.add(Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"))
    composer.to_field.add(outside)
    composer.subject_edit.setText("Résultats de Mme André")
    composer.body.setPlainText("Cher confrère,\n\nvoici les résultats demandés.\n")
    composer.resize(*size)
    composer.send()  # refused: the notice says why, the message stays
    return composer


async def demo_refused_screenshot(session: AccountSession) -> QWidget:
    outside = Address("Secrétariat", "secretariat@hopital.example")
    return await _refused(session, outside, (900, 600))


async def demo_refused_small_screenshot(session: AccountSession) -> QWidget:
    """A small window and a long name: the chip and the explanation wrap."""
    outside = Address(
        "Secrétariat du service de cardiologie interventionnelle",
        "secretariat.cardiologie-interventionnelle@clinique-des-alpes.example.com",
    )
    return await _refused(session, outside, (560, 560))
