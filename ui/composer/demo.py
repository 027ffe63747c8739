"""The composer's demo content (for the screenshot driver, `demo_screenshot` in composer.py): a
letter to two colleagues about a patient, with two typed documents written into `folder`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.message.draft import ChosenPatient, Draft, DraftDocument
from app.message.patient import PatientIdentity
from app.records import Address


def demo_draft(folder: Path) -> Draft:
    letter = folder / "Courrier_adressage_cardiologie.pdf"
    letter.write_bytes(b"%PDF-1.4\n" + b"0" * 180_000)
    ecg = folder / "ECG_repos_2026-03-02.pdf"
    ecg.write_bytes(b"%PDF-1.4\n" + b"0" * 1_450_000)
    return Draft(
        to=(
            Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"),
            Address("Mme Julie Perrin", "julie.perrin@sisra-demo.mssante.fr"),
        ),
        subject="Adressage pour avis cardiologique",
        body=(
            "Cher confrère,\n\nJe vous adresse Mme André pour un avis cardiologique : "
            "palpitations à l'effort depuis trois semaines, ECG de repos ci-joint.\n\n"
            "Bien confraternellement,\nDr Hélène Garnier"
        ),
        patient=ChosenPatient(
            None,
            PatientIdentity(
                ins="297016926678357",
                oid="1.2.250.1.213.1.4.10",
                given="Hélène",
                family="André",
                birth_date=dt.date(1997, 1, 18),
                sex="female",
            ),
        ),
        documents=(
            DraftDocument(letter, "96349-6"),
            DraftDocument(ecg, "11488-4"),
        ),
    )


__all__ = ["demo_draft"]
