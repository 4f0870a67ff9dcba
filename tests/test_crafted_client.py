"""A crafted websocket client against the real Voilà server.

Anything that can open a page's kernel websocket can send any state to any
widget model, not only the workbook's own JavaScript. These tests leave the
browser out: each loads section 1's page over plain HTTP (so Voilà starts a
kernel and runs the notebook), then speaks the Jupyter kernel protocol on the
websocket as a tampered page would, and checks with ``request_state`` what the
kernel kept. Voilà forwards only comm and info messages, so comm messages are
all a client can use.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

import crafted
import pytest
from conftest import open_page, shut_down

NOTEBOOK = "01-hidden-weight.ipynb"
WIDGET_TARGET = crafted.WIDGET_TARGET
SCENARIO_TIMEOUT = 120.0  # seconds for a whole test's conversation with the kernel

# The texts a person sees beside a control when the server refused what was sent.
NOT_AN_OPTION = "That answer isn't one of the choices, so it was not kept."
NOT_WRITABLE = "This part of the page can't be changed from the browser."
TOO_LONG = (
    "This can be up to {limit:,} characters. Your last change was too long, so what you had before is kept."
)


@dataclass
class _Checkin:
    """Comm ids of the check-in's widgets."""

    questions: list[str]  # the six ChoiceGroups, in the order asked
    feedback: str  # the HTML widget with the live reflection
    note: str  # the NoteBox


# -- HTTP: a fresh page and kernel per test ------------------------------------


@pytest.fixture
def kernel_id(voila_server: object) -> Iterator[str]:
    kernel = open_page(voila_server.page(NOTEBOOK))
    yield kernel
    shut_down(voila_server, kernel)


# -- The kernel websocket (tests/crafted.py) --------------------------------------

_Socket = crafted.Socket
_message = crafted.message
_exchange = crafted.exchange
_comm_data = crafted.comm_data
_states = crafted.states
_state = crafted.state
_send_update = crafted.send_update
_control_states = crafted.control_states
_widget_comms = crafted.widget_comms


def _last_sent(widget_messages: list[dict], comm_id: str, key: str) -> object:
    """What a page that applies the messages in order ends up showing for ``key``."""
    sent = [
        m["state"][key]
        for m in widget_messages
        if m["comm_id"] == comm_id and m["method"] in {"update", "echo_update"} and key in m["state"]
    ]
    assert sent, f"the kernel sent nothing about {key!r} of {comm_id}"
    return sent[-1]


async def _find_checkin(sock: _Socket) -> tuple[_Checkin, dict[str, dict]]:
    """Find the check-in's widgets among the kernel's widget comms."""
    request = _message(sock, "comm_info_request", {"target_name": "jupyter.widget"})
    replies = await _exchange(sock, [request])
    answers = replies[request["header"]["msg_id"]]
    (info,) = [m for m in answers if m["header"]["msg_type"] == "comm_info_reply"]
    comm_ids = list(info["content"]["comms"])
    states = await _states(sock, comm_ids)

    questions = [
        c
        for c, s in states.items()
        if s.get("_model_name") == "AnyModel" and s.get("question", "")[:1].isdigit()
    ]
    questions.sort(key=lambda c: int(states[c]["question"].split(".", 1)[0]))
    notes = [c for c, s in states.items() if s.get("_model_name") == "AnyModel" and "max_length" in s]
    feedback = [
        c
        for c, s in states.items()
        if s.get("_model_name") == "HTMLModel" and "rw-feedback-area" in s.get("_dom_classes", [])
    ]
    assert len(questions) == 6, [states[c].get("question") for c in questions]
    assert len(notes) == 1
    assert len(feedback) == 1
    return _Checkin(questions=questions, feedback=feedback[0], note=notes[0]), states


def _run(
    server: object,
    kernel_id: str,
    scenario: Callable[[_Socket, _Checkin, dict[str, dict]], Awaitable[None]],
) -> None:
    """Connect to the page's kernel as its page would and play ``scenario``."""

    async def talk(sock: _Socket) -> None:
        checkin, states = await _find_checkin(sock)
        await scenario(sock, checkin, states)

    crafted.run_async(lambda: crafted.with_socket(server.port, kernel_id, talk), SCENARIO_TIMEOUT)


