"""``nicsim serve``: the web app (explorer and clinic) with uvicorn."""

from __future__ import annotations

import typer

from nicsim.errors import NicsimError


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(database: str = typer.Option(
                  None, "--database", help="sqlite:///PATH or postgresql://USER@HOST:PORT/DB; "
                  "default sqlite:///var/nicsim.db (env NICSIM_DATABASE_URL)"),
              host: str = typer.Option("127.0.0.1", "--host"),
              port: int = typer.Option(8000, "--port", min=1, max=65535),
              workers: int = typer.Option(1, "--workers", min=1, max=64,
                                          help="server processes (use PostgreSQL for > 1)"),
              seed_demo: bool = typer.Option(False, "--seed-demo",
                                             help="create the demo practitioner and clients"),
              secure_cookies: bool = typer.Option(
                  False, "--secure-cookies/--no-secure-cookies",
                  help="Secure flag on the session cookie (on behind HTTPS)")):
        """Serve the web app: the explorer (no login) and the practitioner clinic."""
        try:
            import uvicorn

            # lazy: FastAPI, SQLAlchemy and Alembic (the web extra) load only for `nicsim serve`
            from nicsim.web.core.config import Settings
            from nicsim.web.core.db import (
                DatabaseURLError,
                make_engine,
                normalise_url,
                session_factory,
                upgrade,
            )
        except ImportError as exc:
            raise NicsimError(f"nicsim serve needs the web extra: pip install 'nicsim[web]' "
                              f"({exc})") from None
        import os

        settings = Settings.from_env(database_url=database, secure_cookies=secure_cookies)
        try:
            normalise_url(settings.database_url)
            upgrade(settings.database_url)
        except DatabaseURLError as exc:
            raise NicsimError(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - connection/migration failures, told plainly
            raise NicsimError(f"--database {settings.database_url!r}: cannot open or migrate "
                              f"the database: {exc}") from None
        if workers > 1 and settings.database_url.startswith("sqlite"):
            typer.echo("note: several workers on SQLite serialise writes; use PostgreSQL",
                       err=True)
        if seed_demo:
            # lazy: FastAPI, SQLAlchemy and Alembic (the web extra) load only for `nicsim serve`
            from nicsim.web.seed import DEMO_EMAIL, DEMO_PASSWORD
            from nicsim.web.seed import seed_demo as run_seed

            engine = make_engine(settings.database_url)
            typer.echo(run_seed(session_factory(engine)))
            engine.dispose()
            typer.echo(f"demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        os.environ["NICSIM_DATABASE_URL"] = settings.database_url
        os.environ["NICSIM_MIGRATED"] = "1"  # workers skip the (already applied) migration
        os.environ["NICSIM_SECURE_COOKIES"] = "1" if settings.secure_cookies else "0"
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
        typer.echo(f"nicsim app: http://{shown}:{port}/  (explorer: /explorer, clinic: /clients)")
        uvicorn.run("nicsim.web.asgi:app", host=host, port=port, workers=workers,
                    log_level="warning", proxy_headers=True)
