"""Hostile clients on every page: crafted messages to every widget of all 13 notebooks.

One server for the module. Each page is opened over HTTP with a participant code of its own (so Voilà
starts its kernel), given valid answers as a person would, then every widget model the kernel holds
gets a small fixed set of crafted updates, pipelined (sent without waiting for replies): a value
outside its options, a value of the wrong kind, markup, a 256 KiB string, a key that is not a synced
trait, a trait the browser may not write, nonsense ``buffer_paths``, a custom message and a malformed
one. Layout and style models, which hold no answers, get only the key that is not a trait. Once per
page: one 1 MiB string, JSON nested 900 deep (read) and 10,000 deep (more than the server's reader
takes), numbers JSON cannot hold, a click on every button (hidden and disabled ones too: the delete
and close-room confirmations without their first step, downloads), and a ``comm_open`` of every
widget class. One ``request_state`` and ``kernel_info`` round trip then shows the kernel took them all.

Checked afterwards, per page: the kernel still answers (kernels lost 0); every control's state
follows its own rules and what the browser may not write is unchanged; the store holds nothing the
page would not write (read with the participant's code hash; each section's answer read by its own
model's rules); nothing was deleted and no room closed. Three attacked pages are reopened in Chromium
with the same participant: they render, show the answers, run no markup and open no dialog. Then a
websocket message over ``websocket_max_message_size`` is refused without harm.

Figures: ``test-artifacts/hostile-clients.json``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anywidget
import crafted
import ipywidgets
import pytest
from conftest import open_as, open_page, running_voila, shut_down
from crafted import Frame, Socket, message, raw_update, update
from ipywidgets.widgets.widget import _registry
from tornado.websocket import WebSocketClosedError

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.page_session import LANGUAGE_KEY
from widgets.participant import Participant, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.model import Rooms
from widgets.sections.beliefs import model as beliefs
from widgets.sections.checkin import model as checkin
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.connection_map import model as connection_map
from widgets.sections.crowding import model as crowding
from widgets.sections.safety_check import model as safety_check
from widgets.sections.sharing_load import model as sharing_load
from widgets.sections.small_steps import model as small_steps
from widgets.store import DATABASE_NAME, Store

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))
CONTENT = load_content()
SETTINGS = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
MAX_MESSAGE = SETTINGS["Voila"]["tornado_settings"]["websocket_max_message_size"]

MARK = "HOSTILE"  # in every crafted string
PWNED = "window.__pwned=1"
MARKUP = [
    f'<img src=x onerror="{PWNED}"> {MARK}',
    f"<script>{PWNED}</script> {MARK}",
    f'<svg onload="{PWNED}"></svg> {MARK}',
    f'<a href="javascript:{PWNED}" onmouseover="{PWNED}">{MARK}</a>',
]
MARKUP_PATTERN = re.compile(r"<\s*/?\s*[a-z!]|javascript:|on[a-z]+\s*=", re.IGNORECASE)
LONG = MARK + "x" * ((256 << 10) - len(MARK))  # to every widget
MEBIBYTE = MARK + "y" * ((1 << 20) - len(MARK))  # once per page
# Sent as JSON text: numbers a JSON encoder would not write, or that Python reads as something else.
RAW_NUMBERS = ["1" + "0" * 400, "NaN", "-Infinity", "1e999"]
NEARLY_DEEP = 900  # still read by the server and the kernel
DEEP = 10_000  # deeper than Python's JSON reader goes: the server drops the frame
BAD_BUFFER_PATHS: list[object] = [[["value"]], [["a", "b", "c"]], "zz", [[0, 1]], None, [[]], {"value": 1}]
CUSTOM_CONTENTS: list[object] = [
    {"event": "click"},
    {"tick": 1},
    {"step": 10**6},
    {"event": MARK},
    None,
    [MARK],
]
MALFORMED_DATA: list[object] = [
    None,
    {},
    {"method": MARK},
    {"method": "update"},
    {"method": "update", "state": None},
    {"method": "update", "state": [MARK]},
    {"method": "echo_update", "state": {"value": MARK}},
    {"method": "custom"},
]
PAGES_AT_ONCE = 3
PAGE_TIMEOUT = 120.0
BROWSER_TIMEOUT = 60_000
MODULE_BUDGET = 240.0  # seconds for the 13 pages' attack on a loaded 2-core machine
WELCOME = "00-welcome.ipynb"
FACILITATOR = "20-facilitator.ipynb"
BROWSER_PAGES = (WELCOME, "04-what-community-means.ipynb", "09-looking-ahead.ipynb")
KEPT_BEFORE_WELCOME = ("note:hidden-weight", {"text": f"Kept before the attack. {MARKUP[0]}"})
WORDS = CONTENT.workbook.kept
CONTENT_ROOM = load_room_content()


@dataclass
class PageFigures:
    """What one page got and what it did with it."""

    notebook: str
    code: str = ""
    kernel_id: str = ""
    widgets: int = 0
    widget_kinds: dict[str, int] = field(default_factory=dict)
    messages_sent: int = 0
    bytes_sent: int = 0
    valid_answers: int = 0
    error_replies: dict[str, int] = field(default_factory=dict)
    invalid_states: list[str] = field(default_factory=list)
    invalid_stored: list[str] = field(default_factory=list)
    kernels_lost: int = 0
    stored_keys: list[str] = field(default_factory=list)
    accepted_texts: set[str] = field(default_factory=set)
    answers_after: dict[str, object] = field(default_factory=dict)  # comm id -> value after the attack
    chosen_after: int = 0  # choice groups answered after the attack
    ticked_after: int = 0  # boxes ticked in check lists after the attack
    room: tuple[str, str] | None = None
    seconds: float = 0.0

    def summary(self) -> dict:
        return {
            "crafted_messages_sent": self.messages_sent,
            "crafted_megabytes_sent": round(self.bytes_sent / (1 << 20), 1),
            "widgets_covered": self.widgets,
            "widget_models": self.widget_kinds,
            "valid_answers_given_first": self.valid_answers,
            "invalid_values_in_states": len(self.invalid_states),
            "invalid_values_stored": len(self.invalid_stored),
            "kernels_lost": self.kernels_lost,
            "stored_keys": self.stored_keys,
            "error_replies_by_kind": self.error_replies,
            "seconds": round(self.seconds, 1),
        }


# --- What a control's own rules allow ----------------------------------------------------


def _kind(state: dict) -> str:
    if state.get("_model_name") != "AnyModel":
        return state.get("_model_name", "?")
    if "max_chosen" in state:
        return "CheckList"
    if "clear_label" in state:
        return "ChoiceGroup"
    if "max_length" in state:
        return "TextBox"
    if "maximum" in state:
        return "NumberBox"
    if "sent" in state:
        return "DownloadButton"
    if "session_code" in state:
        return "ParticipantBar"
    if "interval_ms" in state:
        return "Heartbeat"
    return "AnyModel"


def _is_layout(state: dict) -> bool:
    name = state.get("_model_name", "")
    return name == "LayoutModel" or name.endswith("StyleModel")


def _breaks_rules(state: dict) -> str | None:
    """Why a control's value breaks the control's own rules, or ``None``."""
    kind, value = _kind(state), state.get("value")
    ids = [option[0] for option in state.get("options", [])]
    if kind == "ChoiceGroup" and value is not None and value not in ids:
        return f"choice {str(value)[:60]!r} not in {ids}"
    if kind == "CheckList" and (
        not isinstance(value, list)
        or any(v not in ids for v in value)
        or len(set(value)) != len(value)
        or (state["max_chosen"] and len(value) > state["max_chosen"])
    ):
        return f"ticked {str(value)[:60]!r} of {ids}"
    if kind == "TextBox" and not _valid_text(state, value):
        return f"text of {len(value) if isinstance(value, str) else type(value)} chars"
    if kind == "NumberBox" and value is not None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return f"number {str(value)[:60]!r}"
        if not state["minimum"] <= value <= state["maximum"]:
            return f"number {value!r} out of range"
    message_text = state.get("message", "")
    if MARK in message_text or len(message_text) > 300:
        return f"message {message_text[:80]!r}"
    return None


def _valid_text(state: dict, value: object) -> bool:
    """Whether a text box takes ``value`` (any text within its limit; one line unless multiline)."""
    return (
        isinstance(value, str)
        and len(value) <= state["max_length"]
        and (state["multiline"] or ("\n" not in value and "\r" not in value))
    )


def _valid_value(state: dict, serial: int) -> object:
    """A value the control's rules accept, as a person would give it (texts carry markup)."""
    kind = _kind(state)
    ids = [option[0] for option in state.get("options", [])]
    if kind == "ChoiceGroup" and ids:
        return ids[serial % len(ids)]
    if kind == "CheckList" and ids:
        return [ids[0]]
    if kind == "NumberBox":
        return state["minimum"]
    if kind == "TextBox":
        text = MARKUP[serial % len(MARKUP)]
        return text if len(text) <= state["max_length"] else text[: state["max_length"]]
    return None


