"""Anonymous codes: unguessable, writable by hand, and read from the page's request."""

from __future__ import annotations

import math

import pytest

from widgets.participant import (
    ALPHABET,
    CODE_LENGTH,
    PARTICIPANT_COOKIE,
    PREVIOUS_COOKIE,
    CookieParticipant,
    LinkOpened,
    PageRequest,
    Participant,
    code_ending,
    cookie_value,
    in_voila,
    new_participant,
    page_request,
    parse_code,
    participant_for_request,
    previous_value,
    read_participant_cookie,
    read_previous_cookie,
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


def _request(query: str = "", cookie: str = "") -> PageRequest:
    return PageRequest(query_string=query, cookie=cookie)


def test_a_code_in_the_address_never_opens_a_workbook_by_itself():
    # The server asks the person first; a page that gets such an address anyway ignores its code.
    fresh = participant_for_request(_request("code=abcd-efgh-jkmn-pqrs"))
    assert fresh.fresh
    assert fresh.participant.code != "ABCDEFGHJKMNPQRS"
    cookie = f"{PARTICIPANT_COOKIE}={cookie_value('ABCDEFGHJKMNPQRS', True)}"
    own = participant_for_request(_request("code=ZZZZ-ZZZZ-ZZZZ-ZZZZ", cookie))
    assert own.participant.code == "ABCDEFGHJKMNPQRS"
    assert own.remembered
    assert own.from_link is None


def test_the_participant_cookie_names_the_page():
    cookie = f"_xsrf=abc; {PARTICIPANT_COOKIE}={cookie_value('ABCDEFGHJKMNPQRS', True)}; WORKBOOK_WORKER=w1"
    opened = participant_for_request(_request("room=K7MP3X", cookie))
    assert opened.participant.code == "ABCDEFGHJKMNPQRS"
    assert opened.remembered
    assert not opened.fresh
    assert opened.room_code == "K7MP3X"
    session_only = participant_for_request(
        _request("", f"{PARTICIPANT_COOKIE}={cookie_value('ABCDEFGHJKMNPQRS', False)}")
    )
    assert session_only.participant.code == "ABCDEFGHJKMNPQRS"
    assert not session_only.remembered


def test_a_workbook_opened_from_a_link_knows_the_way_back():
    mine = CookieParticipant("ABCDEFGHJKMNPQRS", remembered=True)
    theirs = "ZZZZZZZZZZZZZZZZ"
    link = f"{PREVIOUS_COOKIE}={previous_value(mine, theirs)}"
    cookie = f"{PARTICIPANT_COOKIE}={cookie_value(theirs, False)}; {link}"
    opened = participant_for_request(_request("", cookie))
    assert opened.participant.code == theirs
    assert opened.from_link == LinkOpened(theirs, mine)
    # The way back is told only while the link's workbook is the one open.
    moved_on = f"{PARTICIPANT_COOKIE}={cookie_value(mine.code, False)}; {link}"
    assert participant_for_request(_request("", moved_on)).from_link is None
    # A browser that had no workbook: said plainly, with no way back to offer.
    nothing_kept = f"{PREVIOUS_COOKIE}={previous_value(None, theirs)}"
    none_before = f"{PARTICIPANT_COOKIE}={cookie_value(theirs, False)}; {nothing_kept}"
    assert participant_for_request(_request("", none_before)).from_link == LinkOpened(theirs, None)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "ZZZZZZZZZZZZZZZZ",
        "ABCDEFGHJKMNPQRS.session~",
        "ABCDEFGHJKMNPQRS.forever~ZZZZZZZZZZZZZZZZ",
        "ABCDEFGHJKMNPQRS.session~zzzzzzzzzzzzzzzz",
        "ZZZZZZZZZZZZZZZZ.session~ZZZZZZZZZZZZZZZZ",  # back to the same workbook is no way back
        "<b>~ZZZZZZZZZZZZZZZZ",
    ],
)
def test_a_previous_cookie_the_server_did_not_set_says_nothing(value):
    assert read_previous_cookie(f"{PREVIOUS_COOKIE}={value}") is None


def test_a_code_is_named_by_its_last_four_characters():
    assert code_ending("ABCDEFGHJKMNPQRS") == "PQRS"


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        f"{PARTICIPANT_COOKIE}=ABCDEFGHJKMNPQRS",  # not a value the server sets
        f"{PARTICIPANT_COOKIE}=abcdefghjkmnpqrs.session",  # not as the server writes it
        f"{PARTICIPANT_COOKIE}=ABCDEFGHJKMNPQRS.forever",
        f"{PARTICIPANT_COOKIE}=<script>.session",
        f'{PARTICIPANT_COOKIE}="ABC',
        "x" * 9000,
    ],
)
def test_a_cookie_the_server_did_not_set_names_nobody(cookie):
    assert read_participant_cookie(cookie) is None
    assert participant_for_request(_request("", cookie)).fresh


def test_inside_voila_the_cookie_header_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.setenv("HTTP_COOKIE", f"{PARTICIPANT_COOKIE}=ABCDEFGHJKMNPQRS.session")
    assert page_request() == PageRequest("", f"{PARTICIPANT_COOKIE}=ABCDEFGHJKMNPQRS.session")
