"""The demo data of `make run`: idempotent, from the example client folders."""

from sqlalchemy import func, select

from nicsim.web.core.db import make_engine, session_factory, upgrade
from nicsim.web.models import Client, Consultation, DiaryEntryRow, Practitioner
from nicsim.web.seed import EXAMPLES, seed_demo


def test_seed_is_idempotent_and_loads_the_examples(sqlite_url):
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    sm = session_factory(engine)
    first = seed_demo(sm)
    assert "created" in first and seed_demo(sm) == "demo data present"
    with sm() as db:
        assert db.scalar(select(func.count()).select_from(Practitioner)) == 1
        n_clients = db.scalar(select(func.count()).select_from(Client))
        n_entries = db.scalar(select(func.count()).select_from(DiaryEntryRow))
        n_consult = db.scalar(select(func.count()).select_from(Consultation))
    folders = [p for p in EXAMPLES.iterdir() if (p / "client.yaml").is_file()]
    assert n_clients == len(folders) == 3
    assert n_entries > 200 and n_consult > 0  # three 90-day diaries, scored consultations
    engine.dispose()
