"""HTML for the parts every page shares: where you are, crisis resources, links.

Every piece of content text passes through :func:`html.escape`; the only markup
here is the fixed structure written in this module.
"""

from __future__ import annotations

from html import escape

from widgets.summary import SectionSummary
from widgets.workbook_content import SECTION_COUNT, Content, CrisisContent, Section


def _link(href: str, label_html: str) -> str:
    """Link to another page of the workbook, in the same tab.

    The address never names the participant: the browser's participant cookie does (see
    `widgets.participant`). JupyterLab's output renderer (which Voilà uses) gives links without a
    target ``target="_blank"``, so the target is set here.
    """
    return f'<a href="{escape(href)}" target="_self">{label_html}</a>'


def page_link(notebook: str, label_html: str) -> str:
    """A link to another page of the workbook."""
    return _link(notebook, label_html)


def guide_header(content: Content) -> str:
    """The top of the session guide: crisis resources, the framing line, and the facilitator page."""
    sections = content.sections
    return (
        f"{crisis_compact(content.crisis)}"
        f'<p class="rw-framing">{escape(content.workbook.framing)}</p>'
        '<span id="rw-main" tabindex="-1"></span>'
        f"<p>{_link(sections.facilitator_notebook, 'Open the facilitator page')}</p>"
    )


def crisis_compact(crisis: CrisisContent, landmark: bool = True) -> str:
    """Return one line of crisis resources: at the top of every page, and inside feedback.

    Only the page's own copy is a landmark; a repeat inside feedback is plain text,
    so a screen reader's list of landmarks names "Crisis support" once.
    """
    lines = " · ".join(f"<span>{escape(line.short)}</span>" for line in crisis.lines)
    body = f"<strong>{escape(crisis.compact_lead)}</strong> {lines}. {escape(crisis.emergency)}"
    if landmark:
        return f'<aside class="rw-crisis" aria-label="Crisis support">{body}</aside>'
    return f'<div class="rw-crisis">{body}</div>'


def crisis_full(crisis: CrisisContent) -> str:
    """Return the full list of crisis resources, for the welcome page."""
    items = "".join(
        f"<li><strong>{escape(line.name)}</strong> ({escape(line.region)}): {escape(line.how)}</li>"
        for line in crisis.lines
    )
    return (
        '<section class="rw-crisis-full" aria-labelledby="rw-crisis-heading">'
        f'<h2 id="rw-crisis-heading">{escape(crisis.heading)}</h2>'
        f"<p>{escape(crisis.intro)}</p><ul>{items}</ul>"
        f"<p><strong>{escape(crisis.emergency)}</strong></p></section>"
    )


def section_header(content: Content, section: Section) -> str:
    """Where the participant is, the framing line and the compact crisis resources."""
    return (
        '<div class="rw-header">'
        f'<p class="rw-where">Section {section.number} of {SECTION_COUNT}'
        f" · {escape(content.workbook.series)}</p>"
        f'<p class="rw-framing">{escape(content.workbook.framing)}</p>'
        f"{crisis_compact(content.crisis)}{_content_note(content, section)}</div>"
        # Where the skip link lands: just before the section's text.
        '<span id="rw-main" tabindex="-1"></span>'
    )


def _content_note(content: Content, section: Section) -> str:
    """A content note with a way to skip the section, where the section has one."""
    if section.content_note is None:
        return ""
    skip = ""
    if section.number < SECTION_COUNT:
        following = content.sections.by_number(section.number + 1)
        if following.notebook:
            skip = f"<p>{_link(following.notebook, f'Skip to section {following.number}')}</p>"
    return (
        '<div class="rw-content-note" role="note" aria-label="Content note">'
        f"<p><strong>Content note.</strong> {escape(section.content_note)}</p>{skip}</div>"
    )


def _section_link(section: Section, unavailable: str) -> str:
    label = f"Section {section.number}: {escape(section.title)}"
    if section.notebook is None:
        return f'<span class="rw-unavailable">{label} ({escape(unavailable)})</span>'
    return _link(section.notebook, label)


def section_nav(content: Content, section: Section) -> str:
    """Links to the previous and next pages."""
    sections = content.sections
    unavailable = content.workbook.toc_unavailable
    if section.number == 1:
        previous = _link(sections.welcome_notebook, "Welcome page")
    else:
        previous = _section_link(sections.by_number(section.number - 1), unavailable)
    parts = [f'<p class="rw-prev">Back: {previous}</p>']
    if section.number < SECTION_COUNT:
        following = sections.by_number(section.number + 1)
        parts.append(f'<p class="rw-next">Next: {_section_link(following, unavailable)}</p>')
    else:
        summary = _link(sections.summary_notebook, escape(content.workbook.summary.link_label))
        parts.append(f'<p class="rw-next">Next: {summary}</p>')
    parts.append(f'<p class="rw-home">{_link(sections.welcome_notebook, "All sections")}</p>')
    return f'<nav class="rw-nav" aria-label="Sections">{"".join(parts)}</nav>'