def _fixed_traits(state: dict) -> dict:
    """What the browser may not change on a guarded control."""
    # The kernel itself changes these: the save count and status, downloads sent, the heartbeat's
    # address (presenting mode hides the facilitator's key).
    kernel_changed = {"value", "message", "saves", "status", "sent", "remember", "address"}
    return {k: v for k, v in state.items() if k not in kernel_changed}


def _label(state: dict) -> str:
    return f"{_kind(state)}:{state.get('question') or state.get('label') or ''}"


# --- The crafted messages ------------------------------------------------------------------


def _widget_classes() -> list[dict]:
    """The state a client would send to make each registered widget class, anywidget's too."""
    made = []
    for (
        model_module,
        model_version,
        model_name,
        view_module,
        view_version,
        view_name,
    ), _ in _registry.items():
        made.append(
            {
                "_model_module": model_module,
                "_model_module_version": model_version,
                "_model_name": model_name,
                "_view_module": view_module,
                "_view_module_version": view_version,
                "_view_name": view_name,
            }
        )
    any_traits = anywidget.AnyWidget.class_traits()
    made.append(
        {name: any_traits[name].default_value for name in ("_model_module", "_model_module_version")}
        | {"_model_name": "AnyModel", "_view_name": "AnyView", "_view_module": "anywidget"}
        | {"_esm": f"export default {{ render() {{ {PWNED} }} }}"}
    )
    return made


WIDGET_CLASSES = _widget_classes()