def _answered(feedback_state: dict, count: int) -> bool:
    return f"You answered {count} of 6 questions." in feedback_state["value"]


# -- Tests ---------------------------------------------------------------------


def test_answers_outside_the_options_are_refused_and_change_nothing(
    voila_server: object, kernel_id: str
) -> None:
    async def scenario(sock: _Socket, checkin: _Checkin, states: dict[str, dict]) -> None:
        first, second = checkin.questions[:2]
        assert states[first]["value"] is None
        assert states[second]["value"] is None
        assert _answered(states[checkin.feedback], 0)

        # An earlier, valid answer that the refused ones must not disturb.
        await _send_update(sock, first, {"value": "some-of-the-time"})
        assert (await _state(sock, first))["value"] == "some-of-the-time"

        attempts = [
            (first, "<script>alert(1)</script>", "some-of-the-time"),
            (first, "Often", "some-of-the-time"),  # a label, not an option id
            (second, "sometimes", None),
        ]
        for comm_id, sent, kept in attempts:
            widget_messages = await _send_update(sock, comm_id, {"value": sent})
            # The kernel sends the kept answer back, so a page showing the sent one corrects itself.
            assert _last_sent(widget_messages, comm_id, "value") == kept

            state = await _state(sock, comm_id)
            assert state["value"] == kept
            assert state["message"] == NOT_AN_OPTION
            assert "<script>" not in state["message"]

        after = await _states(sock, [*checkin.questions, checkin.feedback])
        assert [after[c]["value"] for c in checkin.questions] == ["some-of-the-time"] + [None] * 5
        assert _answered(after[checkin.feedback], 1)
        assert "<script>" not in after[checkin.feedback]["value"]

    _run(voila_server, kernel_id, scenario)


def test_a_valid_answer_is_kept_and_the_feedback_is_recomputed(voila_server: object, kernel_id: str) -> None:
    async def scenario(sock: _Socket, checkin: _Checkin, states: dict[str, dict]) -> None:
        first = checkin.questions[0]
        assert _answered(states[checkin.feedback], 0)

        # A refused answer first, so there is a message for the valid one to clear.
        await _send_update(sock, first, {"value": "sometimes"})
        assert (await _state(sock, first))["message"] == NOT_AN_OPTION

        widget_messages = await _send_update(sock, first, {"value": "often"})
        feedback_sent = [m for m in widget_messages if m["comm_id"] == checkin.feedback]
        assert feedback_sent, "the kernel did not send new feedback"

        after = await _states(sock, [*checkin.questions, checkin.feedback])
        assert after[first]["value"] == "often"
        assert after[first]["message"] == ""
        assert [after[c]["value"] for c in checkin.questions[1:]] == [None] * 5
        assert _answered(after[checkin.feedback], 1)

    _run(voila_server, kernel_id, scenario)


def test_traits_the_browser_may_not_write_are_refused(voila_server: object, kernel_id: str) -> None:
    async def scenario(sock: _Socket, checkin: _Checkin, states: dict[str, dict]) -> None:
        first, second, third = checkin.questions[:3]
        original = {c: states[c] for c in (first, second, third, checkin.note)}

        attempts = [
            (first, {"question": "1. What is your home address?"}, "question"),
            (first, {"options": [["evil", "Evil"]]}, "options"),
            (third, {"_esm": "export default { render() { alert(1) } }"}, "_esm"),
            (checkin.note, {"max_length": 1_000_000}, "max_length"),
            (checkin.note, {"label": "Type your password"}, "label"),
        ]
        for comm_id, sent, key in attempts:
            widget_messages = await _send_update(sock, comm_id, sent)
            assert _last_sent(widget_messages, comm_id, key) == original[comm_id][key]
            state = await _state(sock, comm_id)
            assert state[key] == original[comm_id][key], key
            assert state["message"] == NOT_WRITABLE

        # The options are as they were, so an id only the crafted options had is refused.
        await _send_update(sock, first, {"value": "evil"})
        assert (await _state(sock, first))["value"] is None

        # A valid value sent together with a forbidden trait is refused as a whole.
        await _send_update(sock, second, {"value": "often", "question": "Changed"})
        state = await _state(sock, second)
        assert state["value"] is None
        assert state["question"] == original[second]["question"]
        assert state["message"] == NOT_WRITABLE
        assert _answered(await _state(sock, checkin.feedback), 0)

    _run(voila_server, kernel_id, scenario)


