"""What the reader says of an attached message: its subject and sender from its headers, as plain
one-line text, whatever junk the headers hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.message.embedded import Headline, headline, is_message


def test_the_headline_is_the_decoded_subject_and_sender_on_one_line() -> None:
    raw = (
        b"From: =?utf-8?q?Dr_H=C3=A9l=C3=A8ne_Garnier?= <helene@x.example>\r\n"
        b"Subject: =?utf-8?q?Compte_rendu_=E2=80=94?=\r\n folded\xe2\x80\xae\r\n"
        b"\r\n"
        b"From: body@x.example\r\n"
    )
    assert headline(raw) == Headline(
        "Compte rendu — folded", "Dr Hélène Garnier <helene@x.example>"
    )
    assert headline(b"From: a@x.example\n\nSubject: in the body\n") == Headline("", "a@x.example")
    assert is_message("Message/RFC822 ")
    assert not is_message("application/pdf")


@given(st.binary(max_size=2000))
def test_any_octets_give_a_headline_and_no_error(data: bytes) -> None:
    got = headline(data)
    assert "\n" not in got.subject + got.sender
