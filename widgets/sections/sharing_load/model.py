"""Sharing the load (section 8): its content schema and its rules. Pure Python: no widgets here.

For each kind of support the section names, the participant ticks who gives
it. The choices are the people and groups on their connection map (section 4)
when that map is in the answer book, and otherwise the kinds of people the map
offers; either way "no one yet" is the last choice, and it cannot be ticked
together with anyone else.

Each support then stands in one of three ways: *covered* (someone gives it),
a *gap* ("no one yet" was ticked) or *skipped* (nothing ticked). A skipped
support is never counted as a gap: skipping a question says nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import Field, OnErrorOmit, model_validator

from widgets.blocks import (
    Bar,
    Bars,
    Block,
    Bullets,
    Checklist,
    Figure,
    Heading,
    Invitation,
    Paragraph,
    Table,
    WriteIn,
)
from widgets.content_files import (
    ContentModel,
    Identifier,
    OwnIds,
    Placeholders,
    Text,
    Unit,
    load_activity_content,
)
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, figure
from widgets.sections.connection_map.model import ConnectionMapContent, read_saved_map

NO_ONE_YET = "no-one-yet"
"""The id of the "no one yet" choice, the same in every list."""

MAP_PREFIX = "map-"
"""Choices from the connection map have ids ``map-1``, ``map-2``, ... in map order."""


class GiverError(ValueError):
    """A set of ticks that was refused; the message says why, in plain words."""


# --- content schema (widgets/content/LANG/sharing_load.yaml) ----------------------


class Support(ContentModel):
    """One kind of support the section names."""

    id: Identifier
    name: Text
    question: Text
    description: Text
    suggestion: Text


class SharingLoadGroupWords(ContentModel):
    """The words of the group figures (see :func:`group_figures`)."""

    covered: GroupWords
    gaps: GroupWords


class SharingLoadReportWords(ContentModel):
    """Words only the take-home workbook needs (see :func:`report_blocks`)."""

    count_header: Text
    """The table's column with each support's number of sources, the same numbers as the chart."""
    map_giver_one: Text
    """Who gives a support, when one entry of the map was ticked and the map is not at hand."""
    map_givers_many: Annotated[Text, Placeholders("count")]
    """The same for several entries; ``{count}`` is how many."""


class SharingLoadWorksheetWords(ContentModel):
    """Words only the paper worksheet needs (see :func:`worksheet_blocks`)."""

    intro: Text
    names_label: Text
    reading_heading: Text
    reading_intro: Text


class SharingLoadContent(ContentModel):
    """Every word of "Sharing the load" and the order in which gaps are suggested to grow."""

    heading: Text
    intro: Text
    from_map_note: Text
    from_kinds_note: Text
    no_one_label: Text
    no_one_conflict: Text
    supports: Annotated[list[Support], OwnIds("support")] = Field(min_length=1, max_length=12)
    grow_order: list[Identifier] = Field(min_length=1)
    nothing_yet: Text
    chart_title: Text
    chart_caption: Text
    chart_unit: Unit
    gap_word: Text
    skipped_word: Text
    table_caption: Text
    table_headers: list[Text] = Field(min_length=3, max_length=3)
    status_covered: Text
    status_gap: Text
    status_skipped: Text
    skipped_cell: Text
    covered_line: Annotated[Text, Placeholders("covered", "total")]
    gaps_line: Annotated[Text, Placeholders("gaps")]
    no_gaps_line: Text
    gap_reassurance: Text
    grow_heading: Text
    grow_line: Annotated[Text, Placeholders("support")]
    all_gaps: Text
    support_invitation: Text
    group: SharingLoadGroupWords
    report: SharingLoadReportWords
    worksheet: SharingLoadWorksheetWords

    @model_validator(mode="after")
    def _consistent(self) -> SharingLoadContent:
        ids = [support.id for support in self.supports]
        if sorted(self.grow_order) != sorted(ids):
            raise ValueError(f"grow_order must list every support id once, in any order: {ids}")
        return self


class SharingLoadAnswers(SavedAnswers):
    """What section 8's view saves (as from :func:`to_saved`): where the choices came from, ids and names."""

    options_from: str = ""
    """``"map"`` or ``"kinds"``; anything else (or nothing) matches neither, as the readers take it."""
    givers: dict[str, OnErrorOmit[list[str]]] = Field(default_factory=dict)
    """Support id to the ticked option ids; a support whose ticks are not a list of text is passed over."""
    named: dict[str, OnErrorOmit[list[str]]] = Field(default_factory=dict)
    """Support id to the names the ticks stood for, in the same order."""


