"""The one exception type for problems the user can fix, located in their files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem: ``file:line:col: message``.

    Attributes:
        message: What is wrong, quoting the bad value and saying what was expected.
        file: The file the problem is in, as the user named it.
        line: 1-based line, when known.
        column: 1-based column, when known.
        hint: An optional suggestion ("did you mean 'email'?").
    """

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int]:
        return (str(self.file or ""), self.line or 0, self.column or 0)


class CVError(Exception):
    """Raised for every problem in the user's input; carries all of them at once."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        items = [problems] if isinstance(problems, Problem) else list(problems)
        self.problems: list[Problem] = sorted(items, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(
        cls,
        message: str,
        file: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> CVError:
        """Build an error holding a single problem."""
        return cls(Problem(message, file, line, column, hint))
