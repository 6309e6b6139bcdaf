"""ASGI entry point for uvicorn/gunicorn: settings from the environment
(``NICSIM_DATABASE_URL``, ``NICSIM_SECURE_COOKIES``). ``nicsim serve`` applies the migrations
once before starting workers (``NICSIM_MIGRATED=1``); otherwise this process applies them."""

import os

from nicsim.web.core.config import Settings
from nicsim.web.main import create_app

app = create_app(Settings.from_env(), migrate=os.environ.get("NICSIM_MIGRATED") != "1")
