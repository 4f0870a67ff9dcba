"""Hostile clients on every page: crafted messages to every widget of all 13 notebooks.

Each page is opened over HTTP with a fresh participant code (so Voilà starts its kernel), given valid
answers as a person would, then every widget model the kernel announced gets crafted messages on the
kernel websocket: values outside the options, values of the wrong kind, markup, a 1 MiB string, deep
nesting, keys that are not synced traits, nonsense ``buffer_paths``, malformed and custom messages
(clicks on hidden and disabled buttons among them, the welcome page's delete without its
confirmation), and a ``comm_open`` of every widget class ipywidgets and anywidget register. Then:

- the kernel still answers (``kernel_info``, ``request_state``): kernels lost 0;
- every control's state follows the control's own rules, and what the browser may not write is as it was;
- the store holds nothing the page's rules would refuse (read with the participant's code hash), and
  the section's own model reads it;
- the page opened again with the same code restores valid values, and in a real browser
  (three representative pages) it renders, and no markup from the answers runs.

The figures per page go to ``test-artifacts/hostile-clients.json``. The websocket's largest message
(``Voila.tornado_settings`` in ``voila.json``) is tested at the end: a larger message is refused
without harm.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import math
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anywidget
import crafted
import ipywidgets
import pytest
from conftest import open_page, running_voila, shut_down
from crafted import Socket, comm_data, exchange, message, raw_update, update
from ipywidgets.widgets.widget import _registry

from widgets import load_content
from widgets.participant import Participant, new_participant
from widgets.sections import MODEL_MODULES
from widgets.store import DATABASE_NAME, Store

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))
CONTENT = load_content()
SETTINGS = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
MAX_MESSAGE = SETTINGS["Voila"]["tornado_settings"]["websocket_max_message_size"]

MARK = "HOSTILE"  # in every crafted string: none may reach the store but as a text a text box accepts
PWNED = "window.__pwned = (window.__pwned || 0) + 1"
MARKUP = [
    f'<img src=x onerror="{PWNED}"> {MARK}',
    f"<script>{PWNED}</script> {MARK}",
    f'<svg onload="{PWNED}"></svg> {MARK}',
]
MEBIBYTE = MARK + "x" * ((1 << 20) - len(MARK))
# Sent as JSON text: values a JSON encoder would not write, or that Python reads as something else.
RAW_VALUES = ["1" + "0" * 400, "-1" + "0" * 400, "NaN", "Infinity", "-Infinity", "1e999"]
WRONG_KINDS = [
    None,
    True,
    False,
    -1,
    3.5,
    10**30,
    f"not-an-option-{MARK}",
    "NaN",
    "",
    [f"{MARK}-a", 1, None],
    [[f"{MARK}"]],
    {MARK: {"nested": [1, 2]}},
    {"value": MARK},
]
NOT_TRAITS = [{f"{MARK}_not_a_trait": 1}, {"_esm": f"export default {{ render() {{ {PWNED} }} }}"}]
BAD_BUFFER_PATHS = [[["value"]], [["a", "b", "c"]], "zz", [[0, 1]], None, [[]], {"value": 1}]
CUSTOM_CONTENTS = [
    {"event": "click"},
    # Not {"event": "download"}: from this client, a download click left the kernel busy (see the report).
    {"tick": 1},
    {"step": 1},
    {"step": 10**6},
    {"event": MARK},
    None,
    [MARK],
    MARK,
]
MALFORMED_DATA = [
    None,
    {},
    {"method": MARK},
    {"method": "update"},
    {"method": "update", "state": None},
    {"method": "update", "state": [MARK]},
    {"method": "update", "state": MARK},
    {"method": "echo_update", "state": {"value": MARK}},
    {"method": "custom"},
]
DEEP = 10_000  # nested lists: deeper than Python's JSON reader goes (the server must not choke)
NEARLY_DEEP = 900  # still read by the server and the kernel
BATCH = 40  # crafted messages in flight at once on a page's websocket
PAGES_AT_ONCE = 2
PAGE_TIMEOUT = 150.0
BROWSER_TIMEOUT = 60_000
WELCOME = "00-welcome.ipynb"
KEPT_BEFORE_WELCOME = ("note:hidden-weight", {"text": "Kept before the welcome page was attacked."})


@dataclass
class PageFigures:
    """What one page got and what it did with it."""

    notebook: str
    widgets: int = 0
    widget_kinds: dict[str, int] = field(default_factory=dict)
    messages_sent: int = 0
    valid_answers: int = 0
    error_replies: dict[str, int] = field(default_factory=dict)
    invalid_states: list[str] = field(default_factory=list)
    invalid_stored: list[str] = field(default_factory=list)
    kernels_lost: int = 0
    stored_keys: list[str] = field(default_factory=list)
    code: str = ""
    accepted_texts: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def summary(self) -> dict:
        return {
            "crafted_messages_sent": self.messages_sent,
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
    """The workbook control a widget state is, or its model name."""
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
    if "address_code" in state:
        return "ParticipantBar"
    if "interval_ms" in state:
        return "Heartbeat"
    return "AnyModel"


def _breaks_rules(state: dict) -> str | None:
    """Why a control's value breaks the control's own rules, or ``None``."""
    kind, value = _kind(state), state.get("value")
    ids = [option[0] for option in state.get("options", [])]
    if kind == "ChoiceGroup" and value is not None and value not in ids:
        return f"choice {value!r} not in {ids}"
    if kind == "CheckList" and (
        not isinstance(value, list)
        or any(v not in ids for v in value)
        or len(set(value)) != len(value)
        or (state["max_chosen"] and len(value) > state["max_chosen"])
    ):
        return f"ticked {value!r} of {ids}"
    if kind == "TextBox" and (
        not isinstance(value, str)
        or len(value) > state["max_length"]
        or (not state["multiline"] and ("\n" in value or "\r" in value))
    ):
        return f"text of {len(value) if isinstance(value, str) else type(value)} chars"
    if kind == "NumberBox" and value is not None:
        if not isinstance(value, int | float) or not math.isfinite(value):
            return f"number {value!r}"
        if not state["minimum"] <= value <= state["maximum"]:
            return f"number {value!r} out of range"
    message_text = state.get("message", "")
    if MARK in message_text or len(message_text) > 300:
        return f"message {message_text[:80]!r}"
    return None


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
    return {k: v for k, v in state.items() if k not in {"value", "message", "saves", "status", "sent"}}


# --- The store -----------------------------------------------------------------------------


def _leaves(value: object, depth: int = 0) -> Iterator[tuple[object, int]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, depth
            yield from _leaves(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, depth + 1)
    else:
        yield value, depth


def _page_slug(notebook: str) -> str | None:
    for section in CONTENT.sections.sections:
        if section.notebook == notebook:
            return section.slug
    return None


def _check_store(store: Store, figures: PageFigures, text_limit: int) -> None:
    """Record every stored value the page's own rules would not have written."""
    kept = store.load_all(Participant(figures.code).code_hash)
    figures.stored_keys = sorted(kept)
    slug = _page_slug(figures.notebook)
    allowed = {slug, f"note:{slug}"} if slug else set()
    if figures.notebook == WELCOME:
        allowed = {KEPT_BEFORE_WELCOME[0]}
    bad = figures.invalid_stored
    bad += [f"key {key!r} is not this page's" for key in kept if key not in allowed]
    for key, data in kept.items():
        for leaf, depth in _leaves(data):
            if depth > 8:
                bad.append(f"{key}: nested {depth} deep")
            if isinstance(leaf, str):
                if MARK in leaf and leaf not in figures.accepted_texts:
                    bad.append(f"{key}: crafted string {leaf[:60]!r}")
                if len(leaf) > text_limit:
                    bad.append(f"{key}: a string of {len(leaf)} characters (limit {text_limit})")
            elif isinstance(leaf, float) and not math.isfinite(leaf):
                bad.append(f"{key}: number {leaf!r}")
        if key == slug:
            # The section's own model reads what was stored, as the summary and the take-home do.
            model = importlib.import_module(MODEL_MODULES[slug])
            try:
                model.summary_lines(data)
                model.report_blocks(data)
            except Exception as error:
                bad.append(f"{key}: the section's model could not read it ({error!r})")


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