def _target_key(state: dict) -> str:
    """The synced key to send crafted values to: the value, else the first the page shows."""
    if "value" in state:
        return "value"
    for key in ("description", "children", "label", "address", "active", "code", "tooltip"):
        if key in state:
            return key
    return next(k for k in state if not k.startswith("_"))


def _outside_options(state: dict, key: str) -> object:
    """A value of the right kind that the control's options or limits do not allow."""
    kind = _kind(state)
    if kind == "CheckList":
        return [f"not-an-option-{MARK}"]
    if kind == "NumberBox":
        return state["maximum"] + 1
    if kind == "TextBox":
        return MARK + "z" * state["max_length"]
    if isinstance(state.get(key), bool):
        return 2
    return f"not-an-option-{MARK}"


def _wrong_kind(current: object) -> object:
    if isinstance(current, list | dict):
        return 10**30  # too large for a float: once an OverflowError traceback
    return {MARK: [10**30, None]}


def _not_writable_key(state: dict) -> str:
    """A synced trait the browser has no business writing."""
    if "message" in state:  # a guarded control
        for key in ("options", "max_length", "maximum", "question", "label", "session_code", "address"):
            if key in state:
                return key
    return "_esm" if state.get("_model_name") == "AnyModel" else "_model_name"


def _is_first_step(state: dict) -> bool:
    """The welcome page's "Delete everything" and the facilitator's "Close room": clicks a person makes.

    Clicking them only asks for the confirmation; the crafted clicks go to the confirmations' buttons
    without it.
    """
    room = CONTENT_ROOM.facilitator
    return state.get("description") in {WORDS.delete_label, WORDS.demo_delete_label, room.close_label}


# Clicks a person makes to start over: sent before the answers are given (they would clear them).
RESETS = {CONTENT.workbook.resume.new_label, load_checkin_content().restart_label}


def _custom(state: dict, serial: int) -> dict:
    """A click to a button, a download to a download button, any other custom content otherwise."""
    if _kind(state) == "ButtonModel":
        content: object = {"event": "click"}
    elif _kind(state) == "DownloadButton":
        content = {"event": "download"}
    else:
        content = CUSTOM_CONTENTS[serial % len(CUSTOM_CONTENTS)]
    return {"method": "custom", "content": content}


def _crafted_for(sock: Socket, comm_id: str, state: dict, serial: int) -> list[dict | Frame]:
    """The crafted updates for one widget: one per kind of harm, the markup last."""
    not_a_trait = update(sock, comm_id, {f"{MARK}_not_a_trait": MARKUP[0]})
    if _is_layout(state):
        return [not_a_trait]
    key = _target_key(state)
    comm = lambda data: message(sock, "comm_msg", {"comm_id": comm_id, "data": data})  # noqa: E731
    out: list[dict | Frame] = [
        update(sock, comm_id, {key: _outside_options(state, key)}),
        update(sock, comm_id, {key: _wrong_kind(state.get(key))}),
        update(sock, comm_id, {key: LONG}),
        not_a_trait,
        update(sock, comm_id, {_not_writable_key(state): f"export default {{ render() {{ {PWNED} }} }}"}),
        update(sock, comm_id, {key: f"x{MARK}"}, BAD_BUFFER_PATHS[serial % len(BAD_BUFFER_PATHS)]),
        comm(MALFORMED_DATA[serial % len(MALFORMED_DATA)]),
    ]
    if not _is_first_step(state) and state.get("description") not in RESETS:
        out.append(comm(_custom(state, serial)))
    out.append(update(sock, comm_id, {key: MARKUP[serial % len(MARKUP)]}))
    return out


def _once_per_page(sock: Socket, before: dict[str, dict]) -> list[dict | Frame]:
    """The page-wide messages: the 1 MiB string, deep nesting, odd numbers, every widget class made."""
    controls = [c for c, s in before.items() if "value" in s and not _is_layout(s)] or list(before)
    texts = [c for c, s in before.items() if _kind(s) == "TextBox"] or controls
    target = controls[0]
    out: list[dict | Frame] = [update(sock, texts[0], {"value": MEBIBYTE})]
    out.append(raw_update(sock, target, f'{{"value": {"[" * NEARLY_DEEP}{"]" * NEARLY_DEEP}}}'))
    numbers = [c for c, s in before.items() if _kind(s) == "NumberBox"] or controls
    out += [raw_update(sock, numbers[0], f'{{"value": {raw}}}') for raw in RAW_NUMBERS]
    for target_name, classes in (("jupyter.widget", WIDGET_CLASSES), (MARK, WIDGET_CLASSES[:1])):
        for cls_state in classes:
            content = {
                "comm_id": f"{MARK}-{len(out)}",
                "target_name": target_name,
                "data": {"state": cls_state | {"description": MARKUP[0]}, "buffer_paths": []},
            }
            opening = message(sock, "comm_open", content)
            opening["metadata"] = {"version": "2.1.0"}
            out.append(opening)
    # The confirmations' own buttons, clicked without the first step, with their box shown first as a
    # crafted page could (the kernel keeps its own flag).
    confirms = {WORDS.confirm_label, CONTENT_ROOM.facilitator.close_confirm_label}
    for comm_id, state in before.items():
        if state.get("description") in confirms:
            row = _parent(before, comm_id)
            box = _parent(before, row) if row else None
            for shown in (row, box):
                if shown and before[shown].get("layout"):
                    layout = before[shown]["layout"].removeprefix("IPY_MODEL_")
                    out.append(update(sock, layout, {"display": "flex"}))
            click = {"method": "custom", "content": {"event": "click"}}
            out.append(message(sock, "comm_msg", {"comm_id": comm_id, "data": click}))
    return out


