"""Alembic: upgrade from empty, downgrade/upgrade round trip, models == migrations."""

from __future__ import annotations

from sqlalchemy import inspect

from nicsim.web.core.db import downgrade, make_engine, upgrade
from nicsim.web.models import Base

TABLES = {"practitioner", "web_session", "login_attempt", "client", "consent", "diary_link",
          "diary_entry", "consultation", "job", "audit_log", "client_report"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_from_empty_then_round_trip(db_url):
    assert _tables(db_url) == set()
    upgrade(db_url)
    assert _tables(db_url) == TABLES == set(Base.metadata.tables)
    downgrade(db_url, "0001")  # one step back: the report table goes, the rest stays
    assert _tables(db_url) == TABLES - {"client_report"}
    downgrade(db_url, "base")
    assert _tables(db_url) == set()
    upgrade(db_url)
    assert _tables(db_url) == TABLES


def test_models_match_the_migrations(db_url):
    """Autogenerate against the migrated database finds nothing to add: the shipped migration
    and models.py agree (a model change without a migration fails here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
