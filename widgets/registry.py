"""The page shell's list of sections: every section's activity, in section order.

This is the one module that imports ``widgets.sections``; the pages hand :data:`SECTIONS` to the
room, the take-home and the summary code. A new section adds its folder (see :mod:`widgets.contract`)
and one line here.
"""

from __future__ import annotations

from widgets.contract import SectionRegistry
from widgets.sections import (
    beliefs,
    checkin,
    connection_map,
    crowding,
    safety_check,
    sharing_load,
    small_steps,
    where_now,
    withdrawal,
)

__all__ = ["SECTIONS"]

SECTIONS = SectionRegistry(
    (
        checkin.ACTIVITY,
        beliefs.ACTIVITY,
        withdrawal.ACTIVITY,
        connection_map.ACTIVITY,
        crowding.ACTIVITY,
        safety_check.ACTIVITY,
        small_steps.ACTIVITY,
        sharing_load.ACTIVITY,
        where_now.ACTIVITY,
    )
)