def _parent(before: dict[str, dict], comm_id: str) -> str | None:
    """The box that holds a widget, if any."""
    for box_id, box in before.items():
        if f"IPY_MODEL_{comm_id}" in box.get("children", []):
            return box_id
    return None


def _size(item: dict | Frame) -> int:
    return len(item.text if isinstance(item, Frame) else json.dumps(item))


async def _pipeline(sock: Socket, outgoing: list[dict | Frame], probe: str, figures: PageFigures) -> None:
    """Send every message without waiting, then one round trip the kernel answers only after them all.

    The kernel handles comm messages in order, so the probe's ``request_state`` is answered once every
    crafted message before it was handled; ``kernel_info`` (which ipykernel may answer sooner) shows
    the kernel itself still answers. Replies are read
    while sending, as a browser reads them; error replies (tracebacks) are counted by kind.
    """
    sent_ids = {(m.header if isinstance(m, Frame) else m["header"])["msg_id"] for m in outgoing}
    state_request = message(sock, "comm_msg", {"comm_id": probe, "data": {"method": "request_state"}})
    info_request = message(sock, "kernel_info_request", {})
    errors: Counter[str] = Counter()

    async def drain() -> dict:
        state_seen, info = False, None
        while not (state_seen and info):
            incoming = await crafted.read(sock)
            parent = incoming.get("parent_header", {}).get("msg_id")
            msg_type = incoming["header"]["msg_type"]
            if parent in sent_ids and msg_type == "error":
                errors[incoming["content"].get("ename", "?")] += 1
            if parent == state_request["header"]["msg_id"] and msg_type == "comm_msg":
                state_seen = True
            if parent == info_request["header"]["msg_id"] and msg_type == "kernel_info_reply":
                info = incoming["content"]
        return info

    reader = asyncio.create_task(drain())
    try:
        for item in [*outgoing, state_request, info_request]:
            if reader.done():
                break
            await sock.ws.write_message(item.text if isinstance(item, Frame) else json.dumps(item))
        figures.messages_sent += len(outgoing)
        figures.bytes_sent += sum(_size(item) for item in outgoing)
        info = await asyncio.wait_for(reader, PAGE_TIMEOUT)
    finally:
        reader.cancel()
    for name, count in errors.items():
        figures.error_replies[name] = figures.error_replies.get(name, 0) + count
    assert info["status"] == "ok"


async def _give_valid_answers(sock: Socket, figures: PageFigures) -> None:
    """Answer each control as a person would, one at a time (a view may redraw after each)."""
    done: set[tuple] = set()
    for _round in range(3):
        states = await crafted.control_states(sock)
        todo = [
            (comm_id, state)
            for comm_id, state in states.items()
            if _valid_value(state, 0) is not None and (_label(state), comm_id) not in done
        ]
        if not todo:
            return
        for serial, (comm_id, state) in enumerate(todo):
            value = _valid_value(state, serial)
            sent = update(sock, comm_id, {"value": value})
            replies = crafted.comm_data((await crafted.exchange(sock, [sent]))[sent["header"]["msg_id"]])
            done.add((_label(state), comm_id))
            refused = [m for m in replies if m["comm_id"] == comm_id and m.get("state", {}).get("message")]
            if not refused:
                figures.valid_answers += 1


# --- The store -----------------------------------------------------------------------------


def _strings(value: object, depth: int = 0) -> Iterator[tuple[str, int]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key), depth
            yield from _strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, depth + 1)
    elif isinstance(value, str):
        yield value, depth
    elif isinstance(value, float) and not math.isfinite(value):
        yield f"non-finite {value!r}", depth


def _page_slug(notebook: str) -> str | None:
    for section in CONTENT.sections.sections:
        if section.notebook == notebook:
            return section.slug
    return None


def _spec(activity: str, schema: type) -> Any:
    return load_activity_content(activity, schema)


def _given(mapping: object) -> dict:
    return {k: v for k, v in mapping.items() if v is not None} if isinstance(mapping, dict) else {}


# Each section's answer read back by its model's own tolerant reader: whatever the reader would drop is
# an answer the page's rules refuse. Two sections (where_now, withdrawal) have no such reader; their
# answers are read by summary_lines and report_blocks, and checked for markup, length and keys.
MODEL_RULES: dict[str, Callable[[dict], bool]] = {
    "hidden-weight": lambda saved: (
        checkin.usable_answers(_spec("checkin", checkin.CheckinContent), saved.get("answers"))
        == _given(saved.get("answers"))
    ),
    "handling-it-alone": lambda saved: (
        beliefs.usable_answers(_spec("beliefs", beliefs.BeliefsContent), saved)
        == _given(saved.get("answers"))
    ),
    "what-community-means": lambda saved: (
        connection_map.to_saved(
            connection_map.read_saved_map(_spec("connection_map", connection_map.ConnectionMapContent), saved)
        )
        == saved
    ),
    "isolation-replaces-connection": lambda saved: (
        _given(crowding._usable_hours(_spec("crowding", crowding.CrowdingContent).hours, saved.get("hours")))
        == _given(saved.get("hours"))
        and [p.id for p in crowding._ticked_patterns(_spec("crowding", crowding.CrowdingContent), saved)]
        == saved.get("patterns", [])
    ),
    "safe-relationships": lambda saved: (
        safety_check.usable_ratings(_spec("safety_check", safety_check.SafetyCheckContent), saved)
        == _given(saved.get("ratings"))
    ),
    "long-term-resilience": lambda saved: (
        sharing_load._saved_givers(_spec("sharing_load", sharing_load.SharingLoadContent), saved)
        == {k: v for k, v in saved.get("givers", {}).items() if v}
    ),
    "small-steps": lambda saved: (
        [
            step.as_dict()
            for step in small_steps.usable_steps(_spec("small_steps", small_steps.SmallStepsContent), saved)
        ]
        == saved.get("steps", [])
    ),
}


