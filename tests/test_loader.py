"""The record loader: every kind of broken cv.yaml gives located problems, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cv.errors import CVError
from cv.loader import load_record

from .conftest import EXAMPLE

BIB = {"publications.bib": "@misc{a, title = {A}, author = {Doe, Jane}, year = {2024}}\n"}


def problems_of(data: Path) -> list[str]:
    with pytest.raises(CVError) as caught:
        load_record(data)
    return [str(problem) for problem in caught.value.problems]


def test_the_example_record_loads() -> None:
    record = load_record(EXAMPLE).record
    assert record.name == "Zhenheng Tang"
    assert len(record.news) == 11
    assert len(record.teaching) == 5
    assert [s.role for s in record.service] == [
        "Invited Program Committee Member (Reviewer)",
        "Invited Reviewer for Journals",
    ]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("name: X\ncontact:\n  emial: a@b.c\n", "cv.yaml:3:3: unknown key 'emial' in contact"),
        ("name: X\nnewz: []\n", "cv.yaml:2:1: unknown key 'newz' in the top level"),
        ("name: X\nname: Y\n", "cv.yaml:2:1: duplicate key 'name' (first at line 1)"),
        (
            "name: X\nnews:\n  - date: 2024-13\n    text: t\n",
            "cv.yaml:3:11: news[0].date: '2024-13' is not valid: month 13 is not 1-12",
        ),
        (
            "name: X\nawards:\n  - date: Foo 2020\n    title: T\n",
            "cv.yaml:3:11: awards[0].date: 'Foo 2020' is not valid: 'Foo' is not a month name",
        ),
        (
            "name: X\npublications:\n  max_authors: many\n",
            "cv.yaml:3:16: publications.max_authors: expected a whole number, got 'many'",
        ),
        ("name: X\nnews: hello\n", "cv.yaml:2:7: news: expected a list"),
        (
            "name: !!python/object:os.system x\n",
            "cv.yaml:1:7: YAML tag '!!python/object:os.system' is not allowed",
        ),
        ("name: X\ncontact:\n\temail: a\n", "cv.yaml:3:1: invalid YAML: found character '\\t'"),
        ("name: X\nabout: [unclosed\n", "cv.yaml:3:1: invalid YAML"),
        ("about: hi\n", "cv.yaml:1:1: the top level: required key 'name' is missing"),
        (
            "name: X\nexperience:\n  - start: 2020\n",
            "cv.yaml:3:5: experience[0]: required key 'role'",
        ),
        (
            "name: X\nsections: [about, nwes]\n",
            "cv.yaml:2:19: sections[1]: unknown section 'nwes'; expected one of: about",
        ),
        ("name: X\nphoto: me.jpg\n", "cv.yaml:2:8: file 'me.jpg' not found"),
        (
            "name: X\nphoto: ../../etc/passwd\n",
            "cv.yaml:2:8: '../../etc/passwd' is outside the data folder",
        ),
        (
            "name: X\npublications:\n  bibtex: [missing.bib]\n",
            "cv.yaml:3:12: file 'missing.bib' not found",
        ),
        ("- just\n- a list\n", "cv.yaml:1:1: expected a mapping"),
        ("", "cv.yaml:1:1: cv.yaml is empty"),
    ],
)
def test_broken_records_give_one_located_line(
    write_record: Callable[..., Path], yaml_text: str, expected: str
) -> None:
    data = write_record(yaml_text, BIB)
    messages = problems_of(data)
    assert any(expected in message for message in messages), messages


def test_typos_suggest_the_nearest_key(write_record: Callable[..., Path]) -> None:
    data = write_record("name: X\ncontact:\n  emial: a@b.c\nintrests: []\n", BIB)
    messages = problems_of(data)
    assert "did you mean 'email'?" in messages[0]
    assert "did you mean 'interests'?" in messages[1]


def test_every_problem_of_the_file_is_reported_at_once(write_record: Callable[..., Path]) -> None:
    data = write_record(
        """
        name: X
        colour: red
        news:
          - date: 2024-13
            text: t
          - date: 2024-01
        awards:
          - date: 2020
            title: [not, text]
        """,
        BIB,
    )
    lines = [m.split(": ", 1)[0].split(":", 1)[1] for m in problems_of(data)]
    assert lines == ["2:1", "4:11", "6:5", "9:12"]


def test_non_utf8_bytes_are_located(write_record: Callable[..., Path]) -> None:
    data = write_record("", BIB)
    (data / "cv.yaml").write_bytes(b"name: X\nabout: Caf\xe9\n")
    assert problems_of(data) == [
        f"{data / 'cv.yaml'}:2:11: byte 0xe9 is not UTF-8; "
        "expected a UTF-8 text file (save it as UTF-8)"
    ]


def test_a_missing_record_says_where_it_looked(tmp_path: Path) -> None:
    (message,) = problems_of(tmp_path)
    assert "no cv.yaml here" in message and "cv init" in message


def test_tags_are_never_executed(write_record: Callable[..., Path], tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    data = write_record(f"name: !!python/object/apply:os.system ['touch {marker}']\n", BIB)
    problems_of(data)
    assert not marker.exists()


def test_dates_are_kept_as_written_not_turned_into_datetimes(
    write_record: Callable[..., Path],
) -> None:
    data = write_record("name: X\nnews:\n  - {date: 2024-01-15, text: a}\n", BIB)
    (item,) = load_record(data).record.news
    assert item.date.text == "2024-01-15" and item.date.day == 15


def test_merge_keys_and_anchors_work(write_record: Callable[..., Path]) -> None:
    data = write_record(
        """
        name: X
        teaching:
          - &ta {term: Spring 2023, course: A, role: TA}
          - {<<: *ta, term: Fall 2022, course: B}
        """,
        BIB,
    )
    second = load_record(data).record.teaching[1]
    assert (second.course, second.role, second.term.text) == ("B", "TA", "Fall 2022")


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["name", "news", "date", "text", "x", "role"]), children, max_size=3
        ),
    ),
    max_leaves=10,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    tree=st.dictionaries(
        st.sampled_from(["name", "news", "about", "awards", "contact", "bogus"]),
        yaml_values,
        max_size=4,
    )
)
def test_any_yaml_tree_gives_a_record_or_located_problems(
    write_record: Callable[..., Path], tree: dict[str, object]
) -> None:
    import yaml

    data = write_record(yaml.safe_dump(tree, allow_unicode=True), BIB)
    try:
        load_record(data)
    except CVError as error:
        assert error.problems
        assert all(p.file is not None and p.line is not None for p in error.problems)


def _tree(node: object, seen: dict[int, int]) -> object:
    """A node tree as plain values: tags, values, lines and columns (aliases by number)."""
    import yaml

    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    assert isinstance(node, yaml.Node)
    where = (node.tag, node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (*where, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (*where, [_tree(item, seen) for item in node.value])
    return (*where, [(_tree(key, seen), _tree(value, seen)) for key, value in node.value])


TRICKY_YAML = [
    (EXAMPLE / "cv.yaml").read_text(encoding="utf-8"),
    "name: Zoë Ångström\nabout:\n  text: |\n    Two lines,\n    kept.\n"
    "  short: >-\n    folded\n    text\n",
    "base: &b {start: 2020, end: present}\nexperience:\n  - <<: *b\n    role: 'It''s'\n"
    '  - [a, "b\\tc", 3.0]\n',
    "news:\n- date: 2024-01-05\n  text: plain scalar\n    over two lines # a comment\n"
    "- ~\n- !!str 12\n",
    "name: 张三 — 𝔘nicode\n'quoted key': \"\\u00e9\"\n? complex\n: value\n",
]


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_libyaml_gives_the_nodes_and_marks_of_pyyamls_own_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from cv.loader import _parse

    assert yaml.__with_libyaml__, "PyYAML without libyaml: the fast parser is not tested here"
    expected = yaml.compose(text, Loader=yaml.SafeLoader)
    loaders: list[type] = []
    compose = yaml.compose

    def recorded(text: str, Loader: type) -> object:  # noqa: N803 - PyYAML's argument name
        loaders.append(Loader)
        return compose(text, Loader)

    monkeypatch.setattr(yaml, "compose", recorded)
    assert _tree(_parse(text), {}) == _tree(expected, {})
    assert loaders == [yaml.CSafeLoader]
