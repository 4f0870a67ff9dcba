"""The project's own files agree: dependencies, commands, Voilà settings, template."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import jinja2
import yaml
from packaging.requirements import Requirement

from widgets import load_content
from widgets.rendering.parts import page_template_words

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "share/jupyter/voila/templates/reconnection"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return {_normalise(r.name): str(r.specifier) for r in map(Requirement, requirements)}


def _environment_requirements() -> dict[str, str]:
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    found = {}
    for entry in environment["dependencies"]:
        specs = entry["pip"] if isinstance(entry, dict) else [entry]
        for spec in specs:
            requirement = Requirement(spec.replace(" ", ""))
            if requirement.name not in {"python", "pip"}:
                found[_normalise(requirement.name)] = str(requirement.specifier)
    return found


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_yml_uses_conda_forge():
    assert yaml.safe_load((REPO / "environment.yml").read_text())["channels"][0] == "conda-forge"


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text()
    first_block = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert "./workbook serve" in first_block
    assert "./workbook test" in first_block
    ci = (REPO / ".ci/run").read_text()
    assert re.search(r"^\./workbook test\b", ci, re.MULTILINE)


def test_voila_json_uses_the_workbook_template():
    settings = json.loads((REPO / "voila.json").read_text())
    assert settings["VoilaConfiguration"]["template"] == TEMPLATE.name
    assert settings["VoilaConfiguration"]["show_tracebacks"] is False
    assert json.loads((TEMPLATE / "conf.json").read_text())["base_template"] == "lab"


def test_template_names_no_outside_host():
    for path in TEMPLATE.iterdir():
        text = path.read_text()
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE), path.name


def test_folder_page_sends_people_to_the_welcome_notebook():
    """Both of Voilà's folder listings (lab's and classic's, which extends it) send people on, as rendered."""
    welcome = f"/workbook/voila/render/{load_content().sections.welcome_notebook}"
    # As Voilà renders them: its template folder, autoescaped, under the server's base URL, with the
    # page's words the workbook's Voilà gives its folder page (widgets.server.voila_app).
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE), autoescape=True)
    templates.globals["page_words"] = page_template_words
    words = load_content().workbook.page
    for name in ("tree.html", "tree-lab.html"):
        page = templates.get_template(name).render(base_url="/workbook/")
        assert f'<meta http-equiv="refresh" content="0; url={welcome}">' in page, name
        assert f'<a href="{welcome}">{words.open_workbook}</a>' in page, name


def test_workbook_lab_passes_its_options_to_jupyterlab():
    """`./workbook lab --allow-root --port N` reaches JupyterLab (it refuses root without the first)."""
    shown = subprocess.run(
        [str(REPO / "workbook"), "lab", "--allow-root", "--port", "9123", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", shown.stdout.strip()), shown.stdout
