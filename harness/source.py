"""What a module's source imports, read without running it (for the tests that guard the layout)."""

from __future__ import annotations

import ast
from pathlib import Path

Imports = tuple[tuple[str, tuple[str, ...]], ...]


def imports_of(path: Path, module: str) -> Imports:
    """Every ``(module, names)`` the source at ``path`` (module ``module``) imports, module level or not.

    Relative imports are made absolute; ``import a.b`` gives ``("a.b", ())``.
    """
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.append((base, tuple(alias.name for alias in node.names)))
    return tuple(found)
