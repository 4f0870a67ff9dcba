"""The parts every page shares: where you are, crisis resources, links, and the server's own pages.

Each is a template in ``widgets/rendering/templates/`` (``shell/`` and ``server/``); this module gives
them the data they need and returns markup in which every piece of content text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from widgets.content_files import DEFAULT_LOCALE, content_dir, locales
from widgets.rendering import Markup, render, trusted
from widgets.summary import SectionSummary
from widgets.workbook_content import SECTION_COUNT, Content, CrisisContent, Section, load_content


def page_link(notebook: str, label: str) -> Markup:
    """A link to another page of the workbook, in the same tab.

    The address never names the participant: the browser's participant cookie does (see
    `widgets.participant`). ``label`` is text unless it is already markup.
    """
    return render("shell/link.html", href=notebook, label=label)


def guide_header(content: Content) -> Markup:
    """The top of the session guide: crisis resources, the framing line, and the facilitator page."""
    return render("shell/guide_header.html", content=content)


def crisis_compact(crisis: CrisisContent, landmark: bool = True) -> Markup:
    """Return one line of crisis resources: at the top of every page, and inside feedback.

    Only the page's own copy is a landmark; a repeat inside feedback is plain text,
    so a screen reader's list of landmarks names "Crisis support" once.
    """
    return render("shell/crisis_compact.html", crisis=crisis, landmark=landmark)


def crisis_full(crisis: CrisisContent) -> Markup:
    """Return the full list of crisis resources, for the welcome page."""
    return render("shell/crisis_full.html", crisis=crisis)


def _neighbour(content: Content, number: int) -> Section | None:
    return content.sections.by_number(number) if 1 <= number <= SECTION_COUNT else None


def section_header(content: Content, section: Section) -> Markup:
    """Where the participant is, the framing line, the compact crisis resources and any content note.

    In a translation, a line says the article below is the workbook's translation, with a link to the
    original: the same page in the language the article was written in.
    """
    original = None
    if content.locale != DEFAULT_LOCALE and section.notebook:
        original = language_href(content.locale, DEFAULT_LOCALE, section.notebook)
    return render(
        "shell/section_header.html",
        content=content,
        section=section,
        section_count=SECTION_COUNT,
        following=_neighbour(content, section.number + 1),
        original_href=original,
    )


def section_nav(content: Content, section: Section) -> Markup:
    """Links to the previous and next pages (welcome page before section 1, summary after the last)."""
    return render(
        "shell/section_nav.html",
        content=content,
        previous=_neighbour(content, section.number - 1),
        following=_neighbour(content, section.number + 1),
    )


def welcome_intro(content: Content) -> Markup:
    """The welcome page's opening: crisis line, framing, what the workbook is."""
    return render("shell/welcome_intro.html", content=content)


def welcome_contents(content: Content, started: frozenset[str] = frozenset()) -> Markup:
    """The start link and the table of contents, with the participant's progress per section."""
    return render("shell/welcome_contents.html", content=content, started=started)


def welcome_privacy(content: Content, retention_days: int, backup_days: int) -> Markup:
    """What is kept, and where (the truth of this version), as a list.

    ``backup_days``: the longest a deleted workbook can remain in the store's backups.
    """
    return render(
        "shell/welcome_privacy.html", content=content, retention_days=retention_days, backup_days=backup_days
    )


def summary_page(content: Content, summaries: Sequence[SectionSummary]) -> Markup:
    """The summary page below its title: each section with what its kept answers say."""
    return render("shell/summary_page.html", content=content, summaries=summaries)