def _check_store(store: Store, figures: PageFigures, text_limit: int) -> None:
    """Record every stored value the page's own rules would not have written."""
    kept = store.load_all(Participant(figures.code).code_hash)
    figures.stored_keys = sorted(kept)
    slug = _page_slug(figures.notebook)
    allowed = {slug, f"note:{slug}"} if slug else set()
    if figures.notebook == WELCOME:
        allowed = {KEPT_BEFORE_WELCOME[0]}
    # Beside answers, every page keeps the language it is read in, and only that.
    allowed.add(LANGUAGE_KEY)
    if kept.get(LANGUAGE_KEY, {"locale": "en"}) != {"locale": "en"}:
        figures.invalid_stored.append(f"{LANGUAGE_KEY}: {kept[LANGUAGE_KEY]} on an English page")
    bad = figures.invalid_stored
    bad += [f"key {key!r} is not this page's" for key in kept if key not in allowed]
    texts = figures.accepted_texts | {KEPT_BEFORE_WELCOME[1]["text"]}
    for key, data in kept.items():
        bad += _stored_string_faults(key, data, texts, text_limit)
        if slug and key == slug:
            bad += _section_reading_faults(slug, key, data)
        if key.startswith("note:") and data.get("text") not in texts and data != {"text": ""}:
            bad.append(f"{key}: a note no text box took: {str(data)[:80]}")


def _stored_string_faults(key: str, data: object, texts: set[str], text_limit: int) -> list[str]:
    """What is wrong with the strings of one stored value: too deep, not finite, crafted, too long."""
    bad = []
    for text, depth in _strings(data):
        if depth > 8:
            bad.append(f"{key}: nested {depth} deep")
        if text.startswith("non-finite"):
            bad.append(f"{key}: {text}")
        # Markup or a crafted string is kept only as the text of a note or short answer, which is
        # shown as text: exactly a text a text box took.
        if (MARK in text or MARKUP_PATTERN.search(text)) and text not in texts:
            bad.append(f"{key}: crafted string {text[:60]!r}")
        if len(text) > text_limit:
            bad.append(f"{key}: a string of {len(text)} characters (limit {text_limit})")
    return bad


def _section_reading_faults(slug: str, key: str, data: Any) -> list[str]:
    """What the section's own model finds wrong with its stored answer, or cannot read at all."""
    bad = []
    activity = REGISTRY[slug]
    try:
        if activity.read(data) is None:
            bad.append(f"{key}: not the shape the section saves: {json.dumps(data)[:200]}")
        activity.summary_lines(data)
        activity.report_blocks(data)
        if slug in MODEL_RULES and not MODEL_RULES[slug](data):
            bad.append(f"{key}: the section's model would drop part of it: {json.dumps(data)[:200]}")
    except Exception as error:
        bad.append(f"{key}: the section's model could not read it ({error!r})")
    return bad


# --- One page ------------------------------------------------------------------------------


async def _attack_page(server: Any, store: Store, notebook: str) -> PageFigures:
    started = time.monotonic()
    figures = PageFigures(notebook=notebook, code=new_participant().code)
    kernel_id = await _open_to_attack(server, store, figures)
    sock = await crafted.connect(server.port, kernel_id)
    try:
        await _start_over(sock, figures)
        if notebook == WELCOME:
            # Kept for the welcome page's participant, that a delete without its confirmation would take.
            store.save(Participant(figures.code).code_hash, *KEPT_BEFORE_WELCOME)
        await _give_valid_answers(sock, figures)
        before = await crafted.control_states(sock)
        figures.widgets = len(before)
        figures.widget_kinds = dict(Counter(_kind(s) for s in before.values()))
        comms_before = await crafted.widget_comms(sock)
        await _send_crafted(sock, before, figures)
        try:
            info = await crafted.kernel_info(sock)
            assert info["status"] == "ok"
            after = await crafted.control_states(sock)
        except (AssertionError, TimeoutError):
            figures.kernels_lost += 1
            raise
        # No widget was made from the browser (a view may have redrawn its own after a click).
        assert not {c for c in await crafted.widget_comms(sock) if c.startswith(MARK)}
        assert set(before) <= comms_before
        for comm_id, state in after.items():
            _check_state_after(comm_id, state, before, figures)
    finally:
        await crafted.close(sock)
    await asyncio.to_thread(shut_down, server, kernel_id)

    limits = [s["max_length"] for s in before.values() if "max_length" in s] or [0]
    _check_store(store, figures, max([*limits, len(KEPT_BEFORE_WELCOME[1]["text"])]))
    figures.seconds = time.monotonic() - started
    return figures


