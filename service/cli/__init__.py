"""The `leitai` command line, on click: one small function per command."""

import click

from .processes import follow, redis, relay, scheduler, serve, up, worker
from .records import accounts, audit, export, projections, replay
from .demo_town import demo
from .imports import imports


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def leitai() -> None:
    """擂台 Leitai: arena contests for village Party secretaries"""


for command in (serve, up, demo, accounts, replay, projections, export, audit, redis, worker, relay, scheduler, follow,
                imports):
    leitai.add_command(command)


def main(argv: list[str] | None = None) -> None:
    leitai.main(argv, prog_name="leitai")
