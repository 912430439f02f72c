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

    prepare_storage()
    Server().run()


def prepare_storage() -> None:
    """Create every table once, before the workers start, so they never race to create them."""
    from .app import create_app

    leitai = create_app().extensions["leitai"]
    leitai.projector.store.close()
    leitai.close()


def create_account(args) -> None:
    from .wiring import build

    app = build(Settings.from_env())
    village = UUID(args.village) if args.village else None
    account, token = app.open_account(args.name, args.role, village, BOOTSTRAP_ID)
    print(f"account {account.id} ({account.role}) token:")
    print(token)


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
    return top


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)
    sys.exit(0)
