"""The README is the user's manual: every subcommand and option must be documented there, and
it must open with the two commands a new user runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from desktop.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_readme_opens_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8")[:1500]
    assert "./dev start" in head and "./dev test" in head
    assert "./dev test" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    missing = []
    for name, sub in _subcommands(build_parser()).items():
        if f"zicha {name}" not in text:
            missing.append(f"zicha {name}")
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag not in ("--help",) and flag not in text:
                    missing.append(f"zicha {name} {flag}")
        for child, _ in _subcommands(sub).items():
            if not re.search(rf"zicha {name} \[?{child}", text):
                missing.append(f"zicha {name} {child}")
    assert missing == []
