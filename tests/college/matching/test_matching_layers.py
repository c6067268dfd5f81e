"""The engine's modules import only the apps' models, core and reference, and each other in one
order (no circle), all at the top of the module."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "college" / "matching"
# Bottom to top: a module may import only the ones before it.
ORDER = ["score", "explain", "steps", "load", "match", "pool", "sql", "rankings"]
ALLOWED = (
    "college.models",
    "college.core",
    "college.reference",
    "candidates.models",
    "employers.models",
    "assessments.models",
)
OURS = ("college", "candidates", "employers", "assessments")
# Every module of the package, the ones added later included: those not in ORDER sit above it.
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name


@pytest.mark.parametrize("name", MODULES)
def test_an_engine_module_imports_only_what_lies_below_it(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    below = ORDER[: ORDER.index(name)] if name in ORDER else ORDER
    for _node, module in imports(tree):
        if module.split(".")[0] not in OURS:
            continue
        if module.startswith("college.matching"):
            assert module.removeprefix("college.matching.") in below, (name, module)
        else:
            assert module.startswith(ALLOWED), (name, module)


@pytest.mark.parametrize("name", [name for name in MODULES if name != "__init__"])
def test_an_engine_module_imports_at_its_top(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    assert all(id(node) in top for node, _module in imports(tree)), name
