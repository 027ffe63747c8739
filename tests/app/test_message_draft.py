"""Drafts: one written by the composer before Draft existed (tests/app/data/draft-v1.json, the
bytes its cache row held) reads back whole and is written again byte for byte; damaged fields
fall back to their defaults; an older version is upgraded step by step; a version this build does
not know is refused with a French message, never read as something else."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import CoreError
from app.message.draft import ChosenPatient, Draft, DraftDocument, DraftUnreadable
from app.message.patient import PatientIdentity
from app.store.records import Address, EmailRecord, PatientRef

V1_BYTES = (Path(__file__).parent / "data" / "draft-v1.json").read_text(encoding="utf-8")


def stored_text(doc: dict[str, Any]) -> str:
    """As app/store/drafts.py writes the payload column."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def test_a_draft_saved_by_the_first_composer_reads_back_whole() -> None:
    draft = Draft.from_stored(json.loads(V1_BYTES))
    assert draft.to == (Address("Dr Nadia Lefèvre", "nadia.lefevre@sisra-demo.mssante.fr"),)
    assert draft.cc == (Address(None, "secretariat@sisra-demo.mssante.fr"),)
    assert draft.subject == "RE: Demande de téléexpertise — Estelle Lambert"
    assert draft.body.startswith("Chère consœur,\n\nVoici l'ECG « de repos ».")
    assert "> Bien confraternellement," in draft.body
    assert draft.patient == ChosenPatient(
        "pat-42",
        PatientIdentity(
            "297016926678357",
            "1.2.250.1.213.1.4.10",
            "Hélène",
            "André",
            dt.date(1997, 1, 18),
            "female",
        ),
    )
    # Where the capture's files were (never opened here: a draft keeps paths, not contents).
    saved_in = Path("/tmp/monsisra-drafts-v1")  # noqa: S108
    assert draft.documents == (
        DraftDocument(saved_in / "Courrier adressage é.pdf", "11488-4"),
        DraftDocument(saved_in / "photo_lesion.jpg", "autre"),
    )
    assert draft.in_reply_to == ("179658253782.20475.5015082263297495115@sisra-demo.mssante.fr",)
    assert draft.references == (
        "179658253781.20475.9383955139760500943@sisra-demo.mssante.fr",
        "179658253782.20475.5015082263297495115@sisra-demo.mssante.fr",
    )


def test_saving_writes_the_first_composers_format_byte_for_byte() -> None:
    """An older build (after going back a version) still reads what this one saves."""
    assert stored_text(Draft.from_stored(json.loads(V1_BYTES)).to_stored()) == V1_BYTES


def test_damaged_fields_fall_back_to_their_defaults_and_the_rest_stays() -> None:
    draft = Draft.from_stored(
        {
            "v": 1,
            "to": "karim.benali@sisra-demo.mssante.fr",  # not a list
            "subject": None,
            "body": "Le texte reste.",
            "patient": {"given": "Sans nom de famille"},
            "documents": [
                {"path": "/home/medecin/a.pdf", "type_code": "type-inconnu"},
                {"path": "/home/medecin/b.pdf"},
                {"type_code": "11488-4"},
                "/home/medecin/c.pdf",
            ],
            "in_reply_to": "pas une liste",
            "references": ["a@x", 3, None],
        }
    )
    assert draft == Draft(
        body="Le texte reste.",
        documents=(
            DraftDocument(Path("/home/medecin/a.pdf"), "autre"),
            DraftDocument(Path("/home/medecin/b.pdf"), "autre"),
        ),
        references=("a@x",),
    )


def test_a_draft_without_a_version_is_read_as_the_first_one() -> None:
    assert Draft.from_stored({"subject": "Suivi"}) == Draft(subject="Suivi")