def _target_keys(state: dict) -> list[str]:
    """The synced keys to send crafted values to: the value, else up to two others."""
    if "value" in state:
        return ["value"]
    preferred = ["description", "disabled", "display", "children", "label", "button_style", "width"]
    keys = [k for k in preferred if k in state] or [k for k in state if not k.startswith("_")]
    return keys[:2]


def _is_delete(state: dict) -> bool:
    """The welcome page's "Delete everything": its click only asks for the confirmation."""
    words = CONTENT.workbook.kept
    return state.get("description") in {words.delete_label, words.demo_delete_label}


def _crafted_for(sock: Socket, comm_id: str, state: dict) -> list[dict | crafted.Frame]:
    """Every crafted message for one widget."""
    out: list[dict | crafted.Frame] = []
    keys = _target_keys(state)
    for key in keys:
        out += [update(sock, comm_id, {key: value}) for value in [*WRONG_KINDS, *MARKUP]]
        out += [raw_update(sock, comm_id, f'{{"{key}": {raw}}}') for raw in RAW_VALUES]
        out.append(raw_update(sock, comm_id, f'{{"{key}": {"[" * NEARLY_DEEP}{"]" * NEARLY_DEEP}}}'))
        out += [update(sock, comm_id, {key: f"x{MARK}"}, paths) for paths in BAD_BUFFER_PATHS]
        # A valid key sent with one the browser may not write.
        out.append(update(sock, comm_id, {key: state.get(key), "_model_name": MARK}))
    if "message" in state:  # a guarded control: one 1 MiB string each (plain widgets get 64 KiB)
        out.append(update(sock, comm_id, {keys[0]: MEBIBYTE}))
    else:
        out.append(update(sock, comm_id, {keys[0]: MEBIBYTE[: 1 << 16]}))
    out += [update(sock, comm_id, extra) for extra in NOT_TRAITS]
    contents = CUSTOM_CONTENTS
    if _is_delete(state):
        contents = [c for c in contents if c != {"event": "click"}]  # its confirmation is tried alone
    data = [{"method": "custom", "content": content} for content in contents] + MALFORMED_DATA
    out += [message(sock, "comm_msg", {"comm_id": comm_id, "data": item}) for item in data]
    return out


