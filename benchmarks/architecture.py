"""Print four figures of the shape of the code in the tree this script is run in:

1. import cycles: strongly connected components of more than one module in the import graph
   of the packages `pipeline`, `lexicon` and `app_pages` (grimp, installed by import-linter);
2. the longest function (name, file, lines) in those packages and app.py, and how many
   functions are longer than 60 lines;
3. duplicate pairs: the sum of the pair counts of `duplicates --repo <tree>/<package>
   --most 200` over pipeline, lexicon and app_pages (the `duplicates` command of this
   machine; 'n/a' without it);
4. the deepest import chain: the longest path of modules in the import graph (in its
   condensation, where every cycle counts as one step).

Usage (from the root of a checkout, or with the checkout as argument):
    .venv/bin/python benchmarks/architecture.py [TREE]

No timings: these are counts of the code, the same on every machine. `long_functions` is
also used by tests/test_function_length.py to keep every function at 60 lines or fewer.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("pipeline", "lexicon", "app_pages")
LIMIT = 60


@dataclass(frozen=True)
class Function:
    path: str      # relative to the tree
    name: str      # Class.method or function
    lines: int

    def __str__(self) -> str:
        return f"{self.path}:{self.name} ({self.lines} lines)"


def python_files(tree: Path) -> list[Path]:
    """The .py files of the packages and app.py (package data such as models/ excluded)."""
    files = [p for package in PACKAGES if (tree / package).is_dir()
             for p in sorted((tree / package).rglob("*.py")) if "__pycache__" not in p.parts]
    return files + ([tree / "app.py"] if (tree / "app.py").is_file() else [])


def functions(path: Path, tree: Path) -> list[Function]:
    """Every function and method of a file with its length (def line to last line)."""
    out: list[Function] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                out.append(Function(str(path.relative_to(tree)), name,
                                    child.end_lineno - child.lineno + 1))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return out


def long_functions(tree: Path, limit: int = LIMIT) -> list[Function]:
    """Functions longer than `limit` lines, longest first."""
    found = [f for path in python_files(tree) for f in functions(path, tree) if f.lines > limit]
    return sorted(found, key=lambda f: (-f.lines, f.path, f.name))


def import_graph(tree: Path) -> dict[str, set[str]]:
    """module -> modules of the packages it imports (grimp, top-level and function-level)."""
    import grimp

    sys.path.insert(0, str(tree))
    packages = [p for p in PACKAGES if (tree / p / "__init__.py").is_file()]
    graph = grimp.build_graph(*packages, cache_dir=None)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
    return out


def package_graph(tree: Path, graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The import graph between packages (top-level ones and their subpackages, e.g.
    `lexicon`, `pipeline.nlp`); a module of a flat `pipeline/` belongs to `pipeline`."""
    units = {".".join(p.parent.relative_to(tree).parts) for package in PACKAGES
             for p in (tree / package).glob("**/__init__.py")
             if len(p.parent.relative_to(tree).parts) <= 2}

    def unit(module: str) -> str:
        parts = module.split(".")
        return next((".".join(parts[:n]) for n in (2, 1) if ".".join(parts[:n]) in units),
                    parts[0])

    out: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out.setdefault(unit(module), set()).update(unit(t) for t in targets)
    return {u: targets - {u} for u, targets in out.items()}


def deepest_chain(graph: dict[str, set[str]], parts: list[list[str]]) -> list[list[str]]:
    """The longest import chain in the condensation: its steps, each the modules of one
    strongly connected component (one module unless there is a cycle)."""
    part_of = {m: i for i, part in enumerate(parts) for m in part}
    edges = {i: {part_of[t] for m in part for t in graph[m] if t in part_of} - {i}
             for i, part in enumerate(parts)}
    best: dict[int, list[int]] = {}

    def longest(i: int) -> list[int]:  # parts come out of Tarjan in reverse topological order
        if i not in best:
            tails = [longest(j) for j in edges[i]]
            best[i] = [i, *max(tails, key=len, default=[])]
        return best[i]

    for i in range(len(parts)):  # children first, so the recursion stays shallow
        longest(i)
    return [parts[i] for i in max(best.values(), key=len, default=[])]


def duplicate_pairs(tree: Path) -> int | None:
    """Pairs of places sharing six or more lines, summed over the packages."""
    command = shutil.which("duplicates")
    if command is None:
        return None
    total = 0
    for package in PACKAGES:
        if not (tree / package).is_dir():
            continue
        out = subprocess.run([command, "--repo", str(tree / package), "--most", "200"],
                             capture_output=True, text=True, timeout=300).stdout
        first = out.splitlines()[0] if out else ""
        match = re.match(r"(\d+) pairs? of places", first)
        total += int(match.group(1)) if match else 0
    return total


def main() -> None:
    tree = Path(sys.argv[1] if len(sys.argv) > 1 else Path.cwd()).resolve()
    graph = import_graph(tree)
    parts = components(graph)
    cycles = [p for p in parts if len(p) > 1]
    everything = sorted((f for path in python_files(tree) for f in functions(path, tree)),
                        key=lambda f: -f.lines)
    chain = deepest_chain(graph, parts)
    pairs = duplicate_pairs(tree)
    print(f"tree: {tree}")
    print(f"modules: {len(graph)}")
    print(f"import cycles (SCCs of more than one module): {len(cycles)}")
    for cycle in cycles:
        print(f"  {len(cycle)} modules: {', '.join(cycle)}")
    package_cycles = [p for p in components(package_graph(tree, graph)) if len(p) > 1]
    print(f"package cycles (packages that import each other): {len(package_cycles)}")
    for cycle in package_cycles:
        print(f"  {', '.join(cycle)}")
    print(f"longest function: {everything[0] if everything else '-'}")
    print(f"functions over {LIMIT} lines: {len(long_functions(tree))}")
    print(f"duplicate pairs (duplicates --most 200 over {', '.join(PACKAGES)}): "
          f"{'n/a' if pairs is None else pairs}")
    steps = [step[0] if len(step) == 1 else "{" + ", ".join(step) + "}" for step in chain]
    print(f"deepest import chain: {len(chain)} steps ({sum(map(len, chain))} modules): "
          f"{' -> '.join(steps)}")


if __name__ == "__main__":
    main()