@pytest.mark.parametrize("version", [2, 99, 0, -1, "2", 1.5, True, None])
def test_a_version_this_build_does_not_know_is_refused_in_french(version: object) -> None:
    with pytest.raises(DraftUnreadable) as raised:
        Draft.from_stored({"v": version, "subject": "Écrit par une version plus récente"})
    assert isinstance(raised.value, CoreError)
    assert "version plus récente" in raised.value.message_fr
    assert "conservé" in raised.value.message_fr


def test_something_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(DraftUnreadable):
        Draft.from_stored(["v", 1])


def test_an_older_version_is_upgraded_step_by_step() -> None:
    """The path a format change takes: version 3 splits the text, version 2 renamed "body"."""
    steps = {
        1: lambda d: {**{k: v for k, v in d.items() if k != "body"}, "text": d.get("body")},
        2: lambda d: {**d, "body": d["text"] + " (v3)"},
    }
    old = {"v": 1, "subject": "Ancien", "body": "Texte"}
    assert Draft.from_stored(old, upgrades=steps, version=3) == Draft(
        subject="Ancien", body="Texte (v3)"
    )
    # A draft already at version 2 runs only the later step; one at 4 is too new.
    assert Draft.from_stored({"v": 2, "text": "Deux"}, upgrades=steps, version=3).body == (
        "Deux (v3)"
    )
    with pytest.raises(DraftUnreadable):
        Draft.from_stored({"v": 4}, upgrades=steps, version=3)


def test_emptiness_ignores_blank_text_but_not_a_patient() -> None:
    assert Draft(subject="  ", body="\n").is_empty()
    patient = ChosenPatient(None, PatientIdentity(None, None, "", "André", None))
    assert not Draft(patient=patient).is_empty()
    assert not Draft(cc=(Address(None, "a@x.fr"),)).is_empty()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
draft_keys = st.sampled_from(
    ["v", "to", "cc", "subject", "body", "patient", "documents", "in_reply_to", "references"]
)


# The machine is shared: how long a draw takes is not the property tested.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(draft_keys, json_values, max_size=9))
def test_any_stored_object_gives_a_draft_or_a_refusal_and_a_draft_survives_saving(
    doc: dict[str, Any],
) -> None:
    try:
        draft = Draft.from_stored(doc)
    except DraftUnreadable:
        return
    assert Draft.from_stored(json.loads(stored_text(draft.to_stored()))) == draft


def test_a_server_draft_taken_up_keeps_its_fields_and_names_what_it_replaces() -> None:
    born = dt.date(1951, 4, 2)
    record = EmailRecord(
        id="Edraft1",
        thread_id="T1",
        mailbox_ids=frozenset({"drafts"}),
        received_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        keywords=frozenset({"$draft", "$seen"}),
        in_reply_to=["m1@x"],
        references=["m0@x", "m1@x"],
        subject="Demande d'avis",
        to=[Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")],
        cc=[Address(None, "secretariat@sisra-demo.mssante.fr")],
        text_body="Cher confrère,\n\n",
        patient=PatientRef("297016926678357", "1.2.250.1.213.1.4.8", "Marie", "DUPONT", born),
    )
    draft = Draft.resuming(record)
    assert (draft.to, draft.cc) == (tuple(record.to), tuple(record.cc))
    assert (draft.subject, draft.body) == ("Demande d'avis", "Cher confrère,\n\n")
    assert (draft.in_reply_to, draft.references) == (("m1@x",), ("m0@x", "m1@x"))
    assert draft.patient is not None
    assert draft.patient.id is None
    assert draft.patient.identity.ins == "297016926678357"
    assert draft.patient.identity.birth_date == born
    assert draft.replaces == "Edraft1"
    assert Draft.from_stored(draft.to_stored()) == draft  # kept with what it replaces


def test_a_draft_of_this_computer_is_saved_without_a_replaces_field() -> None:
    stored = Draft(subject="Certificat").to_stored()
    assert "replaces" not in stored  # byte for byte the first composer's format
    assert Draft.from_stored({**stored, "replaces": 12}).replaces is None  # damaged: none