async def _open_to_attack(server: Any, store: Store, figures: PageFigures) -> str:
    """Open the page with the participant's code (the facilitator's with a room of its own); its kernel."""
    url = server.page(figures.notebook)
    if figures.notebook == FACILITATOR:
        keys = Rooms(store, REGISTRY).open_room()
        figures.room = (keys.join_code, keys.secret)
        url += f"?room={keys.join_code}&key={keys.secret}"
    kernel_id = await asyncio.to_thread(open_page, url, figures.code)
    figures.kernel_id = kernel_id
    return kernel_id


async def _start_over(sock: Socket, figures: PageFigures) -> None:
    """First the clicks that start over ("Start a new workbook", "Start the check-in again")."""
    opened = await crafted.control_states(sock)
    resets = [c for c, s in opened.items() if s.get("description") in RESETS]
    if resets:
        click = {"method": "custom", "content": {"event": "click"}}
        clicks = [message(sock, "comm_msg", {"comm_id": c, "data": click}) for c in resets]
        await _pipeline(sock, clicks, resets[0], figures)
        bars = [s for s in (await crafted.control_states(sock)).values() if _kind(s) == "ParticipantBar"]
        figures.code = bars[0]["session_code"] or figures.code


async def _send_crafted(sock: Socket, before: dict[str, dict], figures: PageFigures) -> None:
    """Every widget's crafted updates and the page's once-only messages, pipelined; then the deep frame."""
    outgoing: list[dict | Frame] = []
    for serial, (comm_id, state) in enumerate(before.items()):
        outgoing += _crafted_for(sock, comm_id, state, serial)
        if _kind(state) == "TextBox":
            sent = [_outside_options(state, "value"), LONG, MEBIBYTE, f"x{MARK}", *MARKUP]
            figures.accepted_texts.update(t for t in sent if _valid_text(state, t))
    if before:
        outgoing += _once_per_page(sock, before)
        await _pipeline(sock, outgoing, next(iter(before)), figures)
        # A frame deeper than the server's JSON reader goes: dropped, the connection kept.
        await sock.ws.write_message(raw_update(sock, next(iter(before)), "[" * DEEP + "]" * DEEP).text)
        figures.messages_sent += 1


def _check_state_after(comm_id: str, state: dict, before: dict[str, dict], figures: PageFigures) -> None:
    """Record what is wrong with one control after the attack, and the answer it holds."""
    reason = _breaks_rules(state)
    if reason:
        figures.invalid_states.append(f"{_kind(state)}: {reason}")
    guarded = comm_id in before and "message" in state and _kind(state) != "AnyModel"
    if guarded and _fixed_traits(state) != _fixed_traits(before[comm_id]):
        changed = [k for k, v in _fixed_traits(state).items() if before[comm_id].get(k) != v]
        figures.invalid_states.append(f"{_kind(state)}: a trait the browser may not write changed: {changed}")
    if comm_id in before and _valid_value(state, 0) is not None:
        # Only back to unanswered (a clicked "Add to my map" clears its form): never to a value
        # the crafted client sent, and never to another answer.
        unchanged = state["value"] in (before[comm_id]["value"], None, [])
        if _kind(state) != "TextBox" and not unchanged:
            figures.invalid_states.append(
                f"{_label(state)}: the answer changed to {str(state['value'])[:60]}"
            )
        figures.answers_after[comm_id] = state["value"]
        if _kind(state) == "ChoiceGroup" and state["value"] is not None:
            figures.chosen_after += 1
        if _kind(state) == "CheckList":
            figures.ticked_after += len(state["value"])


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures_file(artifacts: Path) -> Iterator[dict]:
    """The figures, written when the module ends (with its run time)."""
    started = time.monotonic()
    report: dict[str, Any] = {
        "ipywidgets": ipywidgets.__version__,
        "anywidget": anywidget.__version__,
        "websocket_max_message_size": MAX_MESSAGE,
        "widget_classes_opened_per_page": len(WIDGET_CLASSES),
    }
    yield report
    report["module_seconds"] = round(time.monotonic() - started, 1)
    print(f"\nhostile clients: the module ran {report['module_seconds']} s")
    (artifacts / "hostile-clients.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_server(
    tmp_path_factory: pytest.TempPathFactory, artifacts: Path, figures_file: dict
) -> Iterator[tuple]:
    data = tmp_path_factory.mktemp("hostile-data")
    with running_voila(artifacts / "voila-hostile.log", data_dir=data) as (server, process):
        yield server, process, data


