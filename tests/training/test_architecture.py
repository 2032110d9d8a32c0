"""The dependency rules of ../shared/DESIGN.md, read from the source: apps and the rooms of
`courses` import each other one way only, and no modules import each other in a circle.

Imports are read with `ast`, so nothing is imported to check them. An import inside a function
runs when the function does ("lazy"); one at module level (class bodies included, `if
TYPE_CHECKING:` blocks excluded) runs when the module is imported, and only those can make an
import circle.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("training", "volunteers", "courses", "certificates", "notifications")
ROOMS = (
    "authoring",
    "learning",
    "quizzes",
    "reports",
    "translation",
    "evaluations",
    "live",
    "transfer",
    "demo",
)

# Which apps each app may import (anywhere in it). `training` is the ground floor: it imports the
# apps only to wire their URLs and the demo.
APP_USES = {
    "training": set(),
    "volunteers": {"training"},
    "courses": {"training", "volunteers"},
    "certificates": {"training", "volunteers", "courses"},
    # Mail reaches it through Django's EMAIL_BACKEND setting and notifications through
    # `training.notices` (it plugs its backend in at ready()), so no app imports it; it uses the
    # worker and scheduler of `training` and the volunteer register of `volunteers`.
    "notifications": {"training", "volunteers"},
}
TRAINING_WIRING = {"training.urls", "training.demo", "training.management.commands.seed_demo"}

# Which rooms of `courses` each room may import at module level. Learning reads quiz outcomes
# only through registries that `CoursesConfig.ready()` fills, so quizzes may use learning.
ROOM_USES = {
    "authoring": set(),
    "learning": {"authoring"},
    "quizzes": {"authoring", "learning"},
    "translation": {"authoring"},
    # The evaluation holds a completion back through learning's gate registry, never the reverse.
    "evaluations": {"authoring", "learning"},
    # Live sessions belong to runs (learning) and hold a completion back through its gate registry.
    "live": {"authoring", "learning"},
    "reports": {"authoring", "learning", "quizzes", "live"},
    # Course packages write and read pages (authoring) and the bank questions their quizzes use.
    "transfer": {"authoring", "quizzes"},
    "demo": set(ROOMS),
}
# Imports inside functions that cross rooms against the order above, each with its reason.
LAZY_ROOM_IMPORTS = {
    # A course, module or lesson page shows the reader's outline: asked for while serving a request.
    ("courses.authoring.models", "courses.learning.outlines"),
}


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


MODULES = project_modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, names: list[str]) -> list[str]:
    """The project modules an import statement loads (a name may be a submodule)."""
    found = []
    for name in names:
        if f"{module}.{name}" in MODULES:
            found.append(f"{module}.{name}")
        elif module in MODULES:
            found.append(module)
    return found


def imports_of(module: str, path: Path) -> Iterator[tuple[str, bool]]:
    """(imported project module, at module level) for every import in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, module_level: bool) -> Iterator[tuple[str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield from ((found, module_level) for found in _resolve(alias.name, [""]) if found)
                    if alias.name in MODULES:
                        yield alias.name, module_level
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for found in _resolve(base, [alias.name for alias in child.names]):
                    yield found, module_level
            else:
                lazy = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                yield from visit(child, module_level and not lazy)

    yield from visit(ast.parse(path.read_text()), True)


IMPORTS = {module: sorted(set(imports_of(module, path))) for module, path in MODULES.items()}


def app_of(module: str) -> str:
    return module.split(".")[0]


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "courses" and len(parts) > 1 and parts[1] in ROOMS else None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle in the graph, as the list of its nodes back to the first, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def module_level_graph() -> dict[str, set[str]]:
    return {
        module: {target for target, module_level in found if module_level and target != module}
        for module, found in IMPORTS.items()
    }


def test_the_cycle_finder_finds_a_circle_and_passes_a_line():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_reader_sees_lazy_and_module_level_imports():
    found = dict(IMPORTS["courses.authoring.models"])
    assert found["courses.authoring.blocks"] is True
    assert found["courses.learning.outlines"] is False


def test_no_modules_import_each_other_in_a_circle():
    assert find_cycle(module_level_graph()) is None


def test_no_apps_or_rooms_import_each_other_in_a_circle():
    graph: dict[str, set[str]] = {}
    for module, targets in module_level_graph().items():
        if module in TRAINING_WIRING:  # the site's composition root: it gathers every app
            continue
        unit = room_of(module) or app_of(module)
        for target in targets:
            target_unit = room_of(target) or app_of(target)
            if target_unit != unit:
                graph.setdefault(unit, set()).add(target_unit)
    # `courses` itself (models, apps, admin hooks) gathers its rooms; no room imports it back.
    assert find_cycle(graph) is None, graph


def test_apps_import_each_other_one_way():
    wrong = [
        f"{module} imports {target}"
        for module, found in IMPORTS.items()
        for target, _level in found
        if app_of(target) != app_of(module)
        and app_of(target) not in APP_USES[app_of(module)]
        and module not in TRAINING_WIRING
    ]
    assert wrong == []


def test_rooms_of_courses_import_each_other_one_way():
    wrong = []
    for module, found in IMPORTS.items():
        room = room_of(module)
        for target, module_level in found:
            target_room = room_of(target)
            if room is None or target_room in (None, room) or target_room in ROOM_USES[room]:
                continue
            if not module_level and (module, target) in LAZY_ROOM_IMPORTS:
                continue
            wrong.append(f"{module} imports {target}" + ("" if module_level else " (in a function)"))
    assert wrong == []


def test_rooms_import_models_from_the_room_that_owns_them():
    """`courses.models` gathers the models for Django and for other apps; inside `courses` a room
    imports from the owner, so its dependencies show."""
    wrong = [
        module
        for module, found in IMPORTS.items()
        if room_of(module) and any(target == "courses.models" for target, _level in found)
    ]
    assert wrong == []


def test_no_python_file_outside_migrations_is_over_600_lines():
    """A file past 600 lines holds more than one idea; split it along them."""
    files = [
        path
        for folder in (*APPS, "tests", "bench", "loadtest", "scripts")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(files) > 100
    long = {
        str(path.relative_to(ROOT)): n for path in files if (n := len(path.read_text().splitlines())) > 600
    }
    assert long == {}


def test_the_root_of_courses_holds_only_the_wiring_of_its_rooms():
    """Features live in rooms; the root gathers models, configures the app and registers admin hooks."""
    root = {path.name for path in (ROOT / "courses").iterdir() if path.suffix == ".py" or path.is_dir()}
    root -= {"__pycache__"}
    assert root == {
        "__init__.py",
        "apps.py",
        "models.py",
        "wagtail_hooks.py",
        "migrations",
        "templatetags",
        # Django finds an app's commands only in <app>/management/commands (course_export, course_import).
        "management",
        *ROOMS,
    }
