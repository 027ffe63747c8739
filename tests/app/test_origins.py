"""Origins and the rule of where credentials may go (app.remote.origins), without a network: what
an origin is, which typed server addresses are usable, and what a policy allows, asks or refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.remote.origins import (
    CleartextServerUrl,
    ForeignOrigin,
    InsecureOrigin,
    InvalidServerUrl,
    Origin,
    OriginApprovalNeeded,
    OriginPolicy,
    OriginRefused,
    check_server_url,
    is_loopback,
    origin_of,
)

LOGIN = "https://mss.sante-ara.fr"


@pytest.mark.parametrize(
    ("url", "origin", "shown"),
    [
        ("https://MSS.Sante-ARA.fr/.well-known/jmap", ("https", "mss.sante-ara.fr", 443), ""),
        ("https://mss.sante-ara.fr:443/x", ("https", "mss.sante-ara.fr", 443), ""),
        ("https://mss.sante-ara.fr:8443", ("https", "mss.sante-ara.fr", 8443), ":8443"),
        ("http://127.0.0.1:8123/jmap", ("http", "127.0.0.1", 8123), ":8123"),
        ("http://[::1]/", ("http", "::1", 80), ""),
        ("https://santé.example./a", ("https", "xn--sant-epa.example", 443), ""),
        ("https://user:pw@mss.sante-ara.fr/a?b#c", ("https", "mss.sante-ara.fr", 443), ""),
    ],
)
def test_an_origin_is_scheme_host_and_port_normalised(
    url: str, origin: tuple[str, str, int], shown: str
) -> None:
    scheme, host, _ = origin
    assert origin_of(url) == Origin(*origin)
    assert str(origin_of(url)) == f"{scheme}://{f'[{host}]' if ':' in host else host}{shown}"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://mss.sante-ara.fr", "not an http"),
        ("mss.sante-ara.fr", "not an http"),
        ("https://", "no host"),
        ("https://mss.sante-ara.fr:99999", "[Pp]ort"),
        ("https://{host}/jmap", "template"),
        ("https://mss.sante-ara.fr:{port}/jmap", "template"),
        ("https://<b>evil</b>.example/", "host name"),
        ("https://a b.example/", "host name"),
        ("https://a..b.example/", "host name"),
    ],
)
def test_what_has_no_origin_is_a_value_error(url: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        origin_of(url)


@given(st.text(max_size=60))
def test_origin_of_anything_is_an_origin_or_a_value_error(text: str) -> None:
    try:
        origin = origin_of(text)
    except ValueError:
        return
    assert origin_of(str(origin)) == origin  # what is shown reads back the same
    assert all(c.isascii() and c.isprintable() and c not in "<>\"' " for c in str(origin))


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.1", False),
        ("localhost.sante-ara.fr", False),
        ("127.0.0.1.nip.io", False),
    ],
)
def test_loopback_is_this_computer_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  https://mss.sante-ara.fr/  ", "https://mss.sante-ara.fr"),
        ("https://mss.example.fr:8443/base/", "https://mss.example.fr:8443/base"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost:8000/", "http://localhost:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("mss.sante-ara.fr", "https://mss.sante-ara.fr"),
        (" mss.example.fr:8443/base/", "https://mss.example.fr:8443/base"),
    ],
)
def test_usable_server_addresses_are_kept_as_typed_without_the_final_slash(
    typed: str, kept: str
) -> None:
    assert check_server_url(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ftp://sante-ara.fr",
        "https://",
        "https://exa mple.fr",
        "https://example.fr:99999",
        "https://moi:secret@sante-ara.fr",
        "https://sante-ara.fr/?x=1",
        "https://sante-ara.fr/#x",
    ],
)
def test_unusable_server_addresses_are_refused_in_french(typed: str) -> None:
    with pytest.raises(InvalidServerUrl) as caught:
        check_server_url(typed)
    assert not isinstance(caught.value, CleartextServerUrl)
    assert "adresse du serveur" in caught.value.message_fr


@pytest.mark.parametrize(
    "typed", ["http://sante-ara.fr", "http://10.0.0.5:8080", "HTTP://Serveur.invalid/"]
)
def test_cleartext_http_to_another_computer_is_refused(typed: str) -> None:
    with pytest.raises(CleartextServerUrl) as caught:
        check_server_url(typed)
    assert "https://" in caught.value.message_fr
    assert "en clair" in caught.value.message_fr


def test_the_login_origin_is_allowed_whatever_the_path() -> None:
    policy = OriginPolicy.for_url(LOGIN + "/.well-known/jmap")
    policy.check(LOGIN + "/jmap/api", "https://MSS.sante-ara.fr:443/jmap/download/{blobId}")


def test_another_origin_is_refused_then_allowed_once_approved() -> None:
    policy = OriginPolicy.for_url(LOGIN)
    for other in ("https://jmap.sante-ara.fr/api", "https://mss.sante-ara.fr:8443/api"):
        with pytest.raises(ForeignOrigin) as caught:
            policy.check(LOGIN + "/jmap/api", other)
        assert caught.value.origins == (origin_of(other),)
        assert str(origin_of(other)) in caught.value.message_fr
        assert "support" in caught.value.message_fr
    approved = OriginPolicy(policy.login, frozenset({origin_of("https://jmap.sante-ara.fr")}))
    approved.check("https://jmap.sante-ara.fr/api")


def test_at_the_first_login_every_other_origin_is_put_to_the_user_at_once() -> None:
    policy = OriginPolicy(origin_of(LOGIN), asking=True)
    with pytest.raises(OriginApprovalNeeded) as caught:
        policy.check(
            LOGIN + "/api",
            "https://b.sante-ara.fr/x",
            "https://a.sante-ara.fr/y",
            "https://b.sante-ara.fr/z",
        )
    assert [str(o) for o in caught.value.origins] == [
        "https://a.sante-ara.fr",
        "https://b.sante-ara.fr",
    ]
    assert "https://a.sante-ara.fr, https://b.sante-ara.fr" in caught.value.message_fr
    with pytest.raises(ForeignOrigin):
        policy.settled().check("https://a.sante-ara.fr/y")


@pytest.mark.parametrize(
    ("login", "other"),
    [
        ("https://mss.sante-ara.fr", "http://mss.sante-ara.fr/jmap"),  # a downgrade, same host
        ("https://127.0.0.1:8443", "http://127.0.0.1:8080/jmap"),  # even on this computer
        ("https://mss.sante-ara.fr", "http://autre.example/jmap"),
        ("http://127.0.0.1:8080", "http://autre.example/jmap"),  # http to another computer
    ],
)
def test_cleartext_is_never_allowed_not_even_approved_nor_at_a_first_login(
    login: str, other: str
) -> None:
    origin = origin_of(other)
    for policy in (
        OriginPolicy(origin_of(login), frozenset({origin}), asking=True),
        OriginPolicy(origin_of(login), frozenset({origin})),
    ):
        assert not policy.allows(origin)
        with pytest.raises(InsecureOrigin) as caught:
            policy.check(login + "/x", "https://ailleurs.example/y", other)
        assert caught.value.origins == (origin,)
        assert "sans chiffrement" in caught.value.message_fr


def test_http_on_this_computer_is_allowed_after_an_http_login_on_it() -> None:
    policy = OriginPolicy(origin_of("http://127.0.0.1:8080"), asking=True)
    with pytest.raises(OriginApprovalNeeded):  # another origin, not an insecure one
        policy.check("http://localhost:8080/jmap")
    policy.check("http://127.0.0.1:8080/jmap")


def test_the_public_part_may_come_from_anywhere_encrypted() -> None:
    policy = OriginPolicy.for_url(LOGIN)
    policy.check_encrypted("https://ailleurs.example/.well-known/jmap")
    with pytest.raises(InsecureOrigin):
        policy.check_encrypted("http://mss.sante-ara.fr/.well-known/jmap")


def test_a_url_without_origin_is_refused_not_crashed_on() -> None:
    with pytest.raises(OriginRefused) as caught:
        OriginPolicy.for_url(LOGIN).check("javascript:alert(1)")
    assert "rien n'y a été envoyé" in caught.value.message_fr


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("https://sante ara.fr", "contient une espace"),
        ("ftp://sante-ara.fr", "(pas ftp://)"),
        ("https://moi:secret@sante-ara.fr", "ni identifiant"),
        ("sante-ara.fr/?x=1", "ni « ? »"),
    ],
)
def test_a_refused_server_address_says_what_is_wrong_with_it(typed: str, said: str) -> None:
    with pytest.raises(InvalidServerUrl) as caught:
        check_server_url(typed)
    assert said in caught.value.message_fr
