"""The commands that read or write the record: accounts, replay, read models, exports, the audit chain."""

import json
import sys
from contextlib import contextmanager
from datetime import datetime

import click

from ..config import Settings

ROLES = ("organizer", "judge", "secretary", "auditor")
KINDS = ("monthly", "quarterly", "annual", "contest")


class Instant(click.ParamType):
    """An ISO 8601 instant with its offset."""

    name = "instant"

    def convert(self, value, param, ctx) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        if moment.tzinfo is None:
            self.fail("give the instant with its offset, e.g. 2023-12-31T18:00:00+08:00", param, ctx)
        return moment


class Digest(click.ParamType):
    """POSITION:HASH, a head of the audit chain kept outside."""

    name = "position:hash"

    def convert(self, value, param, ctx) -> tuple[int, str]:
        from projections.chain import parse_digest

        try:
            return parse_digest(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


@contextmanager
def refused(command: str):
    """A refusal by the programme's rules ends the command with its message and exit status 1, not a traceback."""
    from domain.errors import DomainError

    try:
        yield
    except DomainError as error:
        sys.exit(f"leitai {command}: {error.message} {error.errors or ''}".rstrip())


@click.group()
def accounts() -> None:
    """manage accounts"""


@accounts.command("create")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", required=True)
@click.option("--village", type=click.UUID, help="the village of a secretary, or of a judge from a village (recused from scoring it)")
def create_account(role: str, name: str, village) -> None:
    """open an account and print its token"""
    from ..application import BOOTSTRAP_ID
    from ..wiring import build

    with refused("accounts create"):
        account, token = build(Settings.from_env()).open_account(name, role, village, BOOTSTRAP_ID)
    click.echo(f"account {account.id} ({account.role}) token:")
    click.echo(token)


@accounts.command("rotate")
@click.option("--account", "account_id", required=True, type=click.UUID)
@click.option("--reason", required=True)
def rotate_token(account_id, reason: str) -> None:
    """give an account a new token and print it once; its old token is refused from then on"""
    from ..application import BOOTSTRAP_ID
    from ..wiring import build

    with refused("accounts rotate"):
        account, token = build(Settings.from_env()).rotate_token(account_id, reason, BOOTSTRAP_ID)
    click.echo(f"account {account.id} ({account.role}) new token:")
    click.echo(token)


@click.command()
@click.option("--town", required=True, type=click.UUID)
@click.option("--year", required=True)
@click.option("--as-of", type=Instant(), help="count only events recorded before this instant")
@click.option("--rulebook", type=int, help="what if: the assessment under this rulebook version")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
def replay(town, year: str, as_of: datetime | None, rulebook: int | None, as_json: bool) -> None:
    """rebuild an annual assessment from the log and compare it with the live one

    Exits 1 when a plain replay (no --as-of, no --rulebook) differs from the live assessment.
    """
    from ..replay import render, replayed_assessment, same
    from ..wiring import build

    settings = Settings.from_env()
    with refused("replay"):
        replayed = replayed_assessment(settings, town, year, as_of, rulebook, progress=not as_json)
        live = build(settings).annual_assessment(town, year)
    identical = same(replayed, live)
    if as_json:
        click.echo(json.dumps({"replayed": replayed, "live": live, "identical": identical}, default=str,
                              ensure_ascii=False))
    else:
        click.echo(render(replayed, "重放结果 replayed"))
        click.echo(render(live, "在线结果 live"))
        click.echo("一致 identical" if identical else "不一致 DIFFERENT")
    plain = as_of is None and rulebook is None
    sys.exit(1 if plain and not identical else 0)


@click.group()
def projections() -> None:
    """read models"""


@projections.command()
@click.argument("name", required=False)
def rebuild(name: str | None) -> None:
    """empty a read model (or all) and rebuild it from position 0"""
    from ..wiring import build

    projector = build(Settings.from_env()).projector
    for each in [name] if name else list(projector.projections):
        projector.rebuild(each)
        click.echo(f"rebuilt {each} to position {projector.position(each)}")


@click.command()
@click.option("--town", required=True, type=click.UUID)
@click.option("--kind", required=True, type=click.Choice(KINDS))
@click.option("--period", required=True, help="YYYY-MM, YYYY-Qn, YYYY, or the contest's id")
@click.option("--format", "form", default="csv", show_default=True, type=click.Choice(("csv", "xlsx")))
@click.option("--out", help="the file to write (default: the export's Chinese name, here)")
def export(town, kind: str, period: str, form: str, out: str | None) -> None:
    """a board, the annual assessment or a contest as a CSV or XLSX file

    The same file as GET /towns/{id}/exports/... gives.
    """
    from ..exports import export as exported
    from ..wiring import build

    with refused("export"):
        found = exported(build(Settings.from_env()), town, kind, period, form)
    out = out or found.name
    with open(out, "wb") as file:
        file.write(found.data)
    click.echo(f"wrote {out}")


@click.group()
def audit() -> None:
    """audit tools"""


@audit.command()
@click.option("--against", type=Digest(), help="a digest kept outside: the chain must still reach it")
def verify(against: tuple[int, str] | None) -> None:
    """recompute the hash chain over the stored events and name the first bad position"""
    from tqdm import tqdm

    from ..wiring import build

    chain = build(Settings.from_env()).chain
    with tqdm(total=chain.catch_up()["position"], desc="校验事件 verifying", unit="ev") as bar:
        result = chain.verify(against, lambda position: bar.update(position - bar.n))
    click.echo(f"校验结果 result: {'完好 ok' if result['ok'] else '已被篡改 TAMPERED'}")
    click.echo(f"已校验事件 checked: {result['checked']}")
    click.echo(f"首个异常位置 first bad position: {result['first_bad_position'] or '-'}")
    if result["ok"]:
        head = chain.digest()
        click.echo(f"链头摘要 digest: {head['position']}:{head['hash']}")
    sys.exit(0 if result["ok"] else 1)
