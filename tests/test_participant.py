"""Anonymous codes: unguessable, writable by hand, and read from the page's request."""

from __future__ import annotations

import math

import pytest

from widgets.participant import (
    ALPHABET,
    CODE_LENGTH,
    Participant,
    in_voila,
    new_participant,
    parse_code,
    participant_for_request,
    request_query_string,
)


def test_codes_carry_at_least_64_bits_and_never_repeat():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64
    codes = {new_participant().code for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert not set("ILOU") & set(ALPHABET)


def test_shown_in_groups_of_four_and_read_back_however_typed():
    participant = new_participant()
    shown = participant.shown_code
    assert len(shown.split("-")) == 4
    assert parse_code(shown) == participant.code
    assert parse_code(shown.lower().replace("-", " ")) == participant.code


def test_look_alikes_are_read_as_digits():
    assert parse_code("o1il-0000-0000-0000") == "0111000000000000"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD",
        "ABCD-EFGH-JKMN-PQRST",
        "ABCD-EFGH-JKMN-PQR!",
        "<script>alert(1)</script>",
        "U" * 16,
        "A" * 65,
    ],
)
def test_malformed_codes_are_none(typed):
    assert parse_code(typed) is None


def test_only_a_hash_of_the_code_is_stored():
    participant = Participant("ABCDEFGHJKMNPQRS")
    assert len(participant.code_hash) == 64
    assert participant.code not in participant.code_hash
    assert participant.code_hash != Participant("ABCDEFGHJKMNPQRT").code_hash


def test_outside_voila_the_page_is_the_demo_participants(monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    assert not in_voila()
    assert request_query_string() is None
    opened = participant_for_request(None)
    assert opened.participant.demo
    assert opened.participant.kind == "demo"


def test_inside_voila_the_query_string_is_read_without_waiting(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "code=ABCD-EFGH-JKMN-PQRS")
    assert request_query_string() == "code=ABCD-EFGH-JKMN-PQRS"


def test_a_link_code_is_followed_a_bad_one_starts_fresh():
    assert participant_for_request("code=abcd-efgh-jkmn-pqrs").participant.code == "ABCDEFGHJKMNPQRS"
    fresh = participant_for_request("")
    assert not fresh.participant.demo
    assert not fresh.link_code_refused
    refused = participant_for_request("code=%3Cb%3Ehi")
    assert refused.link_code_refused
    assert refused.participant.code != "<b>hi"
