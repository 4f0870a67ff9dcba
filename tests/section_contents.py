"""Each section's content file and the schema its model reads it with, for tests of every section's file."""

from __future__ import annotations

from widgets.content_files import ContentModel
from widgets.contract import SectionActivity
from widgets.sections.beliefs.model import BeliefsContent
from widgets.sections.checkin.model import CheckinContent
from widgets.sections.connection_map.model import ConnectionMapContent
from widgets.sections.crowding.model import CrowdingContent
from widgets.sections.safety_check.model import SafetyCheckContent
from widgets.sections.sharing_load.model import SharingLoadContent
from widgets.sections.small_steps.model import SmallStepsContent
from widgets.sections.where_now.model import WhereNowContent
from widgets.sections.withdrawal.model import WithdrawalContent

# ``widgets/content/<name>.yaml`` -> its schema; the name is the section's package's.
SECTION_CONTENTS: dict[str, type[ContentModel]] = {
    "checkin": CheckinContent,
    "beliefs": BeliefsContent,
    "withdrawal": WithdrawalContent,
    "connection_map": ConnectionMapContent,
    "crowding": CrowdingContent,
    "safety_check": SafetyCheckContent,
    "small_steps": SmallStepsContent,
    "sharing_load": SharingLoadContent,
    "where_now": WhereNowContent,
}


def content_name(activity: SectionActivity) -> str:
    """The name of a section's content file: its package's (``widgets.sections.<name>``)."""
    return activity.answers.__module__.split(".")[2]
