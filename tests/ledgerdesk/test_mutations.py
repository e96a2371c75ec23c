"""The mutation list (scripts/mutations/) stays current, and its find-text check bites."""

from __future__ import annotations

from pathlib import Path

from scripts.mutations import MUTATIONS, ROOT, Mutation, check_find_texts, copy_project


def test_every_find_text_occurs_exactly_once_today():
    assert check_find_texts(ROOT, MUTATIONS) == []
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS)
    for m in MUTATIONS:
        assert m.tests and all("::" in t for t in m.tests), m.name
        for node in m.tests:
            assert (ROOT / node.split("::")[0]).is_file(), node


def test_a_find_text_that_is_gone_or_repeated_is_reported(tmp_path):
    (tmp_path / "a.sql").write_text("where status = 'succeeded'\nwhere status = 'succeeded'\n")
    (tmp_path / "b.sql").write_text("select 1\n")
    listed = (
        Mutation("twice", "a.sql", "where status = 'succeeded'", "", ("t.py::x",)),
        Mutation("gone", "b.sql", "select 2", "select 3", ("t.py::x",)),
        Mutation("no-file", "c.sql", "x", "y", ("t.py::x",)),
        Mutation("fine", "b.sql", "select 1", "select 2", ("t.py::x",)),
    )
    problems = check_find_texts(tmp_path, listed)
    assert [p.split(":")[0] for p in problems] == ["twice", "gone", "no-file"]
    assert "occurs 2 times" in problems[0] and "occurs 0 times" in problems[1]


def test_the_copy_holds_the_tracked_files_and_links_the_venv(tmp_path):
    copy = tmp_path / "copy"
    copy_project(copy)
    listed = Path(__file__).parents[2] / "scripts" / "mutations" / "__init__.py"
    assert (copy / "scripts" / "mutations" / "__init__.py").read_text() == listed.read_text()
    assert (copy / ".venv").is_symlink() and (copy / ".venv" / "bin" / "python").exists()
    assert not (copy / "data").exists()
