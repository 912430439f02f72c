"""The long-running commands: the API, the whole stack, and each of its processes on its own."""

import os
import sys

import click

from ..config import ConfigError, Settings


def checked(command: str) -> Settings:
    """The settings from the environment, or the command ends with a message naming the variable at fault."""
    try:
        return Settings.from_env().check()
    except ConfigError as error:
        sys.exit(f"leitai {command}: {error}")


def budget(pool_max: int) -> None:
    """What this process runs sets its PostgreSQL pools' size, unless LEITAI_PG_POOL_MAX says otherwise;
    children (gunicorn's and dramatiq's workers) inherit it."""
    os.environ.setdefault("LEITAI_PG_POOL_MAX", str(pool_max))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, envvar="LEITAI_WEB_WORKERS", show_envvar=True)
@click.option("--threads", type=int, default=8, show_default=True, envvar="LEITAI_WEB_THREADS", show_envvar=True)
@click.option("--access-log", is_flag=True)
def serve(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    """run the API under gunicorn"""
    from gunicorn.app.base import BaseApplication

    from ..collector import settle_startup
    from ..wiring import prepare

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-" if access_log else None)
            self.cfg.set("post_worker_init", lambda worker: settle_startup())

        def load(self):
            from ..app import create_app
            return create_app()

    budget(max(threads // 2, 1))
    prepare(checked("serve"))
    Server().run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--api-workers", type=int, default=2, show_default=True)
@click.option("--redis-port", type=int, default=6390, show_default=True)
@click.option("--demo", is_flag=True, help="load the demo town on the first run")
def up(host: str, port: int, api_workers: int, redis_port: int, demo: bool) -> None:
    """run the whole stack on one machine (API, follower, relay, worker, scheduler, Redis)"""
    from ..stack import run
    from .demo_town import load_demo_once

    checked("up")
    run(host, port, api_workers, redis_port, after_start=load_demo_once if demo else None)


@click.command()
@click.option("--processes", type=int, default=1, show_default=True)
@click.option("--threads", type=int, default=4, show_default=True)
def worker(processes: int, threads: int) -> None:
    """run a dramatiq worker (follow-up deliveries, daily jobs)"""
    budget(threads)
    os.execv(sys.executable, [sys.executable, "-m", "dramatiq", "workers.actors", "--processes", str(processes),
                              "--threads", str(threads)])


@click.command()
def relay() -> None:
    """follow the log and enqueue follow-ups"""
    import threading

    from workers.broker import make_broker
    from workers.redis_server import redis_url
    from workers.relay import Relay

    from ..wiring import build

    settings = Settings.from_env()
    Relay(build(settings), make_broker(redis_url(settings))).run_forever(threading.Event())


@click.command()
@click.option("--hour", type=int, default=8, show_default=True)
def scheduler(hour: int) -> None:
    """send the daily job at a fixed hour, Asia/Shanghai (one leads across nodes, the others stand by)"""
    import logging

    from workers import scheduler as jobs
    from workers.broker import make_broker
    from workers.redis_server import redis_url

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    jobs.run(make_broker(redis_url(Settings.from_env())), hour=hour)


@click.command()
@click.option("--port", type=int, default=6390, show_default=True)
def redis(port: int) -> None:
    """run the embedded Redis (append-only) in the foreground"""
    from workers.redis_server import start

    server = start(Settings.from_env().data_dir, port)
    click.echo(f"redis-server on 127.0.0.1:{port}, pid {server.pid}")
    sys.exit(server.wait())


@click.command()
def follow() -> None:
    """keep every read model current"""
    import threading

    from ..follower import follow as follow_forever
    from ..wiring import build

    follow_forever(build(Settings.from_env()), threading.Event())