def welcome_intro(content: Content) -> str:
    """The welcome page's opening: crisis line, framing, what the workbook is."""
    workbook = content.workbook
    return (
        '<div class="rw-welcome">'
        f"{crisis_compact(content.crisis)}"
        f'<p class="rw-framing">{escape(workbook.framing)}</p>'
        '<span id="rw-main" tabindex="-1"></span>'
        f"<p>{escape(workbook.welcome.what_it_is)}</p>"
        f"<p>{escape(workbook.welcome.how_long)}</p>"
        f"<p>{escape(workbook.welcome.choice)}</p></div>"
    )


def welcome_contents(content: Content, started: frozenset[str] = frozenset()) -> str:
    """The start link and the table of contents, with the participant's progress per section."""
    workbook, sections = content.workbook, content.sections
    progress = workbook.progress
    items = []
    for section in sections.sections:
        state = progress.started if section.slug in started else progress.not_started
        items.append(
            f"<li>{_section_link(section, workbook.toc_unavailable)}"
            f'<br><span class="rw-toc-activity">Activity: {escape(section.activity)}</span>'
            f'<br><span class="rw-progress" data-started="{str(section.slug in started).lower()}">'
            f"{escape(state)}</span></li>"
        )
    first = sections.by_number(1)
    start = (
        f'<p class="rw-start">{_link(first.notebook, escape(workbook.start_label))}</p>'
        if first.notebook
        else ""
    )
    return (
        f"{start}"
        f'<nav aria-labelledby="rw-toc-heading"><h2 id="rw-toc-heading">{escape(workbook.toc_heading)}</h2>'
        f'<ol class="rw-toc">{"".join(items)}</ol>'
        f"<p>{_link(sections.summary_notebook, escape(workbook.summary.link_label))}</p></nav>"
    )


def welcome_privacy(content: Content, retention_days: int, backup_days: int) -> str:
    """What is kept, and where (the truth of this version), as a list.

    ``backup_days``: the longest a deleted workbook can remain in the store's backups.
    """
    privacy = content.workbook.privacy
    points = "".join(
        f"<li>{escape(point.format(retention_days=retention_days, backup_days=backup_days))}</li>"
        for point in privacy.points
    )
    return (
        f'<section aria-labelledby="rw-privacy-heading">'
        f'<h2 id="rw-privacy-heading">{escape(privacy.heading)}</h2><ul>{points}</ul></section>'
    )


def summary_page(content: Content, summaries: list[SectionSummary]) -> str:
    """The summary page below its title: each section with what its kept answers say."""
    summary = content.workbook.summary
    items = []
    for item in summaries:
        section = item.section
        title = (
            _link(section.notebook, f"Section {section.number}: {escape(section.title)}")
            if section.notebook
            else f"Section {section.number}: {escape(section.title)}"
        )
        lines = (
            "".join(f"<li>{escape(line)}</li>" for line in item.lines)
            if item.lines
            else f'<li class="rw-toc-activity">{escape(summary.section_empty)}</li>'
        )
        items.append(f"<li><strong>{title}</strong><ul>{lines}</ul></li>")
    nothing = "" if any(item.lines for item in summaries) else f"<p>{escape(summary.nothing_kept)}</p>"
    return (
        '<div class="rw-summary">'
        f"{crisis_compact(content.crisis)}"
        f'<p class="rw-framing">{escape(content.workbook.framing)}</p>'
        f'<span id="rw-main" tabindex="-1"></span><p>{escape(summary.intro)}</p>{nothing}'
        f'<ol class="rw-toc">{"".join(items)}</ol>'
        f'<nav class="rw-nav" aria-label="Sections"><p>'
        f"{_link(content.sections.welcome_notebook, 'All sections')}</p></nav></div>"
    )


_BUSY_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1f2328;background:#fff}"
    ".rw-crisis{background:#f3f6fb;border-left:4px solid #2f5d9b;padding:.5rem .75rem}"
    ".rw-leave-line{text-align:right;margin:0 0 .5rem}.rw-leave-line a{font-weight:700;color:#1f2328}"
    ".rw-framing{font-style:italic}"
    "a{color:#1f4f8f}"
)