def _root(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def busy_page(content: Content, retry_seconds: int) -> Markup:
    """Return the whole page shown while every kernel is in use: it opens the page by itself after a wait.

    It is a complete document with no script and no request to any host: the server sends it when it
    has no kernel to give, so it cannot lean on Voilà's page.
    """
    return render(
        "server/busy.html",
        content=content,
        title=content.workbook.busy.title,
        root="/",
        retry_seconds=int(retry_seconds),
    )


def link_question_page(
    content: Content,
    *,
    base_url: str,
    code: str | None,
    own_ending: str | None,
    next_url: str,
    form_token: str,
) -> Markup:
    """Return the whole page a link with a workbook code opens, asking whether that workbook is yours.

    ``code`` is the link's code (``None`` when it is not a complete code: then the page opens nothing);
    ``own_ending`` ends the code of the workbook this browser has already, if any. Nothing of either
    workbook is on it. "Yes" is a form the browser posts to this server (``workbook/link``), which
    refuses any other site's (``form_token`` is the form's proof); "No" is a plain link to the page
    without the code. No script.
    """
    words = content.workbook.link_question
    return render(
        "server/link_question.html",
        content=content,
        title=words.title,
        words=words,
        root=_root(base_url),
        code=code,
        own_ending=own_ending,
        next_url=next_url,
        form_token=form_token,
    )


def facilitator_only_page(content: Content, base_url: str = "/") -> Markup:
    """Return the whole page the server answers (403) for the facilitator page opened without its link.

    A complete document with no script and no request to any host: the server sends it instead of
    starting a kernel. It says who the page is for and links to the welcome page.
    """
    return render(
        "server/facilitator_only.html",
        content=content,
        title=content.workbook.facilitator_only.title,
        root=_root(base_url),
    )


def page_template_words(locale: str = DEFAULT_LOCALE) -> dict[str, Markup]:
    """The page's own words for the Voilà page template (``reconnection/index.html.j2``), escaped.

    nbconvert's Jinja environment does not escape, so the words come escaped from here. An apostrophe
    is left as written: the template puts them in text and double-quoted attributes only, where it is
    safe, and the page stays as it was byte for byte. ``locale`` is the page's language, as its
    notebook says it (a language the workbook lacks gets the first one's words).
    """
    words = load_content(content_dir(_known(locale))).workbook.page
    return {
        name: Markup(html.escape(getattr(words, name), quote=False).replace('"', "&quot;"))
        for name in (
            "leave_quickly",
            "leave_quickly_hint",
            "skip_to_content",
            "loading",
            "reconnecting",
            "typing_not_put_back",
            "open_workbook",
        )
    }


def _known(locale: str) -> str:
    return locale if locale in locales() else DEFAULT_LOCALE


def language_href(page_locale: str, target: str, notebook: str) -> str:
    """The address of ``notebook`` in ``target``'s language, from a page in ``page_locale``'s.

    The first language's notebooks are in ``notebooks/``, each other's in ``notebooks/LANG/``, under the
    same names; ``?lang=`` says the person chose it, so the server does not send them back.
    """
    up = "" if page_locale == DEFAULT_LOCALE else "../"
    folder = "" if target == DEFAULT_LOCALE else f"{target}/"
    return f"{up}{folder}{notebook}?lang={target}"


def language_switch(page_locale: str, notebook: str) -> Markup:
    """The switch to this page in every language the workbook has, each named in its own language.

    ``notebook`` is the page's file name (``01-hidden-weight.ipynb``). The page's own language is shown
    but not a link.
    """
    page_locale = _known(page_locale)
    choices = [
        {
            "locale": locale,
            "name": load_content(content_dir(locale)).workbook.page.language_name,
            "href": language_href(page_locale, locale, notebook),
            "current": locale == page_locale,
        }
        for locale in locales()
    ]
    label = load_content(content_dir(page_locale)).workbook.page.languages_nav
    return render("shell/languages.html", choices=choices, label=label)


def device_welcome(content: Content, started: frozenset[str], served_url: str = "") -> Markup:
    """The server-free edition's welcome.

    The opening, that group rooms need a server (and where the practice's served workbook is, if it set
    one), and the contents with the reader's progress.
    """
    return render("shell/device_welcome.html", content=content, started=started, served_url=served_url)


def static_site_page(
    content: Content, root: str, pages: Sequence[dict[str, object]], site: dict[str, object]
) -> str:
    """The server-free edition's whole page in ``content``'s language (see ``static/site.html``).

    ``pages``: each page's ``name``, ``title``, ``languages`` (its language switch) and ``cells`` (the
    article's text as markup, made from the notebook's Markdown at build time, or a code cell's place).
    ``site``: what the page's script reads (each page's code cells), written as JSON safe in a script.
    """
    from widgets.rendering.styles import page_styles

    styles = trusted(page_styles(), why="the workbook's own stylesheets, gathered from its files")
    return str(render("static/site.html", content=content, root=root, pages=pages, site=site, styles=styles))


def static_away_page(content: Content) -> str:
    """The blank page "Leave quickly" opens in the server-free edition."""
    return str(render("static/away.html", locale=content.locale, title=content.workbook.page.leave_quickly))