def _comm_opens(sock: Socket) -> list[dict]:
    """A ``comm_open`` of every widget class, and of targets no page offers."""
    out = []
    for target, states in (("jupyter.widget", WIDGET_CLASSES), (MARK, WIDGET_CLASSES[:1])):
        for state in states:
            content = {
                "comm_id": f"{MARK}-{len(out)}",
                "target_name": target,
                "data": {"state": state | {"description": MARK}, "buffer_paths": []},
            }
            opening = message(sock, "comm_open", content)
            opening["metadata"] = {"version": "2.1.0"}
            out.append(opening)
    return out


async def _send_all(sock: Socket, outgoing: list, figures: PageFigures) -> list[dict]:
    """Send in batches; count them and the error replies (tracebacks) they caused."""
    replies: list[dict] = []
    for start in range(0, len(outgoing), BATCH):
        batch = outgoing[start : start + BATCH]
        answered = await exchange(sock, batch)
        figures.messages_sent += len(batch)
        for items in answered.values():
            replies += items
    errors = Counter(m["content"].get("ename", "?") for m in replies if m["header"]["msg_type"] == "error")
    for name, count in errors.items():
        figures.error_replies[name] = figures.error_replies.get(name, 0) + count
    return replies


async def _give_valid_answers(sock: Socket, figures: PageFigures) -> None:
    """Answer each control as a person would, one at a time (a view may redraw after each)."""
    done: set[tuple] = set()
    for _round in range(3):
        states = await crafted.control_states(sock)
        todo = [
            (comm_id, state)
            for comm_id, state in states.items()
            if _valid_value(state, 0) is not None
            and (_kind(state), state.get("question", state.get("label")), comm_id) not in done
        ]
        if not todo:
            return
        for serial, (comm_id, state) in enumerate(todo):
            value = _valid_value(state, serial)
            sent = update(sock, comm_id, {"value": value})
            replies = comm_data((await exchange(sock, [sent]))[sent["header"]["msg_id"]])
            done.add((_kind(state), state.get("question", state.get("label")), comm_id))
            refused = [m for m in replies if m["comm_id"] == comm_id and m.get("state", {}).get("message")]
            if not refused:
                figures.valid_answers += 1
                if isinstance(value, str):
                    figures.accepted_texts.add(value)


