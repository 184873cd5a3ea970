"""The error a person reads when a document cannot be made, and the command line's way of saying it."""

from __future__ import annotations

from typing import NoReturn


class OutputError(RuntimeError):
    """A Chinese message for a person: a missing system package, a failed print, a missing table."""


def exit_with(message: str, code: int = 1) -> NoReturn:
    """Print ``错误：…`` in red on stderr and leave the command with the given exit status."""
    import typer

    typer.secho(f"错误：{message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)
