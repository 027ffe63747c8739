"""The portal links the app opens: the INS goes into the server's template, percent-encoded."""

from __future__ import annotations

from app.regional.links import patient_file_url


def test_patient_file_url_puts_the_ins_in_the_template() -> None:
    template = "https://portail.example/patients/{ins}?from=bureau"
    assert (
        patient_file_url(template, "260057512345684")
        == "https://portail.example/patients/260057512345684?from=bureau"
    )


def test_patient_file_url_encodes_whatever_the_ins_holds() -> None:
    url = patient_file_url("https://portail.example/patients/{ins}", "26/../x?y=1 2#z")
    assert url == "https://portail.example/patients/26%2F..%2Fx%3Fy%3D1%202%23z"