async def _attack_page(server: object, store: Store, notebook: str) -> PageFigures:
    started = time.monotonic()
    figures = PageFigures(notebook=notebook, code=new_participant().code)
    url = server.page(notebook) + f"?code={figures.code}"
    if notebook == WELCOME:
        # Something kept for the welcome page's participant, that a delete without confirmation would take.
        store.save(Participant(figures.code).code_hash, *KEPT_BEFORE_WELCOME)
    kernel_id = await asyncio.to_thread(open_page, url)
    sock = await crafted.connect(server.port, kernel_id)
    try:
        await _give_valid_answers(sock, figures)
        before = await crafted.control_states(sock)
        figures.widgets = len(before)
        figures.widget_kinds = dict(Counter(_kind(s) for s in before.values()))
        comms_before = await crafted.widget_comms(sock)

        outgoing: list = []
        for comm_id, state in before.items():
            outgoing += _crafted_for(sock, comm_id, state)
        outgoing += _comm_opens(sock)
        if any(_kind(s) == "TextBox" for s in before.values()):
            # Any short string is a valid text: the crafted ones a text box takes are answers too.
            sent = [v for v in [*WRONG_KINDS, *MARKUP, f"x{MARK}"] if isinstance(v, str)]
            figures.accepted_texts.update(sent)
        await _send_all(sock, outgoing, figures)

        # The welcome page's delete, clicked without its confirmation (which a crafted page can show).
        for state in before.values():
            if _is_delete(state):
                for confirm_id, confirm in before.items():
                    if confirm.get("description") == CONTENT.workbook.kept.confirm_label:
                        layout = confirm["layout"].removeprefix("IPY_MODEL_")
                        clicks = [
                            update(sock, layout, {"display": "flex"}),
                            message(
                                sock,
                                "comm_msg",
                                {
                                    "comm_id": confirm_id,
                                    "data": {"method": "custom", "content": {"event": "click"}},
                                },
                            ),
                        ]
                        await _send_all(sock, clicks, figures)

        # A frame deeper than the server's JSON reader goes: dropped, the connection kept.
        await sock.ws.write_message(raw_update(sock, next(iter(before)), "[" * DEEP + "]" * DEEP).text)
        figures.messages_sent += 1

        try:
            info = await crafted.kernel_info(sock)
            assert info["status"] == "ok"
            after = await crafted.control_states(sock)
        except (AssertionError, TimeoutError):
            figures.kernels_lost += 1
            raise
        # No widget was made from the browser, and the page's own are all there.
        assert not {c for c in await crafted.widget_comms(sock) if c.startswith(MARK)}
        assert comms_before <= set(after) | (comms_before - set(before))
        for comm_id, state in after.items():
            reason = _breaks_rules(state)
            if reason:
                figures.invalid_states.append(f"{_kind(state)}: {reason}")
            guarded = comm_id in before and "message" in state and _kind(state) != "AnyModel"
            if guarded and _fixed_traits(state) != _fixed_traits(before[comm_id]):
                figures.invalid_states.append(f"{_kind(state)}: a trait the browser may not write changed")
    finally:
        await crafted.close(sock)
    await asyncio.to_thread(shut_down, server, kernel_id)

    limits = [s["max_length"] for s in before.values() if "max_length" in s] or [0]
    _check_store(store, figures, max(limits))

    # The same participant's page again: a new kernel restores what was kept, by the page's own rules.
    again = await asyncio.to_thread(open_page, url)
    restored = await crafted.with_socket(server.port, again, crafted.control_states)
    for state in restored.values():
        reason = _breaks_rules(state)
        if reason:
            figures.invalid_states.append(f"reopened {_kind(state)}: {reason}")
    slug = _page_slug(notebook)
    note = store.load_all(Participant(figures.code).code_hash).get(f"note:{slug}")
    if note:
        assert note["text"] in [s.get("value") for s in restored.values()], "the kept note was not restored"
    await asyncio.to_thread(shut_down, server, again)
    figures.seconds = time.monotonic() - started
    return figures