# --- the choices --------------------------------------------------------------


@dataclass(frozen=True)
class GiverOptions:
    """The choices offered under every support, and where they came from.

    ``source`` is ``"map"`` when they are the participant's own map entries,
    ``"kinds"`` when they are the kinds of people; ``options`` are
    ``(id, label)`` pairs ending with "no one yet".
    """

    source: Literal["map", "kinds"]
    options: tuple[tuple[str, str], ...]

    def label(self, option_id: str) -> str:
        """The label a person sees for ``option_id``."""
        return dict(self.options)[option_id]


def giver_options(
    spec: SharingLoadContent, map_spec: ConnectionMapContent, saved_map: Mapping[str, Any] | None
) -> GiverOptions:
    """The choices for every support: the people on the saved connection map if any, else its kinds.

    ``saved_map`` is what section 4 saved in the answer book, or ``None``.
    """
    # Read as section 4's page reads it, so the choices here are the people shown on the map.
    entries = read_saved_map(map_spec, saved_map)
    no_one = (NO_ONE_YET, spec.no_one_label)
    if entries:
        people = tuple((f"{MAP_PREFIX}{number}", entry.label) for number, entry in enumerate(entries, 1))
        return GiverOptions(source="map", options=(*people, no_one))
    kinds = tuple((kind.id, kind.label) for kind in map_spec.kinds if kind.id != NO_ONE_YET)
    return GiverOptions(source="kinds", options=(*kinds, no_one))


def check_givers(spec: SharingLoadContent, chosen: Sequence[str]) -> None:
    """Raise :class:`GiverError` (the content's ``no_one_conflict``) for "no one yet" with someone."""
    if NO_ONE_YET in chosen and len(set(chosen)) > 1:
        raise GiverError(spec.no_one_conflict)


# --- coverage -----------------------------------------------------------------

Status = Literal["covered", "gap", "skipped"]


@dataclass(frozen=True)
class SupportCoverage:
    """How one support stands: who gives it (labels) and whether it is covered, a gap or skipped."""

    support: Support
    status: Status
    givers: tuple[str, ...]

    @property
    def sources(self) -> int:
        """How many people, groups or kinds of people give this support."""
        return len(self.givers)


@dataclass(frozen=True)
class Coverage:
    """Every support's standing, in the content's order, and where to grow first."""

    supports: tuple[SupportCoverage, ...]
    grow_first: Support | None
    """The first gap in the content's ``grow_order``, or ``None`` without gaps."""

    def _with(self, status: Status) -> list[SupportCoverage]:
        return [item for item in self.supports if item.status == status]

    @property
    def covered(self) -> list[SupportCoverage]:
        """Supports someone gives."""
        return self._with("covered")

    @property
    def gaps(self) -> list[SupportCoverage]:
        """Supports with "no one yet" ticked."""
        return self._with("gap")

    @property
    def answered(self) -> int:
        """How many supports have any tick at all."""
        return len(self.supports) - len(self._with("skipped"))

    @property
    def no_support_yet(self) -> bool:
        """True when every answered support is a gap: the time for warm words, not alarm."""
        return bool(self.gaps) and not self.covered