@pytest.fixture(scope="module")
def store(hostile_server: tuple) -> Iterator[Store]:
    _server, _process, data = hostile_server
    opened = Store(data / DATABASE_NAME)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def attacked(hostile_server: tuple, store: Store, figures_file: dict) -> dict[str, PageFigures]:
    """Every page attacked, a few at a time."""
    server, _process, _data = hostile_server

    async def main() -> list[PageFigures]:
        gate = asyncio.Semaphore(PAGES_AT_ONCE)

        async def one(notebook: str) -> PageFigures:
            async with gate:
                return await asyncio.wait_for(_attack_page(server, store, notebook), PAGE_TIMEOUT)

        return await asyncio.gather(*(one(notebook) for notebook in NOTEBOOKS))

    started = time.monotonic()
    pages = crafted.run_async(main, MODULE_BUDGET * 2)
    seconds = time.monotonic() - started
    figures = {page.notebook: page for page in pages}
    figures_file["pages"] = {name: page.summary() for name, page in figures.items()}
    figures_file["totals"] = {
        "pages": len(figures),
        "crafted_messages_sent": sum(p.messages_sent for p in pages),
        "widgets_covered": sum(p.widgets for p in pages),
        "invalid_values_stored": sum(len(p.invalid_stored) for p in pages),
        "kernels_lost": sum(p.kernels_lost for p in pages),
        "attack_seconds": round(seconds, 1),
    }
    print(f"\nhostile clients: 13 pages attacked in {seconds:.1f} s, {figures_file['totals']}")
    return figures


# --- Tests -----------------------------------------------------------------------------------


def test_every_page_has_its_widgets_attacked_and_keeps_its_kernel(attacked: dict[str, PageFigures]) -> None:
    assert set(attacked) == set(NOTEBOOKS)
    assert len(NOTEBOOKS) == 13
    for name, page in attacked.items():
        assert page.kernels_lost == 0, name
        if page.widgets:
            assert page.messages_sent >= page.widgets + len(WIDGET_CLASSES), name
    # Every page but the session guide (which has no widget) has controls or buttons to attack.
    assert [name for name, page in attacked.items() if not page.widgets] == ["21-session-guide.ipynb"]
    # The facilitator page was attacked with its room's dashboard open, not only its first form.
    assert attacked[FACILITATOR].widget_kinds.get("Heartbeat")


def test_the_attack_fits_its_time(attacked: dict[str, PageFigures], figures_file: dict) -> None:
    assert figures_file["totals"]["attack_seconds"] < MODULE_BUDGET


def test_no_control_holds_a_value_its_rules_refuse(attacked: dict[str, PageFigures]) -> None:
    assert {name: page.invalid_states for name, page in attacked.items() if page.invalid_states} == {}


def test_nothing_invalid_reaches_the_store(attacked: dict[str, PageFigures], store: Store) -> None:
    assert {name: page.invalid_stored for name, page in attacked.items() if page.invalid_stored} == {}
    # Something was stored on each section page, so the check read real answers.
    for section in CONTENT.sections.sections:
        assert section.slug in attacked[section.notebook].stored_keys, section.notebook
    # No crafted click made a participant of its own (each page's participant, and no other).
    assert store.counts()["participants"] == len([p for p in attacked.values() if p.stored_keys])


def test_no_unconfirmed_click_deleted_or_closed_anything(
    attacked: dict[str, PageFigures], store: Store
) -> None:
    welcome = attacked[WELCOME]
    key, note = KEPT_BEFORE_WELCOME
    # (No answer was given on the welcome page, so it kept no language either.)
    assert store.load_all(Participant(welcome.code).code_hash) == {key: note}
    join_code, secret = attacked[FACILITATOR].room
    room = Rooms(store, REGISTRY).facilitator_room(join_code, secret)
    assert room is not None
    assert room.is_open()


# --- In a real browser ----------------------------------------------------------------------


def _frames_sent(page: Any) -> list[int]:
    """Record the size in bytes of every websocket frame the page sends."""
    sizes: list[int] = []

    def on_socket(socket: Any) -> None:
        socket.on(
            "framesent",
            lambda payload: sizes.append(len(payload if isinstance(payload, bytes) else payload.encode())),
        )

    page.on("websocket", on_socket)
    return sizes


@pytest.mark.browser
@pytest.mark.parametrize("notebook", BROWSER_PAGES)
def test_an_attacked_page_reopens_normally_and_runs_no_markup(
    attacked: dict[str, PageFigures],
    hostile_server: tuple,
    store: Store,
    browser: Any,
    figures_file: dict,
    notebook: str,
) -> None:
    server, _process, _data = hostile_server
    figures = attacked[notebook]
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sizes = _frames_sent(page)
        open_as(context, server.url, figures.code)
        page.goto(server.page(notebook), timeout=BROWSER_TIMEOUT)
        page.locator(".rw-code").first.wait_for(timeout=BROWSER_TIMEOUT)
        shown_code = page.locator(".rw-code").first.inner_text().replace("-", "")
        assert shown_code == figures.code.replace("-", "")
        kept = store.load_all(Participant(figures.code).code_hash)
        if notebook == WELCOME:
            page.get_by_role("button", name=WORDS.delete_label).wait_for(timeout=BROWSER_TIMEOUT)
            page.get_by_role("button", name=WORDS.show_label).click()
            page.get_by_text("Kept before the attack.").first.wait_for(timeout=BROWSER_TIMEOUT)
        else:
            # The activity's controls, with the answers the store holds after the attack.
            page.locator("fieldset.rw-choice").first.wait_for(timeout=BROWSER_TIMEOUT)
            slug = _page_slug(notebook)
            note = kept[f"note:{slug}"]["text"]
            page.wait_for_function(
                "text => [...document.querySelectorAll('textarea, input')].some(e => e.value === text)",
                arg=note,
                timeout=BROWSER_TIMEOUT,
            )
            radios = "fieldset.rw-choice:not(.rw-check) input[type=radio]:checked"
            page.wait_for_function(
                f"n => document.querySelectorAll('{radios}').length === n",
                arg=figures.chosen_after,
                timeout=BROWSER_TIMEOUT,
            )
            ticks = "fieldset.rw-check input[type=checkbox]:checked"
            assert page.locator(ticks).count() == figures.ticked_after
        page.wait_for_timeout(500)  # any onerror of an image that failed to load has fired by now
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert dialogs == []
        figures_file.setdefault("browser_pages", {})[notebook] = {
            "rendered": True,
            "pwned": False,
            "dialogs": 0,
            "choices_shown": figures.chosen_after,
            "largest_frame_sent_bytes": max(sizes, default=0),
        }
    finally:
        context.close()


