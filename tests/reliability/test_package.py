"""The reliability package's shape: what the README lists imports, no private name crosses."""

from __future__ import annotations

import ast
import re

import workbench.reliability
from tests.conftest import REPO

PACKAGE = REPO / "workbench" / "reliability"


def readme_section(title: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def public_functions() -> set[str]:
    """Names of the public functions and classes defined at the top of the package's modules."""
    names = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            kinds = (ast.FunctionDef, ast.ClassDef)
            if isinstance(node, kinds) and not node.name.startswith("_"):
                names.add(node.name)
    return names


def test_every_statistic_the_readme_lists_imports_from_the_package():
    # The issue: unitizing_alpha, unitizing_alpha_ci and unitizing_alpha_2004 were named in
    # the README's "Reliability statistics" but could not be imported from
    # workbench.reliability. Every function or class of the package that the section names in
    # backticks must be exported (column names and options in backticks are not functions).
    quoted = set(re.findall(r"`([A-Za-z_0-9]+)[(`]", readme_section("Reliability statistics")))
    listed = quoted & public_functions()
    assert {"unitizing_alpha", "unitizing_alpha_ci", "unitizing_alpha_2004", "alpha_ci"} <= listed
    for name in listed:
        assert name in workbench.reliability.__all__, f"`{name}` is not in __all__"
        assert getattr(workbench.reliability, name) is not None


def test_no_module_imports_another_modules_private_names():
    # Shared helpers are public names of the private modules _data, _interval and _spans.
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workbench"):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
