"""The answer controls refuse, on the server, what a crafted browser could send."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from widgets import load_content
from widgets.content_files import content_dir
from widgets.controls import CheckList, ChoiceGroup, ControlWords, NumberBox, TextBox, use_control_words

OPTIONS = [("hardly-ever", "Hardly ever"), ("often", "Often")]


@pytest.fixture
def group() -> ChoiceGroup:
    return ChoiceGroup(question="1. How often?", options=OPTIONS)


def test_starts_skipped(group):
    assert group.value is None
    assert group.message == ""


def test_browser_can_choose_and_clear(group):
    group.set_state({"value": "often"})
    assert group.value == "often"
    group.set_state({"value": None})
    assert group.value is None
    assert group.message == ""


@pytest.mark.parametrize("bad", ["always", "<img src=x onerror=alert(1)>", "", "OFTEN"])
def test_value_outside_the_options_changes_nothing(group, bad):
    group.set_state({"value": "hardly-ever"})
    group.set_state({"value": bad})
    assert group.value == "hardly-ever"
    assert group.message == "That answer isn't one of the choices, so it was not kept."


def test_next_valid_answer_clears_the_message(group):
    group.set_state({"value": "always"})
    group.set_state({"value": "often"})
    assert (group.value, group.message) == ("often", "")


@pytest.mark.parametrize(
    "update",
    [
        {"question": "<b>changed</b>"},
        {"options": [["always", "Always"]]},
        {"value": "always", "options": [["always", "Always"]]},
        {"message": ""},
        {"_esm": "export default {}"},
    ],
)
def test_only_the_value_is_writable_from_the_browser(group, update):
    group.set_state(update)
    assert group.question == "1. How often?"
    assert [tuple(option) for option in group.options] == OPTIONS
    assert group.value is None
    assert group.message == "This part of the page can't be changed from the browser."


def test_python_side_is_validated_too(group):
    with pytest.raises(TraitError):
        group.value = "always"


def test_note_within_the_limit_is_kept_verbatim():
    note = TextBox(label="My note", max_length=20)
    note.set_state({"value": "<b>call</b> Sam ✨"})
    assert note.value == "<b>call</b> Sam ✨"


def test_note_over_the_limit_keeps_the_earlier_text():
    note = TextBox(label="My note", max_length=10)
    note.set_state({"value": "short"})
    note.set_state({"value": "x" * 11})
    assert note.value == "short"
    assert "up to 10 characters" in note.message
    assert "what you had before is kept" in note.message
    note.set_state({"value": "short, ok"})
    assert (note.value, note.message) == ("short, ok", "")


def test_note_refuses_a_new_label():
    note = TextBox(label="My note", max_length=10)
    note.set_state({"label": "Type your password"})
    assert note.label == "My note"


def test_one_line_text_refuses_line_breaks():
    box = TextBox(label="Who or where", max_length=40, multiline=False)
    box.set_state({"value": "Sam"})
    box.set_state({"value": "Sam\nand more"})
    assert box.value == "Sam"
    assert "one line" in box.message


RANGE = "Please use a number from 0 to 100; the last one was not kept."
WRONG_KIND = "That isn't an answer this part of the page can take, so it was not kept."


@pytest.mark.parametrize("bad", [10**400, -(10**400), float("nan"), float("inf"), 100.5, "3", [3], {}])
def test_number_outside_the_range_or_not_a_number_changes_nothing(bad):
    hours = NumberBox(label="Hours", minimum=0, maximum=100)
    hours.set_state({"value": 4.5})
    # JSON allows integers of any size: one too large for a float is refused like any other bad number.
    hours.set_state({"value": bad})
    assert hours.value == 4.5
    assert hours.message in {RANGE, WRONG_KIND}
    hours.set_state({"value": 100})
    assert (hours.value, hours.message) == (100, "")


@pytest.mark.parametrize(
    ("control", "bad"),
    [
        (ChoiceGroup(options=[("often", "Often")]), ["often"]),
        (ChoiceGroup(options=[("often", "Often")]), 1),
        (TextBox(label="Note"), None),
        (TextBox(label="Note"), {"<img src=x onerror=alert(1)>": 1}),
        (CheckList(options=[("a", "A")]), "a"),
        (CheckList(options=[("a", "A")]), [["a"]]),
    ],
)
def test_a_value_of_the_wrong_kind_gets_a_plain_message_not_a_description_of_it(control, bad):
    before = control.value
    control.set_state({"value": bad})
    assert control.value == before
    assert control.message == WRONG_KIND


@pytest.fixture
def spanish_words():
    """The controls' words of a Spanish page (as widgets.pages gives them), English again after."""
    words = load_content(content_dir("es")).workbook.controls
    use_control_words(ControlWords(**words.model_dump(), locale="es"))
    yield words
    use_control_words(ControlWords())


def test_controls_on_a_spanish_page_speak_spanish(spanish_words):
    group = ChoiceGroup(question="¿Con qué frecuencia?", options=[("often", "A menudo")])
    assert group.clear_label == spanish_words.clear_answer == "Borrar mi respuesta"
    group.set_state({"value": "always"})
    assert group.message == spanish_words.not_a_choice
    note = TextBox(label="Mi nota", max_length=2000)
    assert note.count_words == "{count} de {limit} caracteres"
    note.set_state({"value": "x" * 2001})
    assert note.message.startswith("Aquí caben hasta 2.000 caracteres.")  # Babel writes the number
    hours = NumberBox(label="Horas", minimum=0, maximum=112, step=0.5)
    assert hours.range_words == "(de {minimum} a {maximum})"
    hours.set_state({"value": 200})
    assert hours.message == "Use un número de 0 a 112; el último no se guardó."
    ticks = CheckList(question="¿Cuáles?", options=[("a", "Una"), ("b", "Otra")], max_chosen=1)
    ticks.set_state({"value": ["a", "b"]})
    assert ticks.message == "Aquí puede marcar hasta 1, así que la última no se guardó."


def test_the_english_words_of_the_content_are_the_controls_own_defaults():
    """A control made alone (JupyterLab before a page starts, a test) says what an English page says."""
    assert ControlWords(**load_content(content_dir("en")).workbook.controls.model_dump()) == ControlWords()


def test_a_controls_script_traits_are_added_once_per_class_not_once_per_control():
    first, second = (ChoiceGroup(question=f"{n}. How often?", options=OPTIONS) for n in (1, 2))
    # anywidget adds `_esm`, `_css` and `_anywidget_id` to every control it makes: the class that holds
    # them is made for the first and reused, with the same script, styles and synced keys.
    assert type(first) is type(second)
    assert type(first) is not ChoiceGroup
    assert isinstance(first, ChoiceGroup)
    assert type(TextBox(label="A note", max_length=10)) is not type(first)
    for name in ("_esm", "_css", "_anywidget_id"):
        assert getattr(first, name) == getattr(second, name) != ""
        assert name in second.keys
    assert "fieldset" in second._esm
    assert second._anywidget_id.endswith("ChoiceGroup")
    assert set(second.get_state()) == set(first.get_state())
    second.set_state({"value": "often"})
    assert (first.value, second.value) == (None, "often")
