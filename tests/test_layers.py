"""The layers of the code, checked on every module, including the ones added later.

The import contracts in pyproject.toml (`lint-imports`, run by `.ci/run`) name packages; this test
gives every module of the four apps a floor, fails on a module no rule places (so that a new
module must be placed, not forgotten), on an import that climbs to a higher floor, on a circle
of imports, and on an import written inside a function without a reason. The floors are drawn in
the README's "Layout" section.
"""

import ast
import re
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("college", "candidates", "employers", "assessments")

# (floor, name, pattern): the first pattern that matches a module's dotted name places it.
FLOORS = [
    (11, "shell", r"^college(\.(settings|urls|api_urls|views|apps|admin|wsgi|asgi))?$"),
    (11, "shell", r"^college\.(management|templatetags|demo)(\.|$)"),
    (11, "shell", r"^(candidates|employers|assessments)(\.(urls|apps|admin)(\..+)?)?$"),
    (11, "shell", r"^(candidates|employers|assessments)\.(management|migrations)(\.|$)"),
    (11, "shell", r"^college\.migrations(\.|$)"),
    (11, "shell", r"^assessments\.(demo|simulation|bank)$"),
    (0, "college models", r"^college\.models(\.|$)"),
    (1, "core", r"^college\.core(\.|$)"),
    (2, "apps' models", r"^(candidates|employers|assessments)\.models$"),
    (3, "reference", r"^college\.reference(\.|$)"),
    (7, "matches", r"^candidates\.matches(\.|$)"),
    (7, "shortlists", r"^employers\.shortlists(\.|$)"),
    (4, "job-seekers' data", r"^candidates(\.|$)"),
    (5, "employers", r"^employers(\.|$)"),
    (5, "practice tests", r"^assessments(\.|$)"),
    (5, "training", r"^college\.training(\.|$)"),
    (6, "engine", r"^college\.matching(\.|$)"),
    (8, "guidance", r"^college\.guidance(\.|$)"),
    (9, "intake", r"^college\.intake(\.|$)"),
    (10, "insights", r"^college\.insights(\.|$)"),
]


def place(module):
    for floor, name, pattern in FLOORS:
        if re.search(pattern, module):
            return floor, name
    return None


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*APPS, include_external_packages=False)


def test_every_module_has_a_floor(graph):
    unplaced = sorted(module for module in graph.modules if place(module) is None)
    assert not unplaced, f"Place these modules in tests/test_layers.py FLOORS: {unplaced}"


def test_no_module_imports_a_higher_floor_or_a_neighbour_on_its_own(graph):
    climbing = []
    for importer in sorted(graph.modules):
        importer_floor, importer_name = place(importer)
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            imported_floor, imported_name = place(imported)
            if imported_floor > importer_floor or (
                # Features on one floor stand side by side: employers, practice tests and
                # training never import each other; neither do matches and shortlists.
                imported_floor == importer_floor
                and imported_name != importer_name
                and importer_floor in (5, 7)
            ):
                climbing.append(f"{importer} ({importer_name}) -> {imported} ({imported_name})")
    assert not climbing, "Imports against the layers:\n" + "\n".join(climbing)


def test_there_is_no_circle_of_imports(graph):
    # Tarjan's strongly connected components over the modules' direct imports.
    index, low, stack, on_stack, circles = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for child in graph.find_modules_directly_imported_by(node):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    # A package's __init__ re-exporting its own modules is not a circle anyone has to follow.
    circles = [c for c in circles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c)]
    assert not circles, f"Import circles: {circles}"


def _reason(lines, lineno):
    """The "# Imported here" comment heading the block of imports that holds line `lineno`."""
    index = lineno - 2
    while index >= 0:
        line = lines[index].strip()
        if line.startswith("# Imported here"):
            return line
        if not line or line.startswith(("from ", "import ", ")", "#")) or line.endswith(","):
            index -= 1
            continue
        break
    return ""


def _function_imports():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text()
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        names = (
                            [inner.module or ""]
                            if isinstance(inner, ast.ImportFrom)
                            else [alias.name for alias in inner.names]
                        )
                        if any(name.split(".")[0] in APPS for name in names):
                            yield path.relative_to(ROOT), inner.lineno, _reason(lines, inner.lineno)


def test_imports_inside_functions_say_why():
    """An import of the project's own code inside a function hides a dependency from the top
    of the file; the few that remain say why on the line above ("# Imported here: …")."""
    silent = [f"{path}:{line}" for path, line, reason in _function_imports() if not reason]
    assert not silent, "Imports inside functions without a reason:\n" + "\n".join(silent)