# --- The websocket's largest message ------------------------------------------------------------


def _largest_legit_message(browser: Any, server: Any, url: str, code: str) -> tuple[int, int]:
    """The largest message a page sends: its note filled to its limit with two-byte letters, in Chromium.

    The message's bytes, and the note's limit in characters.
    """
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        open_as(context, server.url, code)
        page = context.new_page()
        sizes = _frames_sent(page)
        page.goto(url, timeout=BROWSER_TIMEOUT)
        note = page.locator("textarea").first
        note.wait_for(timeout=BROWSER_TIMEOUT)
        limit = int(note.get_attribute("maxlength"))
        note.fill("é" * limit)
        page.wait_for_function(
            "() => Number(document.querySelector('.rw-participant')?.dataset.saves || 0) > 0",
            timeout=BROWSER_TIMEOUT,
        )
        page.wait_for_timeout(500)
        return max(sizes), limit
    finally:
        context.close()


async def _send_over_the_limit(server: Any, url: str, code: str) -> dict:
    """A message over the limit to a page's kernel; what the socket, the kernel and another page say."""
    kernel_id = await asyncio.to_thread(open_page, url, code)
    sock = await crafted.connect(server.port, kernel_id)
    states = await crafted.control_states(sock)
    (text_id,) = [c for c, s in states.items() if _kind(s) == "TextBox"]
    await crafted.exchange(sock, [update(sock, text_id, {"value": "Saved before the big message."})])
    # 3 MiB: over the limit (2 MiB), refused by Tornado before it is read.
    big = update(sock, text_id, {"value": "z" * (3 << 20)})
    # The server may close the connection while the message is still being written.
    with contextlib.suppress(WebSocketClosedError):
        await sock.ws.write_message(json.dumps(big))
    while await asyncio.wait_for(sock.ws.read_message(), crafted.REPLY_TIMEOUT) is not None:
        pass
    close_code = sock.ws.close_code
    # A new websocket to the same kernel works, and the kernel kept the answer, not the big one.
    again = await crafted.connect(server.port, kernel_id)
    info = await crafted.kernel_info(again)
    value = (await crafted.state(again, text_id))["value"]
    await crafted.close(again)
    await asyncio.to_thread(shut_down, server, kernel_id)
    # Another page still opens and answers.
    other = await asyncio.to_thread(open_page, server.page(WELCOME))
    other_info = await crafted.with_socket(server.port, other, crafted.kernel_info)
    await asyncio.to_thread(shut_down, server, other)
    return {"close_code": close_code, "info": info, "value": value, "other": other_info}


@pytest.mark.browser
def test_a_message_over_the_limit_is_refused_without_harm(
    attacked: dict[str, PageFigures], hostile_server: tuple, store: Store, browser: Any, figures_file: dict
) -> None:
    server, process, _data = hostile_server
    section = CONTENT.sections.by_number(1)
    code = new_participant().code
    url = server.page(section.notebook)

    largest, limit = _largest_legit_message(browser, server, url, code)
    assert store.load_all(Participant(code).code_hash)[f"note:{section.slug}"] == {"text": "é" * limit}
    largest_attacked = (
        max(p["largest_frame_sent_bytes"] for p in figures_file.get("browser_pages", {}).values())
        if figures_file.get("browser_pages")
        else 0
    )
    figures_file["largest_legit_message_bytes"] = max(largest, largest_attacked)
    figures_file["note_limit_characters"] = limit
    figures_file["limit_margin"] = round(MAX_MESSAGE / figures_file["largest_legit_message_bytes"], 1)
    assert largest * 50 < MAX_MESSAGE  # what pages send is far below the limit

    found = crafted.run_async(lambda: _send_over_the_limit(server, url, code), 120)
    assert found["close_code"] in {1009, None}  # 1009: message too big (None: closed without a code)
    assert found["info"]["status"] == "ok"
    assert found["other"]["status"] == "ok"
    assert found["value"] == "Saved before the big message."
    assert process.poll() is None
    assert store.load_all(Participant(code).code_hash)[f"note:{section.slug}"] == {
        "text": "Saved before the big message."
    }
    # The answers saved before the attack on every page are still there.
    # (A page opened again for a workbook with answers may add the language it is read in.)
    for figures in attacked.values():
        kept = sorted(set(store.load_all(Participant(figures.code).code_hash)) - {LANGUAGE_KEY})
        assert kept == [key for key in figures.stored_keys if key != LANGUAGE_KEY]
    figures_file["over_limit_message"] = {"bytes": 3 << 20, "close_code": found["close_code"]}