def busy_page(content: Content, retry_seconds: int) -> str:
    """Return the whole page shown while every kernel is in use: it opens the page by itself after a wait.

    It is a complete document with no script and no request to any host: the server sends it when it
    has no kernel to give, so it cannot lean on Voilà's page.
    """
    busy = content.workbook.busy
    retrying = escape(busy.retrying).replace("{seconds}", str(int(retry_seconds)))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="refresh" content="{int(retry_seconds)}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(busy.title)}</title><style>{_BUSY_STYLE}</style></head><body>"
        # The page has no script, so "Leave quickly" is a plain link to the blank page (it shows no answers).
        '<p class="rw-leave-line"><a href="/workbook/away">Leave quickly</a></p>'
        f"{crisis_compact(content.crisis)}"
        f'<main><h1>{escape(busy.title)}</h1><p class="rw-framing">{escape(content.workbook.framing)}</p>'
        f'<p>{escape(busy.message)}</p><p role="status">{retrying}</p>'
        f'<p><a href="">{escape(busy.retry_now)}</a></p>{crisis_full(content.crisis)}</main></body></html>'
    )


def link_question_page(
    content: Content,
    *,
    base_url: str,
    code: str | None,
    own_ending: str | None,
    next_url: str,
    form_token: str,
) -> str:
    """Return the whole page a link with a workbook code opens, asking whether that workbook is yours.

    ``code`` is the link's code (``None`` when it is not a complete code: then the page opens nothing);
    ``own_ending`` ends the code of the workbook this browser has already, if any. Nothing of either
    workbook is on it. "Yes" is a form the browser posts to this server (``workbook/link``), which
    refuses any other site's (``form_token`` is the form's proof); "No" is a plain link to the page
    without the code. No script.
    """
    words = content.workbook.link_question
    root = base_url if base_url.endswith("/") else base_url + "/"
    parts = []
    if code is None:
        parts.append(f"<p>{escape(words.broken)}</p>")
        parts.append(f'<p><a href="{escape(next_url)}">{escape(words.go_on_label)}</a></p>')
    else:
        parts.append(f"<p>{escape(words.opens.format(ending=code[-4:]))}</p><p>{escape(words.why)}</p>")
        if own_ending:
            parts.append(f"<p>{escape(words.own_kept.format(ending=own_ending))}</p>")
        no_label = words.keep_label if own_ending else words.no_workbook_label
        parts.append(
            f'<form method="post" action="{escape(root)}workbook/link">'
            f'<input type="hidden" name="code" value="{escape(code)}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
            f'<input type="hidden" name="ask" value="{escape(form_token)}">'
            f'<p class="rw-choices"><a class="rw-choice" href="{escape(next_url)}">{escape(no_label)}</a>'
            f'<button class="rw-choice" type="submit">{escape(words.open_label)}</button></p></form>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f'<link rel="icon" href="data:;base64,="><title>{escape(words.title)}</title>'
        f"<style>{_BUSY_STYLE}{_CHOICE_STYLE}</style></head><body>"
        f'<p class="rw-leave-line"><a href="{escape(root)}workbook/away">Leave quickly</a></p>'
        f"{crisis_compact(content.crisis)}"
        f'<main><h1>{escape(words.title)}</h1><p class="rw-framing">{escape(content.workbook.framing)}</p>'
        f"{''.join(parts)}</main></body></html>"
    )


_CHOICE_STYLE = (
    ".rw-choices{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}"
    ".rw-choice{font:inherit;min-height:44px;padding:.5rem 1rem;border:2px solid #1f4f8f;border-radius:6px;"
    "background:#fff;color:#1f4f8f;text-decoration:none;display:inline-flex;align-items:center;cursor:pointer}"
    "button.rw-choice{background:#1f4f8f;color:#fff}"
)


def facilitator_only_page(content: Content, base_url: str = "/") -> str:
    """Return the whole page the server answers (403) for the facilitator page opened without its link.

    A complete document with no script and no request to any host: the server sends it instead of
    starting a kernel. It says who the page is for and links to the welcome page.
    """
    words = content.workbook.facilitator_only
    root = base_url if base_url.endswith("/") else base_url + "/"
    welcome = f"{root}voila/render/{content.sections.welcome_notebook}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f'<link rel="icon" href="data:;base64,="><title>{escape(words.title)}</title>'
        f"<style>{_BUSY_STYLE}</style></head><body>"
        f'<p class="rw-leave-line"><a href="{escape(root)}workbook/away">Leave quickly</a></p>'
        f"{crisis_compact(content.crisis)}"
        f'<main><h1>{escape(words.title)}</h1><p class="rw-framing">{escape(content.workbook.framing)}</p>'
        f"<p>{escape(words.message)}</p>"
        f'<p><a href="{escape(welcome)}">{escape(words.welcome_link)}</a></p></main></body></html>'
    )