def test_note_length_limit_is_enforced_and_markup_is_kept_as_text(
    voila_server: object, kernel_id: str
) -> None:
    async def scenario(sock: _Socket, checkin: _Checkin, states: dict[str, dict]) -> None:
        note = checkin.note
        limit = states[note]["max_length"]
        assert limit > 10
        assert states[note]["value"] == ""

        await _send_update(sock, note, {"value": "<b>hi</b>"})
        state = await _state(sock, note)
        assert state["value"] == "<b>hi</b>"
        assert state["message"] == ""

        widget_messages = await _send_update(sock, note, {"value": "x" * (limit + 1)})
        assert _last_sent(widget_messages, note, "value") == "<b>hi</b>"
        state = await _state(sock, note)
        assert state["value"] == "<b>hi</b>"
        assert state["message"] == TOO_LONG.format(limit=limit)

        # Exactly at the limit is still kept, and clears the message.
        await _send_update(sock, note, {"value": "y" * limit})
        state = await _state(sock, note)
        assert state["value"] == "y" * limit
        assert state["message"] == ""

    _run(voila_server, kernel_id, scenario)


# -- The widget channels a page offers -------------------------------------------


def test_the_kernel_gives_every_widgets_state_in_one_answer(voila_server: object, kernel_id: str) -> None:
    async def scenario(sock: _Socket, checkin: _Checkin, states: dict[str, dict]) -> None:
        # The page's kernel is forked from the warm parent, which imported ipywidgets before any kernel
        # existed: the control target is there all the same.
        at_once = await _control_states(sock)
        assert set(at_once) == set(states) == await _widget_comms(sock)
        # The workbook answers the channel itself (each state worked out once): the same states as each
        # widget gives alone.
        assert at_once == states
        for question in checkin.questions:
            assert at_once[question]["question"] == states[question]["question"]
            assert at_once[question]["value"] is None
        assert _answered(at_once[checkin.feedback], 0)

    _run(voila_server, kernel_id, scenario)


def test_a_client_cannot_make_widgets_in_the_kernel(voila_server: object, kernel_id: str) -> None:
    async def scenario(sock: _Socket, checkin: _Checkin, states: dict[str, dict]) -> None:
        before = await _widget_comms(sock)
        made_up = uuid.uuid4().hex
        button = {
            "_model_module": "@jupyter-widgets/controls",
            "_model_module_version": "2.0.0",
            "_model_name": "ButtonModel",
            "_view_module": "@jupyter-widgets/controls",
            "_view_module_version": "2.0.0",
            "_view_name": "ButtonView",
            "description": "Delete everything",
        }
        data = {"state": button, "buffer_paths": []}
        content = {"comm_id": made_up, "target_name": WIDGET_TARGET, "data": data}
        opening = _message(sock, "comm_open", content)
        opening["metadata"] = {"version": "2.1.0"}
        replies = await _exchange(sock, [opening])
        closed = [
            m
            for m in replies[opening["header"]["msg_id"]]
            if m["header"]["msg_type"] == "comm_close" and m["content"]["comm_id"] == made_up
        ]
        assert closed, "the kernel should close a comm it will not serve"
        assert await _widget_comms(sock) == before
        assert made_up not in await _control_states(sock)
        # The page's own widgets still answer.
        assert (await _state(sock, checkin.questions[0]))["value"] is None

    _run(voila_server, kernel_id, scenario)
