"""The README's Python example runs as written, in a new folder (its store is created there)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_block() -> str:
    text = README.read_text()
    section = text[text.index("\n## Python\n"):]
    m = re.search(r"```python\n(.*?)```", section, re.S)
    assert m, "no python block under '## Python'"
    return m[1]


@pytest.mark.slow
def test_the_readme_python_example_runs_as_written(tmp_path, monkeypatch, wb19):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CROSSINGS_DB", raising=False)
    code = _python_block()
    assert 'Store("crossings.duckdb")' in code and "bundled_workbook()" in code
    env: dict = {}
    exec(compile(code, str(README), "exec"), env)  # noqa: S102  the README's own code
    store = env["store"]
    assert (tmp_path / "crossings.duckdb").is_file()
    # What the example ingested is the bundled 19 December 2025 workbook: one release, every day to 18 December.
    rel = store.releases()
    assert len(rel) == 1 and str(rel["release_date"].iloc[0])[:10] == "2025-12-19"
    assert str(env["daily"]["date"].max().date()) == "2025-12-18"
    assert env["result"].replicates == 10_000
    store.close()
