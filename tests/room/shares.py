"""What each shareable activity's page saves, two shapes per activity: the rooms' browser tests share them."""

from __future__ import annotations

SAVED = {
    "hidden-weight": [
        {"answers": dict.fromkeys(("left-out", "companionship", "unseen", "quick-updates"), "often")},
        {"answers": {"left-out": "hardly-ever", "unseen": "some-of-the-time", "distant": "often"}},
    ],
    "handling-it-alone": [
        {"answers": {"weakness": "strongly-agree", "burden": "agree", "push-through": "disagree"}},
        {"answers": {"weakness": "not-sure", "burden": "strongly-disagree"}},
    ],
    "what-community-means": [
        {
            "entries": [
                {"label": "A", "circle": "close", "kind": "friend", "ratings": {"authenticity": "mostly"}},
                {"label": "B", "circle": "middle", "kind": "family", "ratings": {}},
            ]
        },
        {"entries": [{"label": "C", "circle": "outer", "kind": "friend", "ratings": {}}]},
    ],
    "isolation-replaces-connection": [
        {
            "hours": {"work": 40, "with-people": 10, "deep-talk": 4},
            "patterns": ["busy-schedule", "exhaustion"],
        },
        {"hours": {"work": 30, "screens": 12.5, "with-people": 2}, "patterns": ["exhaustion"]},
    ],
    "safe-relationships": [
        {"ratings": {"consistency": "always", "respect": "often", "honesty": "sometimes"}},
        {"ratings": {"consistency": "often", "respect": "never", "being-yourself": "always"}},
    ],
    "small-steps": [
        {
            "steps": [
                {"what": "trusted-friend", "confidence": 8},
                {"what": "structured-group", "confidence": 4},
            ]
        },
        {"steps": [{"what": "trusted-friend", "confidence": 5}]},
    ],
    "long-term-resilience": [
        {
            "options_from": "kinds",
            "givers": {"encouragement": ["friend", "family"], "turn-to": ["no-one-yet"]},
        },
        {"options_from": "kinds", "givers": {"accountability": ["no-one-yet"], "encouragement": ["friend"]}},
    ],
    "looking-ahead": [
        {
            "answers": dict.fromkeys(("left-out", "companionship", "unseen"), "often"),
            "patterns": ["keep-busy"],
        },
        {"answers": dict.fromkeys(("left-out", "companionship", "unseen"), "hardly-ever"), "patterns": []},
    ],
}
