"""The registry of outputs: each one declares what it needs, and is made from that alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from cv.builder import Inputs, read_inputs
from cv.markup import relative_to
from cv.outputs import (
    NEEDS,
    OUTPUTS,
    Made,
    OutputKind,
    UndeclaredNeed,
    UnknownOutput,
    chosen_outputs,
    outputs_of,
    prepare,
)
from cv.sandbox import budget

from .conftest import EXAMPLE

TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return read_inputs(EXAMPLE)


def made_alone(inputs: Inputs, kind: OutputKind) -> Made:
    """``kind`` made as a build of it alone makes it: only its own needs prepared."""
    context = prepare(inputs, [kind], EXAMPLE, TODAY)
    with relative_to(inputs.link_base), budget():
        return kind.make(context.for_output(kind))


def test_every_output_is_made_from_what_it_declares(inputs: Inputs) -> None:
    kinds = outputs_of(inputs.source.record)
    assert [kind.name for kind in kinds] == ["cv", "bio", "html", "cv-short", "md"]
    for kind in kinds:
        made = made_alone(inputs, kind)
        assert made.data, kind.name
        assert (made.pages is not None) == ("pdf" in kind.needs), kind.name


@pytest.mark.parametrize(
    ("name", "missing"),
    [(kind.name, need) for kind in OUTPUTS for need in NEEDS if need in kind.needs],
)
def test_an_output_registered_without_what_it_needs_fails(
    inputs: Inputs, name: str, missing: str
) -> None:
    [kind] = [kind for kind in OUTPUTS if kind.name == name]
    short = replace(kind, needs=kind.needs - {missing})
    with pytest.raises(UndeclaredNeed, match=repr(missing)):
        made_alone(inputs, short)


def test_what_another_output_prepared_is_still_not_given(inputs: Inputs) -> None:
    """A build of bio and md prepares the bio's content: md without ``bio`` still fails."""
    md = next(kind for kind in OUTPUTS if kind.name == "md")
    bio = next(kind for kind in OUTPUTS if kind.name == "bio")
    short = replace(md, needs=frozenset())
    context = prepare(inputs, [bio, short], EXAMPLE, TODAY)
    with pytest.raises(UndeclaredNeed):
        short.make(context.for_output(short))


def test_a_need_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="needs fonts; expected some of: photo, bio, pdf"):
        OutputKind("poster", "poster.pdf", frozenset({"pdf", "fonts"}), OUTPUTS[0].make)


def test_names_and_files_are_unique() -> None:
    assert len({kind.name for kind in OUTPUTS}) == len({kind.file for kind in OUTPUTS}) == 4


def test_only_chooses_in_build_order_and_names_what_is_known(inputs: Inputs) -> None:
    record = inputs.source.record
    assert [kind.file for kind in chosen_outputs(["md", " cv-short", "cv"], record)] == [
        "cv.pdf",
        "cv-short.pdf",
        "bio.md",
    ]
    with pytest.raises(UnknownOutput, match="unknown output poster; expected some of: cv, bio"):
        chosen_outputs(["cv", "poster"], record)
    with pytest.raises(UnknownOutput, match="unknown output none"):
        chosen_outputs([" "], record)
