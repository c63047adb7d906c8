"""The apps are layers: each imports only from the layers before it.

newsroom -> accounts -> articles -> alerts and paywall (which do not import each other). The
project URLconf and the process entry points sit above them all. Every import counts, those
inside functions too; migrations and tests are exempt. Nothing but the tests imports tests/:
what the benchmarks share with them lives in support/.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = {"newsroom": 0, "accounts": 1, "articles": 2, "alerts": 3, "paywall": 3}
ENTRY_POINTS = {"newsroom/urls.py", "newsroom/wsgi.py", "newsroom/celery.py"}


def imported_packages(source: str) -> set[str]:
    """The top-level packages that a module's source imports, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names}
    return found


def imported_apps(source: str) -> set[str]:
    return imported_packages(source) & ORDER.keys()


def layer_violations(app: str, source: str) -> set[str]:
    """The apps `app` may not import but does: later layers, and its own layer's others."""
    return {
        other for other in imported_apps(source) if other != app and ORDER[other] >= ORDER[app]
    }


def app_modules():
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and relative not in ENTRY_POINTS:
                yield app, relative


@pytest.mark.parametrize(("app", "module"), list(app_modules()))
def test_module_imports_only_from_earlier_layers(app, module):
    source = (ROOT / module).read_text()
    assert layer_violations(app, source) == set(), f"{module} imports against the layers"


@pytest.mark.parametrize(
    "module",
    [
        path.relative_to(ROOT).as_posix()
        for folder in ("bench", "support", *ORDER)
        for path in sorted((ROOT / folder).rglob("*.py"))
    ],
)
def test_only_the_tests_import_the_tests(module):
    assert "tests" not in imported_packages((ROOT / module).read_text()), module


@pytest.mark.parametrize(
    ("app", "source", "violations"),
    [
        ("accounts", "from articles.models import Comment", {"articles"}),
        ("articles", "def f():\n    from paywall.access import Access", {"paywall"}),
        ("alerts", "import paywall.services", {"paywall"}),
        ("paywall", "from alerts import tasks", {"alerts"}),
        ("newsroom", "from accounts.backends import cached_user_forget", {"accounts"}),
        ("paywall", "from articles.models import Article\nfrom accounts import x", set()),
        ("alerts", "from django.db import models\nfrom . import conf", set()),
    ],
)
def test_the_check_sees_every_kind_of_import(app, source, violations):
    assert layer_violations(app, source) == violations