def coverage(
    spec: SharingLoadContent, options: GiverOptions, givers: Mapping[str, Sequence[str]]
) -> Coverage:
    """Work out which supports are covered, which are gaps, and where to grow first.

    ``givers`` is support id to the ticked option ids (a missing support is skipped), among the
    ``options`` offered. Raises :class:`GiverError` if "no one yet" is ticked with someone else,
    ``ValueError`` if a support or option id is not one offered.
    """
    known_supports = {support.id for support in spec.supports}
    known_options = {option_id for option_id, _ in options.options}
    for support_id, chosen in givers.items():
        if support_id not in known_supports:
            raise ValueError(f"there is no support called {support_id!r}")
        check_givers(spec, chosen)
        if any(option_id not in known_options for option_id in chosen):
            raise ValueError(f"one of {list(chosen)!r} is not a choice here")
    standing = []
    for support in spec.supports:
        chosen = list(dict.fromkeys(givers.get(support.id, ())))
        if not chosen:
            standing.append(SupportCoverage(support, "skipped", ()))
        elif chosen == [NO_ONE_YET]:
            standing.append(SupportCoverage(support, "gap", ()))
        else:
            labels = tuple(options.label(option_id) for option_id in chosen)
            standing.append(SupportCoverage(support, "covered", labels))
    gap_ids = {item.support.id for item in standing if item.status == "gap"}
    by_id = {support.id: support for support in spec.supports}
    grow_first = next((by_id[support_id] for support_id in spec.grow_order if support_id in gap_ids), None)
    return Coverage(supports=tuple(standing), grow_first=grow_first)


