"""`leitai import`: records from files the town's office keeps, checked whole before anything is recorded."""

import sys
from pathlib import Path

import click

from ..config import Settings
from .records import refused


@click.group("import")
def imports() -> None:
    """import records from files"""


@imports.command("duty")
@click.option("--town", required=True, type=click.UUID)
@click.option("--month", required=True, help="YYYY-MM")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def duty(town, month: str, file: str) -> None:
    """a month's duty lists (职责清单) from the filled Excel template: every village or none

    The template is GET /api/v1/towns/{id}/duty/{month}/template.xlsx. Exits 1, recording nothing,
    when any cell is bad, and names each as 行/列 with the reason.
    """
    from domain.periods import is_month

    from ..application import BOOTSTRAP_ID
    from ..wiring import build

    if not is_month(month):
        raise click.BadParameter("give the month as YYYY-MM", param_hint="--month")
    app = build(Settings.from_env())
    lists = checked(app, town, month, Path(file).read_bytes())
    with refused("import duty"):
        duties = app.record_duties(town, month, lists, BOOTSTRAP_ID)
    click.echo(f"已记录 recorded: {len(duties)} 个村 {month} 的职责清单 (duty lists)")


def checked(app, town, month: str, data: bytes) -> dict:
    """Every row read and checked, with a progress bar; every bad cell printed and exit 1 when any is bad."""
    from tqdm import tqdm

    from domain.errors import InvalidError

    from .. import duty_sheets

    with tqdm(desc="检查 checking", unit="行", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            return duty_sheets.read(app, town, month, data, progress)
        except InvalidError as error:
            bar.close()
            for cell, reasons in (error.errors or {}).items():
                click.echo(f"{cell}：{'；'.join(reasons)}", err=True)
            sys.exit(f"leitai import duty: {error.message}")
