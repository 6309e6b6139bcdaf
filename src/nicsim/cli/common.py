"""What the CLI modules share: consoles, the progress bar, --param parsing, the compile notice."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from nicsim._default import default_model
from nicsim.errors import NicsimError

console = Console()
err = Console(stderr=True)
FORCE_HELP = "replace existing files that are not nicsim results"


def progress() -> Progress:
    """A transient progress bar on stderr (description, bar, percentage, elapsed time)."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=err,
                    transient=True)


def parse_params(items: list[str] | None) -> dict[str, float]:
    """``["hpa.stress_gain=2.5", ...]`` -> ``{"hpa.stress_gain": 2.5}``; clear errors."""
    out: dict[str, float] = {}
    for item in items or []:
        if "=" not in item:
            raise NicsimError(f"--param {item!r}: expected ID=VALUE, e.g. hpa.stress_gain=2.5")
        k, v = item.split("=", 1)
        try:
            out[k.strip()] = float(v)
        except ValueError:
            raise NicsimError(f"--param {item!r}: {v!r} is not a number") from None
    return out


COMPILING = "compiling the model (one time, about a minute)"


def first_run() -> bool:
    """True when this run will compile the model's machine code (no numba cache yet)."""

    return not default_model().machine_code_cached()


def announce_compile(console) -> bool:
    """Say so (one line on ``console``, stderr) when the model is about to be compiled; returns
    whether it will be."""
    cold = first_run()
    if cold:
        console.print(f"{COMPILING}; later runs start in seconds", highlight=False,
                      markup=False)
    return cold
