"""Bidirectional controls are removed, so that the name shown is the name stored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.text import BIDI_CONTROLS, strip_bidi


def test_right_to_left_override_no_longer_hides_the_extension() -> None:
    assert strip_bidi("ordonnance\u202egpj.exe") == "ordonnancegpj.exe"


def test_every_control_of_the_list_is_removed_and_other_text_kept() -> None:
    text = "Dr " + "".join(sorted(BIDI_CONTROLS)) + "Hélène Garnier عربي"
    assert strip_bidi(text) == "Dr Hélène Garnier عربي"


@given(st.text())
def test_result_never_holds_a_control_and_is_stable(text: str) -> None:
    once = strip_bidi(text)
    assert not set(once) & BIDI_CONTROLS
    assert strip_bidi(once) == once
