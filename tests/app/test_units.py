"""Sizes and numbers in French, the same on every machine: the one rule every screen and the
core's sentences use."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.units import file_size, french_number, megabytes


def test_sizes_read_as_french_megabytes() -> None:
    assert megabytes(25 * 1024 * 1024) == "25"
    assert megabytes(1024 * 1024 + 512 * 1024) == "1,5"
    assert megabytes(1024 * 1024) == "1"
    assert megabytes(1000) == "0,000954"


def test_a_file_size_reads_in_octets_ko_or_mo() -> None:
    assert file_size(0) == "0 octet"
    assert file_size(1) == "1 octet"
    assert file_size(850) == "850 octets"
    assert file_size(1023) == "1023 octets"
    assert file_size(1024) == "1 Ko"
    assert file_size(12 * 1024) == "12 Ko"
    assert file_size(1_450_000) == "1,4 Mo"
    assert file_size(1024 * 1024) == "1 Mo"
    assert file_size(25 * 1024 * 1024) == "25 Mo"
    assert file_size(13 * 1024 * 1024 // 10) == "1,3 Mo"


@given(st.integers(min_value=0, max_value=10**12))
def test_every_size_has_one_unit_and_a_french_decimal_comma(size: int) -> None:
    number, unit = file_size(size).split(" ")
    assert unit in {"octet", "octets", "Ko", "Mo"}
    assert "." not in number
    assert float(number.replace(",", ".")) > 0 or size == 0


def test_large_numbers_group_their_thousands_with_a_narrow_space() -> None:
    assert french_number(3005) == "3\u202f005"
    assert french_number(1_234_567) == "1\u202f234\u202f567"
    assert french_number(12) == "12"