# --- Tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[tuple]:
    data = tmp_path_factory.mktemp("hostile-data")
    with running_voila(artifacts / "voila-hostile.log", data_dir=data) as (server, process):
        yield server, process, data


@pytest.fixture(scope="module")
def attacked(hostile_server: tuple, artifacts: Path) -> dict[str, PageFigures]:
    """Every page attacked, three at a time; the figures written for the lead."""
    server, _process, data = hostile_server
    store = Store(data / DATABASE_NAME)

    async def main() -> list[PageFigures]:
        gate = asyncio.Semaphore(PAGES_AT_ONCE)

        async def one(notebook: str) -> PageFigures:
            async with gate:
                return await asyncio.wait_for(_attack_page(server, store, notebook), PAGE_TIMEOUT)

        return await asyncio.gather(*(one(notebook) for notebook in NOTEBOOKS))

    started = time.monotonic()
    pages = crafted.run_async(main, PAGE_TIMEOUT * 3)
    figures = {page.notebook: page for page in pages}
    report = {
        "pages": {name: page.summary() for name, page in figures.items()},
        "totals": {
            "pages": len(figures),
            "crafted_messages_sent": sum(p.messages_sent for p in pages),
            "widgets_covered": sum(p.widgets for p in pages),
            "invalid_values_stored": sum(len(p.invalid_stored) for p in pages),
            "kernels_lost": sum(p.kernels_lost for p in pages),
            "seconds": round(time.monotonic() - started, 1),
        },
        "widget_classes_opened_per_page": len(WIDGET_CLASSES),
        "ipywidgets": ipywidgets.__version__,
        "anywidget": anywidget.__version__,
        "websocket_max_message_size": MAX_MESSAGE,
    }
    (artifacts / "hostile-clients.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    store.close()
    return figures


def test_every_page_has_its_widgets_attacked_and_keeps_its_kernel(attacked: dict[str, PageFigures]) -> None:
    assert set(attacked) == set(NOTEBOOKS)
    assert len(NOTEBOOKS) == 13
    for name, page in attacked.items():
        assert page.kernels_lost == 0, name
        if page.widgets:
            assert page.messages_sent > 40 * page.widgets, name
    # Every page but the session guide (which has no widget) has controls or buttons to attack.
    assert [name for name, page in attacked.items() if not page.widgets] == ["21-session-guide.ipynb"]


def test_no_control_holds_a_value_its_rules_refuse(attacked: dict[str, PageFigures]) -> None:
    assert {name: page.invalid_states for name, page in attacked.items() if page.invalid_states} == {}


def test_nothing_invalid_reaches_the_store(attacked: dict[str, PageFigures]) -> None:
    assert {name: page.invalid_stored for name, page in attacked.items() if page.invalid_stored} == {}
    # Something was stored on each section page, so the check read real answers.
    for section in CONTENT.sections.sections:
        assert section.slug in attacked[section.notebook].stored_keys, section.notebook


def test_the_delete_without_its_confirmation_deleted_nothing(
    attacked: dict[str, PageFigures], hostile_server: tuple
) -> None:
    welcome = attacked[WELCOME]
    _server, _process, data = hostile_server
    store = Store(data / DATABASE_NAME)
    try:
        kept = store.load_all(Participant(welcome.code).code_hash)
    finally:
        store.close()
    key, note = KEPT_BEFORE_WELCOME
    assert kept == {key: note}
