"""The nine sections' activities, one folder each: ``model.py`` and ``view.py``.

``model.py`` holds the activity's content schema, its rules and scoring, ``summary_lines``,
``group_figures``, ``report_blocks`` and ``worksheet_blocks``, and never imports ipywidgets;
``view.py`` holds its widgets and ``build(content)``, which a page calls.
"""

# Each section's activity folder, by the section's slug in content/sections.yaml.
ACTIVITIES = {
    "hidden-weight": "checkin",
    "handling-it-alone": "beliefs",
    "protective-withdrawal": "withdrawal",
    "what-community-means": "connection_map",
    "isolation-replaces-connection": "crowding",
    "safe-relationships": "safety_check",
    "small-steps": "small_steps",
    "long-term-resilience": "sharing_load",
    "looking-ahead": "where_now",
}

# Each section's model module (summary lines, group figures, take-home blocks), imported by name so that
# a page loads only the sections it shows.
MODEL_MODULES = {slug: f"widgets.sections.{activity}.model" for slug, activity in ACTIVITIES.items()}
