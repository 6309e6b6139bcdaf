"""Settings of one running app: database URL, cookie flags, limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Default SQLite file (created with its folder on first start).
DEFAULT_SQLITE = Path("var") / "nicsim.db"


def default_database_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE}"


#: How large the fits and projections of the clinic's jobs are. "full" is for practice; "quick"
#: (rougher numbers, seconds instead of minutes) is for the browser tests and trying the app out.
ANALYSIS_SIZES = {
    "full": {"fit_max_iter": 10, "projection_draws": 60, "projection_futures": 6,
             "report_draws": 40, "report_futures": 4},
    "quick": {"fit_max_iter": 2, "projection_draws": 4, "projection_futures": 2,
              "report_draws": 4, "report_futures": 2},
}


@dataclass(frozen=True)
class Settings:
    """What ``nicsim serve`` passes to :func:`nicsim.web.main.create_app`.

    ``secure_cookies`` sets the ``Secure`` flag on the session cookie; keep it on behind HTTPS
    (it is off only for plain-HTTP loopback use such as ``make run``).
    """

    database_url: str = field(default_factory=default_database_url)
    secure_cookies: bool = False
    session_hours: float = 12.0          # idle sessions expire after this many hours
    login_attempts: int = 5              # failed logins allowed per window (per e-mail and per IP)
    login_window_s: float = 300.0        # the rate-limit window, seconds
    run_worker: bool = True              # start the in-process job worker
    consent_version: str = "2026-1"
    analysis_size: str = "full"          # a key of ANALYSIS_SIZES

    def __post_init__(self) -> None:
        if self.analysis_size not in ANALYSIS_SIZES:
            raise ValueError(f"analysis_size (NICSIM_ANALYSIS_SIZE): {self.analysis_size!r} is "
                             f"not allowed; one of {', '.join(ANALYSIS_SIZES)}")

    @property
    def analysis(self) -> dict[str, int]:
        """The sizes of fits and projections that jobs run (:data:`ANALYSIS_SIZES`)."""
        return dict(ANALYSIS_SIZES[self.analysis_size])

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        env = {}
        if os.environ.get("NICSIM_DATABASE_URL"):
            env["database_url"] = os.environ["NICSIM_DATABASE_URL"]
        if os.environ.get("NICSIM_SECURE_COOKIES"):
            env["secure_cookies"] = os.environ["NICSIM_SECURE_COOKIES"] not in ("0", "false", "")
        if os.environ.get("NICSIM_ANALYSIS_SIZE"):
            env["analysis_size"] = os.environ["NICSIM_ANALYSIS_SIZE"]
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)
