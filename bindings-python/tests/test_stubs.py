"""The .pyi stubs match the runtime: every public name in a stub exists at
runtime and every public runtime name is in the stub; function and method
parameter names, kinds and defaults agree (stubs parsed with ``ast``,
runtime read with ``inspect.signature``)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
from pathlib import Path

import pytest

import kompetens

PACKAGE = Path(kompetens.__file__).resolve().parent
STUBS = sorted(PACKAGE.glob("*.pyi"))
PUBLIC_DUNDERS = {"__version__"}


def _module_name(stub: Path) -> str:
    return "kompetens" if stub.stem == "__init__" else f"kompetens.{stub.stem}"


def _public(name: str) -> bool:
    return not name.startswith("_") or name in PUBLIC_DUNDERS


def _stub_names(tree: ast.Module) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    names[t.id] = node
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname is not None and alias.asname == alias.name:  # explicit re-export
                    names[alias.name] = node
    return {k: v for k, v in names.items() if _public(k) and k != "__all__"}


def _runtime_names(module) -> set[str]:
    if hasattr(module, "__all__"):
        return set(module.__all__)
    return {n for n in vars(module) if _public(n) and not inspect.ismodule(getattr(module, n))}


def _stub_params(fn: ast.FunctionDef) -> list[tuple[str, str, bool]]:
    a = fn.args
    out = []
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        kind = "POSITIONAL_ONLY" if i < len(a.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        out.append((arg.arg, kind, i >= first_default))
    if a.vararg:
        out.append((a.vararg.arg, "VAR_POSITIONAL", False))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append((arg.arg, "KEYWORD_ONLY", default is not None))
    if a.kwarg:
        out.append((a.kwarg.arg, "VAR_KEYWORD", False))
    return out


def _runtime_params(fn) -> list[tuple[str, str, bool]]:
    sig = inspect.signature(fn)
    return [(p.name, p.kind.name, p.default is not inspect.Parameter.empty) for p in sig.parameters.values()]


def _decorators(fn: ast.FunctionDef) -> set[str]:
    return {d.id for d in fn.decorator_list if isinstance(d, ast.Name)}


def _class_runtime_members(cls) -> set[str]:
    names: set[str] = set()
    for base in cls.__mro__:
        if base.__module__ == "builtins":
            continue
        names.update(n for n in vars(base) if not n.startswith("_"))
        names.update(n for n in getattr(base, "__annotations__", {}) if not n.startswith("_"))
    if dataclasses.is_dataclass(cls):
        names.update(f.name for f in dataclasses.fields(cls))
    return names


def _check_function(stub_fn: ast.FunctionDef, runtime, where: str) -> list[str]:
    try:
        got = _runtime_params(runtime)
    except (TypeError, ValueError) as err:
        return [f"{where}: no runtime signature ({err})"]
    want = _stub_params(stub_fn)
    return [] if got == want else [f"{where}: stub {want} != runtime {got}"]


def _stub_bases(stub_cls: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> list[ast.ClassDef]:
    out = [stub_cls]
    for base in stub_cls.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            out += _stub_bases(classes[base.id], classes)
    return out


def _check_class(stub_cls: ast.ClassDef, cls, where: str, classes: dict[str, ast.ClassDef]) -> list[str]:
    problems = []
    stub_members: set[str] = set()
    for inherited in _stub_bases(stub_cls, classes)[1:]:
        for node in inherited.body:
            if isinstance(node, ast.FunctionDef):
                stub_members.add(node.name)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                stub_members.add(node.target.id)
    for node in stub_cls.body:
        if isinstance(node, ast.FunctionDef):
            stub_members.add(node.name)
            raw = None
            for base in cls.__mro__:
                if node.name in vars(base):
                    raw = vars(base)[node.name]
                    break
            if raw is None:
                problems.append(f"{where}.{node.name}: in the stub, not at runtime")
                continue
            decos = _decorators(node)
            if isinstance(raw, property):
                if "property" not in decos:
                    problems.append(f"{where}.{node.name}: a property at runtime, not in the stub")
                continue
            if "property" in decos:
                problems.append(f"{where}.{node.name}: a property in the stub, not at runtime")
                continue
            if isinstance(raw, classmethod):
                if "classmethod" not in decos:
                    problems.append(f"{where}.{node.name}: a classmethod at runtime only")
                raw = raw.__func__
            elif isinstance(raw, staticmethod):
                raw = raw.__func__
            problems += _check_function(node, raw, f"{where}.{node.name}")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stub_members.add(node.target.id)
            if node.target.id not in _class_runtime_members(cls) and not hasattr(cls, node.target.id):
                problems.append(f"{where}.{node.target.id}: in the stub, not at runtime")
    for name in sorted(_class_runtime_members(cls) - stub_members):
        problems.append(f"{where}.{name}: at runtime, not in the stub")
    return problems


def test_every_public_module_has_a_stub():
    stubs = {p.stem for p in STUBS}
    modules = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")} | {"__init__"}
    assert modules <= stubs, modules - stubs
    assert (PACKAGE / "py.typed").exists()


def test_native_module_has_a_stub():
    assert "_native" in {p.stem for p in STUBS}


@pytest.mark.parametrize("stub", STUBS, ids=[p.stem for p in STUBS])
def test_stub_matches_runtime(stub: Path):
    module = importlib.import_module(_module_name(stub))
    tree = ast.parse(stub.read_text(encoding="utf-8"), filename=str(stub))
    names = _stub_names(tree)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    problems = []
    runtime = _runtime_names(module)
    for name in sorted(set(names) - runtime):
        problems.append(f"{name}: in the stub, not public at runtime")
    for name in sorted(runtime - set(names)):
        problems.append(f"{name}: public at runtime, not in the stub")
    for name, node in names.items():
        if not hasattr(module, name):
            continue
        obj = getattr(module, name)
        if isinstance(node, ast.FunctionDef):
            if not callable(obj) or inspect.isclass(obj):
                problems.append(f"{name}: a function in the stub, not at runtime")
            else:
                problems += _check_function(node, obj, name)
        elif isinstance(node, ast.ClassDef):
            if not inspect.isclass(obj):
                problems.append(f"{name}: a class in the stub, not at runtime")
            else:
                problems += _check_class(node, obj, name, classes)
    assert not problems, "\n".join(problems)


def test_reexports_in_init_stub_point_to_the_same_objects():
    tree = ast.parse((PACKAGE / "__init__.pyi").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            source = importlib.import_module(f"kompetens.{node.module}")
            for alias in node.names:
                assert getattr(kompetens, alias.name) is getattr(source, alias.name), alias.name
