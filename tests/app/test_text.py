"""Bidirectional controls are removed, so that the name shown is the name stored; text is folded
the same way for every local search."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.text import BIDI_CONTROLS, fold, strip_bidi, strip_invisible


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


def test_invisible_characters_go_and_what_is_seen_stays() -> None:
    pasted = "\ufeffDr\u00a0Ma\u00adrtin <m\u200bartin@x\u200d.fr>\u202e\u2060"
    assert strip_invisible(pasted) == "Dr\u00a0Martin <martin@x.fr>"  # the no-break space is seen


def test_fold_drops_accents_and_case_so_what_is_typed_finds_the_name() -> None:
    assert fold("Hélène LEFÈVRE") == fold("helene lefevre") == "helene lefevre"
    assert fold("Synthèse médicale") == "synthese medicale"


def test_fold_writes_out_the_letters_a_french_keyboard_types_as_two() -> None:
    assert fold("Cœur") == fold("COEUR") == "coeur"
    assert fold("Lætitia") == "laetitia"
    assert fold("straße") == "strasse"


def test_fold_makes_typographic_and_plain_apostrophes_one() -> None:
    assert fold("Lettre d’adressage") == fold("lettre d'adressage")


def test_fold_collapses_the_white_space_of_labels_typed_by_hand() -> None:
    assert fold("  Compte\u00a0rendu \t de  consultation ") == "compte rendu de consultation"


def test_fold_folds_case_after_decomposing_so_no_capital_comes_back() -> None:
    assert fold("Ⅻ") == "xii"  # decomposes to "XII"


def test_fold_keeps_hyphens_and_digits_for_the_caller_to_split() -> None:
    assert fold("Marie-Hélène 2 85 03") == "marie-helene 2 85 03"


@given(st.text())
def test_fold_is_stable_and_leaves_no_accent_capital_or_double_space(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert not any(unicodedata.combining(c) for c in once)
    assert once == once.casefold()
    assert "  " not in once
    assert once == once.strip()


# The letters of French names and words, with and without accents, in both cases.
_FRENCH = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ -'’"), max_size=30)


@given(_FRENCH)
def test_fold_ignores_case_and_accents_of_french_text(text: str) -> None:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    assert fold(text.upper()) == fold(text) == fold(bare)
