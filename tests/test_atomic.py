"""The one atomic-write helper: the target is replaced whole or left as it was, and planted links are not followed."""
from __future__ import annotations

import os

import pytest

from crossings.atomic import atomic_path, write_text


def test_replaces_whole_file(tmp_path):
    out = tmp_path / "a.html"
    out.write_text("old")
    write_text(out, "new")
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]


def test_failure_leaves_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "a.csv"
    out.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(out) as tmp:
            tmp.write_text("half")
            raise RuntimeError("writer failed")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_symlink_planted_at_the_old_fixed_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "report.html"
    os.symlink(victim, tmp_path / "report.html.tmp")
    write_text(out, "<html></html>")
    assert victim.read_text() == "keep me"
    assert out.read_text() == "<html></html>" and not out.is_symlink()


def test_symlink_at_the_target_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out.csv"
    os.symlink(victim, out)
    write_text(out, "a,b\n")
    assert victim.read_text() == "keep me"
    assert not out.is_symlink() and out.read_text() == "a,b\n"


def test_the_output_has_the_permissions_of_a_plain_write(tmp_path):
    import os
    import stat

    from crossings.atomic import write_text
    old = os.umask(0o022)
    try:
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
        write_text(tmp_path / "atomic.txt", "x")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "atomic.txt").stat().st_mode)
    assert mode == stat.S_IMODE(plain.stat().st_mode) == 0o644
