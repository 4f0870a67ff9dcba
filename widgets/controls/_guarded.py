"""Server-side checking of what a browser sends to a widget.

A crafted client can send any state to any widget model on its kernel
websocket. Widgets that take answers mix in :class:`GuardedState`: only the
traits named in ``_client_writable`` may change from the browser, each change
goes through the trait's ``@validate``, and a rejected change leaves every
trait as it was, sets ``message`` to a plain explanation and sends the kept
state back so the page shows it again.

Every control is a :class:`GuardedControl`: an anywidget drawn by its own script in ``static/``
with the controls' one stylesheet. Each script stands alone, repeats included: a widget's script
travels in every instance's state, so a shared prelude would be sent again with every control.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

import anywidget
from traitlets import HasTraits, TraitError, TraitType, Unicode

# Debug only: a kernel's stderr goes to the browser, not to the server's log.
log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"

if TYPE_CHECKING:

    class _WidgetState(HasTraits):
        """The part of ipywidgets' ``Widget`` this mixin uses (ipywidgets ships no types)."""

        keys: list[str]

        def set_state(self, sync_data: dict[str, Any]) -> None: ...

        def send_state(self, key: str | list[str] | None = None) -> None: ...

        def add_traits(self, **traits: TraitType[Any, Any]) -> None: ...

else:
    _WidgetState = HasTraits


class _ValidatingTrait(Protocol):
    """A trait with its own type check: every trait a browser may write (Unicode, Float, Bool, List).

    traitlets declares ``validate`` on those trait classes, not on their base ``TraitType``.
    """

    allow_none: bool

    def validate(self, obj: HasTraits, value: Any) -> Any: ...


class _Answering(Protocol):
    """A control with a ``value`` trait: TextBox, NumberBox, ChoiceGroup, CheckList."""

    # Any: what the control takes is decided by its trait's validation at run time.
    value: Any


class GuardedState(_WidgetState):
    """Mixin for ipywidgets/anywidget classes; put it first in the bases."""

    _client_writable: tuple[str, ...] = ("value",)
    _not_writable_message = "This part of the page can't be changed from the browser."
    _wrong_kind_message = "That isn't an answer this part of the page can take, so it was not kept."

    message = Unicode(
        "", help="A plain note shown beside the control when a sent value was not accepted."
    ).tag(sync=True)

    # The class anywidget makes for each class's script traits, made once (see `add_traits`).
    _with_scripts: ClassVar[dict[tuple[type, tuple[tuple[str, object], ...]], type]] = {}

    def add_traits(self, **traits: TraitType[Any, Any]) -> None:
        """Add anywidget's script traits (``_esm``, ``_css``, its id) to this widget, as traitlets does.

        traitlets makes a new class for every call, and anywidget calls it for every instance: 20-30 ms
        of a page kernel's time for each control made after the page's request. The traits are the same
        for every instance of a class (its script, its stylesheet, its name), so the class is made once.
        """
        signature = (type(self), tuple(sorted((name, trait.default_value) for name, trait in traits.items())))
        made = GuardedState._with_scripts.get(signature)
        if made is None:
            super().add_traits(**traits)
            GuardedState._with_scripts[signature] = type(self)
            return
        self.__class__ = made
        for name in traits:
            trait = getattr(made, name)
            trait.instance_init(self)
            # What ipywidgets' Widget.add_traits does for each synced trait.
            if "sync" in trait.metadata:
                self.keys.append(name)
                self.send_state(name)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply a browser update if every key is writable and every value valid."""
        refused = sorted(set(sync_data) - set(self._client_writable))
        if refused:
            log.debug("refused browser update of %s on %s", refused, type(self).__name__)
            self._reject(self._not_writable_message, [k for k in sync_data if k in self.keys])
            return
        if not self._right_kinds(sync_data):
            log.debug("refused browser value of the wrong kind on %s", type(self).__name__)
            self._reject(self._wrong_kind_message, list(sync_data))
            return
        try:
            super().set_state(sync_data)
        except TraitError as error:
            log.debug("refused browser value on %s: %s", type(self).__name__, error)
            self._reject(str(error), list(sync_data))
            return
        if self.message:
            self.message = ""

    def _right_kinds(self, sync_data: dict[str, Any]) -> bool:
        """Whether each value is of its trait's kind (a JSON integer too large for a float is not).

        Checked apart from the traits' own rules, so that the message beside the control is a plain
        one, never traitlets' description of the value that was sent (which may be a megabyte long).
        """
        # Only client-writable keys get here (set_state refused the rest), and each of those is a
        # trait with its own ``validate``.
        traits = cast("dict[str, _ValidatingTrait]", self.traits())
        for key, value in sync_data.items():
            if value is None and traits[key].allow_none:
                continue
            try:
                traits[key].validate(self, value)
            except (TraitError, TypeError, ValueError, OverflowError):
                return False
        return True

    def _reject(self, message: str, keys: list[str]) -> None:
        self.message = message
        if keys:
            # The browser already shows the refused value; send the kept one back.
            self.send_state(keys)


class GuardedControl(GuardedState, anywidget.AnyWidget):
    """A form control: its script (``_esm``, set by each) and the controls' stylesheet; state guarded."""

    _css = STATIC / "controls.css"


def restore_value(control: _Answering, value: object) -> bool:
    """Put a kept answer back into a control, if today's control accepts it.

    Kept answers may come from an older version of the content, or from a
    tampered page: whatever the control's own validation refuses is left
    out (the control stays unanswered), and nothing is shown as an error.
    Returns whether the value was taken.
    """
    if value is None:
        return False
    try:
        control.value = value
    except (TraitError, TypeError, OverflowError):
        return False
    return True
