"""One figure for one simulated scenario: the main observables against clock time."""

from __future__ import annotations

from pathlib import Path

PANELS = (("cortisol_serum", "cortisol_saliva"), ("acth",), ("tnf", "il6", "il10", "il1b"),
          ("heart_rate",), ("rmssd",), ("temperature",), ("perceived_stress",))


def plot_scenario(ds, path: Path | str, *, title: str | None = None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [[v for v in group if v in ds] for group in PANELS]
    panels = [p for p in panels if p]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 1.9 * len(panels)), sharex=True)
    axes = [axes] if len(panels) == 1 else list(axes)
    days = ds.time.values / 24.0
    active = [n for n in ds.data_vars if n.startswith("input_") and float(ds[n].max()) > 0
              and n != "input_asleep"]
    for ax, group in zip(axes, panels, strict=True):
        for name in group:
            ax.plot(days, ds[name].values, lw=1, label=f"{name} ({ds[name].attrs.get('units')})")
        if "input_asleep" in ds:
            ax.fill_between(days, 0, 1, where=ds["input_asleep"].values > 0.5, color="grey",
                            alpha=0.12, transform=ax.get_xaxis_transform(), lw=0)
        for n in active:
            ax.fill_between(days, 0, 1, where=ds[n].values > 0, alpha=0.15, lw=0,
                            transform=ax.get_xaxis_transform())
        ax.legend(loc="upper right", fontsize=7)
    axes[-1].set_xlabel("days since start (grey: asleep; coloured: protocol events)")
    fig.suptitle(title or ds.attrs.get("scenario", ""))
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
