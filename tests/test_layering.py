"""The apps import one way, and no module imports itself round a circle.

    core ← accounts ← sync ← clients ← deals ← documents ← targets ← reports ← integrations ← demo

An app may import its own modules and any app to its left, never one to its right; core
imports no app; nothing imports demo; salesdept (settings, urls, celery, wsgi) is the roof
and no app imports it. Imports inside functions count: they are how a dependency hides."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core",
    "accounts",
    "sync",
    "clients",
    "deals",
    "documents",
    "targets",
    "reports",
    "integrations",
    "demo",
]
ROOF = "salesdept"


def _modules() -> dict[str, Path]:
    found = {}
    for package in [*LAYERS, ROOF]:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, at any depth."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    result = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            result.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            result.append((node.lineno, target))
            # ``from package import module`` imports a module too.
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    result.append((node.lineno, f"{target}.{alias.name}"))
    return result


def _layer(module: str) -> str:
    return module.split(".")[0]


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def upward_imports(modules: dict[str, Path] = MODULES) -> list[str]:
    problems = []
    for module, path in sorted(modules.items()):
        here = _layer(module)
        if here == ROOF or "migrations" in module.split("."):
            continue
        for line, target in _imports(module, path):
            there = _layer(target)
            if there == ROOF and target != "salesdept.celery":
                problems.append(f"{_shown(path)}:{line} imports {target} (the roof)")
            elif there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                problems.append(f"{_shown(path)}:{line} imports {target} ({there} is above {here})")
    return problems


def import_cycles(modules: dict[str, Path] = MODULES) -> list[list[str]]:
    graph = {
        module: sorted(
            {target for _, target in _imports(module, path) if target in modules and target != module}
        )
        for module, path in modules.items()
    }
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for successor in graph[node]:
            if state.get(successor) == "open":
                cycles.append(stack[stack.index(successor) :] + [successor])
            elif successor not in state:
                visit(successor)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_apps_import_only_downward():
    assert upward_imports() == []


def test_no_module_imports_itself_round_a_circle():
    assert import_cycles() == []


def test_the_layering_check_catches_an_upward_import_inside_a_function(tmp_path):
    bad = tmp_path / "helpers.py"
    bad.write_text("def f():\n    from reports.models import ReportRun\n    return ReportRun\n")
    problems = upward_imports({"clients.helpers": bad})
    assert problems == [f"{bad}:2 imports reports.models (reports is above clients)"]


@pytest.mark.parametrize("module", ["core.api", "core.charts", "core.filters", "core.exports", "core.money"])
def test_core_imports_no_app(module):
    assert all(_layer(target) not in LAYERS[1:] for _, target in _imports(module, MODULES[module]))