def to_saved(options: GiverOptions, givers: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The answers as plain data for the answer book: ids, and the labels they stood for."""
    return {
        "options_from": options.source,
        "givers": {support_id: list(chosen) for support_id, chosen in givers.items()},
        "named": {
            support_id: [options.label(option_id) for option_id in chosen]
            for support_id, chosen in givers.items()
        },
    }


def _saved_givers(spec: SharingLoadContent, saved: Mapping[str, Any]) -> dict[str, list[str]]:
    """The saved ticks for the supports the content still has, each a list of option ids.

    A support whose ticks are not a list of ids, or that holds "no one yet"
    together with someone else, reads as skipped: skipping says nothing.
    """
    raw = saved.get("givers")
    givers: dict[str, list[str]] = {}
    if not isinstance(raw, Mapping):
        return givers
    for support in spec.supports:
        chosen = raw.get(support.id)
        if not isinstance(chosen, list) or not all(isinstance(option_id, str) for option_id in chosen):
            continue
        try:
            check_givers(spec, chosen)
        except GiverError:
            continue
        givers[support.id] = list(dict.fromkeys(chosen))
    return givers


def restorable_givers(spec: SharingLoadContent, options: GiverOptions, saved: object) -> dict[str, list[str]]:
    """The saved ticks that can be given back with today's choices, support id to option ids.

    Ticks saved against other choices (the map then, the kinds of people now,
    or the other way round) are not given back. A tick from the map is matched
    by the name it stood for (``named``), not by its place, so a map changed
    since gives back the same people where they are still on it and nobody
    else. Ids, names or supports that are unknown, or not text, are left out;
    a support holding "no one yet" together with someone is left unanswered.
    """
    if not isinstance(saved, Mapping) or saved.get("options_from") != options.source:
        return {}
    raw_givers, raw_named = saved.get("givers"), saved.get("named")
    if not isinstance(raw_givers, Mapping):
        return {}
    named = raw_named if isinstance(raw_named, Mapping) else {}
    givers: dict[str, list[str]] = {}
    for support in spec.supports:
        chosen = raw_givers.get(support.id)
        if not isinstance(chosen, list):
            continue
        kept = _restorable_ticks(options, chosen, named.get(support.id))
        try:
            check_givers(spec, kept)
        except GiverError:
            continue
        if kept:
            givers[support.id] = kept
    return givers


def _restorable_ticks(options: GiverOptions, chosen: list[Any], names: object) -> list[str]:
    """One support's saved ticks that today's choices still offer, as their ids, each once.

    ``names`` are the names the ticks stood for, in the same order; anything
    else (missing, not a list, or of another length) reads as no names.
    """
    offered = [option_id for option_id, _ in options.options]
    by_label = {label: option_id for option_id, label in options.options if option_id != NO_ONE_YET}
    names = names if isinstance(names, list) and len(names) == len(chosen) else [None] * len(chosen)
    kept = []
    for option_id, name in zip(chosen, names, strict=True):
        if option_id == NO_ONE_YET:
            kept.append(NO_ONE_YET)
        elif options.source == "map":
            # A place on the map may hold someone else now: the name it stood for finds the person.
            if isinstance(name, str) and name in by_label:
                kept.append(by_label[name])
        elif isinstance(option_id, str) and option_id in offered:
            kept.append(option_id)
    return list(dict.fromkeys(kept))


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the summary: supports covered, gaps, and where to grow first.

    How many supports have someone; the gaps with the content's reassurance, or the words for no gaps;
    the warm words when every answered support is a gap; and where to grow first with its small
    suggestion. Empty when no support was answered. Support ids the content no longer has are left out.
    """
    spec = load_activity_content("sharing_load", SharingLoadContent)
    givers = _saved_givers(spec, saved)
    # Only how each support stands is summarised, so the options are the ticked ids themselves.
    ticked = dict.fromkeys(option_id for chosen in givers.values() for option_id in chosen)
    source: Literal["map", "kinds"] = "map" if saved.get("options_from") == "map" else "kinds"
    options = GiverOptions(source=source, options=tuple((option_id, option_id) for option_id in ticked))
    result = coverage(spec, options, givers)
    if not result.answered:
        return []
    lines = [spec.covered_line.format(covered=len(result.covered), total=len(result.supports))]
    if result.gaps:
        gaps = ", ".join(item.support.name for item in result.gaps)
        lines.append(f"{spec.gaps_line.format(gaps=gaps)} {spec.gap_reassurance}")
    else:
        lines.append(spec.no_gaps_line)
    if result.no_support_yet:
        lines.append(spec.all_gaps)
    if result.grow_first is not None:
        grow = result.grow_first
        lines.append(f"{spec.grow_line.format(support=grow.name)} {grow.suggestion}")
    return lines


def _known_giver(map_spec: ConnectionMapContent, source: object, option_id: str) -> bool:
    """Whether ``option_id`` could have been offered: a kind of person, or a place on a map."""
    if option_id == NO_ONE_YET:
        return True
    if source == "kinds":
        return option_id in [kind.id for kind in map_spec.kinds]
    places = [f"{MAP_PREFIX}{number}" for number in range(1, map_spec.max_entries + 1)]
    return source == "map" and option_id in places


def _report_reading(
    spec: SharingLoadContent,
    map_spec: ConnectionMapContent,
    saved: Mapping[str, Any],
    connection_map: Mapping[str, Any] | None,
) -> tuple[Coverage, dict[str, str]]:
    """How the saved ticks stand, and the words for "who gives it" per support id.

    With ``connection_map``, the ticks are read back exactly as section 8's page
    reads them (:func:`giver_options`, then :func:`restorable_givers`), so the
    names are the map's as the page shows them. Without it, a support whose ticks
    could not have been offered reads as skipped, kinds of people keep the
    content's labels, and entries of the map are named by the content's generic
    words (``report.map_giver_one`` / ``report.map_givers_many``), never by name.
    """
    if connection_map is not None:
        options = giver_options(spec, map_spec, connection_map)
        result = coverage(spec, options, restorable_givers(spec, options, saved))
        return result, {item.support.id: ", ".join(item.givers) for item in result.supports}
    source = saved.get("options_from")
    givers = {
        support_id: chosen
        for support_id, chosen in _saved_givers(spec, saved).items()
        if all(_known_giver(map_spec, source, option_id) for option_id in chosen)
    }
    ticked = dict.fromkeys(option_id for chosen in givers.values() for option_id in chosen)
    options = GiverOptions(
        source="map" if source == "map" else "kinds",
        options=tuple((option_id, option_id) for option_id in ticked),
    )
    result = coverage(spec, options, givers)
    kind_labels = {kind.id: kind.label for kind in map_spec.kinds}
    who: dict[str, str] = {}
    for item in result.supports:
        if options.source == "kinds":
            who[item.support.id] = ", ".join(kind_labels[option_id] for option_id in item.givers)
        elif item.sources == 1:
            who[item.support.id] = spec.report.map_giver_one
        elif item.sources > 1:
            who[item.support.id] = spec.report.map_givers_many.format(count=item.sources)
        else:
            who[item.support.id] = ""
    return result, who


def _coverage_bars(spec: SharingLoadContent, result: Coverage) -> tuple[Bar, ...]:
    """The page's chart: how many give each support, gaps marked."""
    notes = {"gap": spec.gap_word, "skipped": spec.skipped_word, "covered": ""}
    return tuple(
        Bar(item.support.name, item.sources, highlight=item.status == "gap", note=notes[item.status])
        for item in result.supports
    )


def _coverage_rows(
    spec: SharingLoadContent, result: Coverage, who: Mapping[str, str]
) -> tuple[tuple[str, str, str, str], ...]:
    """The chart as a table: each support, who gives it, how many, and how it stands."""
    statuses = {"covered": spec.status_covered, "gap": spec.status_gap, "skipped": spec.status_skipped}
    return tuple(
        (
            item.support.name,
            who[item.support.id] or (spec.no_one_label if item.status == "gap" else spec.skipped_cell),
            str(item.sources),
            statuses[item.status],
        )
        for item in result.supports
    )


def _figure(spec: SharingLoadContent, result: Coverage, who: Mapping[str, str]) -> Figure:
    """Sources per support as bars, gaps marked, with who gives each in a table (documents: how many too)."""
    rows = _coverage_rows(spec, result, who)
    first, second, third = spec.table_headers
    return Figure(
        chart=Bars(spec.chart_title, spec.chart_unit, _coverage_bars(spec, result)),
        caption=spec.chart_caption,
        table=Table(spec.table_caption, (first, second, third), tuple((a, b, d) for a, b, _, d in rows)),
        document_table=Table(spec.table_caption, (first, second, spec.report.count_header, third), rows),
    )


def _reading_blocks(spec: SharingLoadContent, result: Coverage) -> list[Block]:
    """What the coverage says: covered, gaps, warm words, where to grow first, and an invitation."""
    blocks: list[Block] = [
        Paragraph(spec.covered_line.format(covered=len(result.covered), total=len(result.supports))),
    ]
    if result.gaps:
        gaps = ", ".join(item.support.name for item in result.gaps)
        blocks.append(Paragraph(f"{spec.gaps_line.format(gaps=gaps)} {spec.gap_reassurance}"))
    else:
        blocks.append(Paragraph(spec.no_gaps_line))
    if result.no_support_yet:
        blocks.append(Paragraph(spec.all_gaps, style="warm"))
    grow = result.grow_first
    if grow is not None:
        blocks.append(Heading(spec.grow_heading, style="grow"))
        blocks.append(Paragraph(f"{spec.grow_line.format(support=grow.name)} {grow.suggestion}"))
    if result.no_support_yet:
        # Documents print their crisis lines at their start and end, not after these words.
        blocks.append(Invitation(spec.support_invitation, spec.support_invitation, lines_in_document=False))
    return blocks


def feedback_blocks(
    spec: SharingLoadContent, result: Coverage, who: Mapping[str, str] | None = None
) -> list[Block]:
    """How the supports stand: on the page, in the take-home web page and in the PDF.

    Before any tick, a gentle prompt. Then sources per support as bars (gaps marked) with who
    gives each in a table; how many supports are covered; the gaps with the content's
    reassurance, or the words for no gaps; the warm words when every answered support is a gap;
    where to grow first with its suggestion; and, when no support has anyone yet, an invitation
    to reach out, with the crisis lines. ``who`` is the words for who gives each support (by
    support id); by default the names of the ticked choices.
    """
    if not result.answered:
        return [Paragraph(spec.nothing_yet)]
    if who is None:
        who = {item.support.id: ", ".join(item.givers) for item in result.supports}
    return [_figure(spec, result, who), *_reading_blocks(spec, result)]


def report_blocks(
    saved: Mapping[str, Any], *, connection_map: Mapping[str, Any] | None = None
) -> list[Block]:
    """The chart's caption, then the page's feedback (:func:`feedback_blocks`) with its headline in bold.

    Documents print its figure as the chart followed by a table with the same numbers, who gives each
    support and how it stands. Empty when no support was answered; tampered or outdated ticks read as
    skipped. Given ``connection_map`` (what section 4 keeps), the ticks are read exactly as section 8's
    page reads them when it opens again: someone no longer on the map (or ticks saved against other
    choices than the ones the page offers now) is left out, as on the page. Without it, those ticks
    are counted and named with the content's generic words ("Someone from my connection map"), never
    by name.
    """
    if not isinstance(saved, Mapping):
        return []
    spec = load_activity_content("sharing_load", SharingLoadContent)
    map_spec = load_activity_content("connection_map", ConnectionMapContent)
    result, who = _report_reading(spec, map_spec, saved, connection_map)
    if not result.answered:
        return []
    figure, headline, *reading = feedback_blocks(spec, result, who)
    if isinstance(headline, Paragraph):
        headline = replace(headline, style="strong")  # the take-home's headline, in bold
    return [Paragraph(spec.chart_caption, style="quiet"), figure, headline, *reading]


def worksheet_blocks() -> list[Block]:
    """Sharing the load as a paper form: for each support, kinds of people to tick and a line for names.

    The worksheet's intro; for each support its name and description, the page's question with the
    connection map's kinds of people and "No one yet" to tick, and a line for names or initials; then
    how to read the answers: a gap is not a failing (the content's reassurance), and the supports in
    the content's ``grow_order``, each with its small suggestion.
    """
    spec = load_activity_content("sharing_load", SharingLoadContent)
    map_spec = load_activity_content("connection_map", ConnectionMapContent)
    words = spec.worksheet
    choices = (*(kind.label for kind in map_spec.kinds if kind.id != NO_ONE_YET), spec.no_one_label)
    blocks: list[Block] = [Paragraph(words.intro)]
    for number, support in enumerate(spec.supports, start=1):
        blocks.extend(
            [
                Paragraph(f"{number}. {support.name}: {support.description}", style="strong"),
                Checklist(support.question, choices),
                WriteIn(words.names_label, lines=1),
            ]
        )
    by_id = {support.id: support for support in spec.supports}
    blocks.extend(
        [
            Heading(words.reading_heading),
            Paragraph(f"{words.reading_intro} {spec.gap_reassurance}"),
            Bullets(tuple(f"{by_id[s].name}: {by_id[s].suggestion}" for s in spec.grow_order)),
        ]
    )
    return blocks


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """How many in the group have someone, or no one yet, for each support.

    Only how each support stands is read, from the ticked ids: who was named (the names from someone's
    map) never reaches a figure. ``covered``: per support, how many ticked someone for it; ``gaps``: per
    support, how many ticked "no one yet". A skipped support counts in neither. ``[]`` when no one
    answered any support. A support whose ticks are not ids that could have been offered, or hold "no
    one yet" with someone else, reads as skipped.
    """
    spec = load_activity_content("sharing_load", SharingLoadContent)
    map_spec = load_activity_content("connection_map", ConnectionMapContent)
    covered = dict.fromkeys((support.id for support in spec.supports), 0)
    gaps = dict(covered)
    for saved in shared:
        if not isinstance(saved, Mapping):
            continue
        source = saved.get("options_from")
        for support_id, chosen in _saved_givers(spec, saved).items():
            if not chosen or not all(_known_giver(map_spec, source, option_id) for option_id in chosen):
                continue
            if chosen == [NO_ONE_YET]:
                gaps[support_id] += 1
            else:
                covered[support_id] += 1
    if not any(covered.values()) and not any(gaps.values()):
        return []
    return [
        figure("covered", spec.group.covered, "count", [(s.name, covered[s.id]) for s in spec.supports]),
        figure("gaps", spec.group.gaps, "count", [(s.name, gaps[s.id]) for s in spec.supports]),
    ]
