"""Live group rooms: join codes, opt-in sharing, the facilitator's dashboard, pacing and lines.

``model.py`` holds the rules and the room's tables (no widgets); ``figures.py`` what a group's shared
answers add up to (each section's ``group_figures`` returns these); ``content.py`` the room's words
(``widgets/content/LANG/room.yaml``); ``participant_view.py`` the join and share panels on a participant's
page; ``facilitator_view.py`` the facilitator's page; ``heartbeat.py`` the page's tick that notices
news. Nothing is imported here, so a section's model can use ``figures`` without loading the rest.
"""
