"""The demo town 大曹镇, loaded through the HTTP API by the `demo` package: on demand, or once by `leitai up --demo`."""

import os
import sys
import time
import urllib.request

import click

from ..config import Settings


@click.command()
@click.option("--url", default="http://127.0.0.1:8000", show_default=True)
@click.option("--token", help="an organizer's token (default: LEITAI_BOOTSTRAP_TOKEN)")
@click.option("--seed", type=int, default=2023, show_default=True)
@click.option("--villages", type=int, default=45, show_default=True)
@click.option("--months", type=int, default=12, show_default=True,
              help="months of 2023 to run and close, from January (1-12)")
def demo(url: str, token: str | None, seed: int, villages: int, months: int) -> None:
    """load the demo town 大曹镇 through the HTTP API (the same for the same seed)"""
    from demo import DemoError, load

    try:
        load(url, token or os.environ.get("LEITAI_BOOTSTRAP_TOKEN"), seed, villages, months)
    except DemoError as error:
        sys.exit(f"leitai demo: {error}")


def load_demo_once(url: str, token: str) -> None:
    """The first run loads the demo town; later runs find it already there."""
    from demo import DemoError, load

    folder = Settings.from_env().data_dir
    marker = folder / "demo-loaded"
    wait_until_ready(url)
    if not marker.exists():
        try:
            load(url, token)
        except DemoError as error:
            click.echo(f"the demo town could not be loaded: {error}")
            return
        marker.write_text(url)
    click.echo(f"Leitai is up at {url}  (docs {url}/docs; organizer token in {folder}/organizer-token)")


def wait_until_ready(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
