"""The extractor stays readable: one function per rule, each at most 40 lines and of cyclomatic
complexity C or better (radon's grades: A–B simple, C moderate, D and worse to split)."""

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

MODULES = ["extract", "text", "speakers", "attribution", "dating", "facts", "dates"]
ROOT = Path(__file__).resolve().parents[2] / "apps" / "intake"


@pytest.mark.parametrize("module", MODULES)
def test_every_function_is_short_and_at_most_moderately_complex(module):
    source = (ROOT / f"{module}.py").read_text(encoding="utf-8")
    too_complex = [(b.name, b.complexity) for b in cc_visit(source) if cc_rank(b.complexity) not in "ABC"]
    assert too_complex == []
    functions = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    too_long = [(f.name, f.end_lineno - f.lineno + 1) for f in functions if f.end_lineno - f.lineno + 1 > 40]
    assert too_long == []
