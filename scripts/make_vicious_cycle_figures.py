"""Figures for docs/vicious_cycle.md (the stress - skin vicious cycle, M7).

    python scripts/make_vicious_cycle_figures.py [--quick]

Writes docs/figures/vicious_cycle_timecourse.png (the scenario examples/scenarios/
vicious_cycle.yaml and its variants), vicious_cycle_hysteresis.png (the two stable states as
distress sensitivity varies) and vicious_cycle_boundary.png (who gets stuck: sweeps of
susceptibility, distress sensitivity and the stress gain), and prints the numbers quoted in the
doc. ``--quick`` uses coarser sweeps.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nicsim.protocols import Scenario  # noqa: E402
from nicsim.solve.simulate import simulate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "examples" / "scenarios" / "vicious_cycle.yaml"
FIG = ROOT / "docs" / "figures"
INSENSITIVE = {"distress_sensitivity": 0.5, "lesion_visibility": 0.3}
STRESS_WEEKS = (17, 21)
PLAN_WEEKS = (33, 41)


def variant(person=None, stress=True, plan=True, weeks=None, interval="1 day"):
    d = json.loads(json.dumps(Scenario.from_yaml(str(SCENARIO)).model_dump(mode="json",
                                                                          by_alias=True)))
    d["person"].update(person or {})
    d["protocol"] = [e for e in d["protocol"]
                     if (stress or e["type"] != "chronic_stressor")
                     and (plan or e["type"] == "chronic_stressor")]
    d["output_interval"] = interval
    if weeks:
        d["duration"] = f"{weeks} weeks"
        d["protocol"] = [e for e in d["protocol"] if e["type"] == "chronic_stressor"]
    return Scenario.from_dict(d)


def week(ds):
    return ds.time.values / 168.0


def at(ds, name, w):
    return float(ds[name].sel(time=w * 168.0, method="nearest"))


def timecourse():
    runs = {
        "sensitive, no stressor": (variant(stress=False, plan=False), "grey", ":"),
        "sensitive, stressor": (variant(plan=False), "tab:red", "-"),
        "sensitive, stressor + 8-week plan": (variant(), "tab:green", "-"),
        "less sensitive, no stressor": (variant(INSENSITIVE, stress=False, plan=False),
                                        "lightsteelblue", ":"),
        "less sensitive, stressor": (variant(INSENSITIVE, plan=False), "tab:blue", "-"),
    }
    out = {k: simulate(s) for k, (s, _, _) in runs.items()}
    fig, axes = plt.subplots(4, 1, figsize=(9, 11), sharex=True)
    panels = (("pasi", "PASI (0-72)"), ("dlqi", "DLQI (0-30)"),
              ("perceived_stress", "perceived stress, PSS-10"), ("mood", "PHQ-9-like mood"))
    for ax, (name, label) in zip(axes, panels, strict=True):
        for k, (_, color, ls) in runs.items():
            ax.plot(week(out[k]), out[k][name].values, color=color, ls=ls, lw=1.4, label=k)
        ax.axvspan(*STRESS_WEEKS, color="orange", alpha=0.15, lw=0)
        ax.axvspan(*PLAN_WEEKS, color="green", alpha=0.1, lw=0)
        ax.set_ylabel(label)
    axes[0].text(np.mean(STRESS_WEEKS), axes[0].get_ylim()[1] * 0.92, "stressor",
                 ha="center", fontsize=8)
    axes[0].text(np.mean(PLAN_WEEKS), axes[0].get_ylim()[1] * 0.92,
                 "plan: mindfulness\n+ NB-UVB", ha="center", va="top", fontsize=8)
    axes[0].legend(fontsize=7, loc="center right")
    axes[-1].set_xlabel("week")
    fig.suptitle("The stress - skin vicious cycle (psoriasis, examples/scenarios/"
                 "vicious_cycle.yaml)")
    fig.tight_layout()
    fig.savefig(FIG / "vicious_cycle_timecourse.png", dpi=110)
    plt.close(fig)
    print("timecourse (PASI at weeks 16 / 24 / 40 / 52 / 79):")
    for k, ds in out.items():
        print(f"  {k:38s}", " / ".join(f"{at(ds, 'pasi', w):5.1f}" for w in (16, 24, 40, 52, 79)),
              f"  DLQI wk 79 {at(ds, 'dlqi', 79):4.1f}")


def attractors(person, parameters=None, weeks=70):
    """PASI after `weeks` without stress (from clear skin) and after a strong 10-week trigger
    (load 1) followed by the same recovery time: the low and the high stable state."""
    p = {"psoriasis.f_susceptibility": person.pop("psoriasis", 1.0)}
    p.update(parameters or {})
    lo = variant(person, stress=False, plan=False, weeks=weeks, interval="7 days")
    d = json.loads(json.dumps(lo.model_dump(mode="json", by_alias=True)))
    d["protocol"] = [{"type": "chronic_stressor", "start": "day 1", "period": "10 weeks",
                      "load": 1.0}]
    d["duration"] = f"{weeks + 10} weeks"
    hi = Scenario.from_dict(d)
    a = simulate(lo.replace(outputs=["pasi"]), parameters=p)
    b = simulate(hi.replace(outputs=["pasi"]), parameters=p)
    return float(a.pasi[-1]), float(b.pasi[-1])


def hysteresis(quick):
    sens = np.linspace(0, 5, 11 if quick else 21)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for vis, color in ((0.3, "tab:blue"), (0.8, "tab:red")):
        lo, hi = zip(*[attractors({"distress_sensitivity": float(s), "lesion_visibility": vis})
                       for s in sens], strict=True)
        ax.plot(sens, lo, "o-", color=color, ms=3, label=f"from clear skin, visibility {vis}")
        ax.plot(sens, hi, "s--", color=color, ms=3, mfc="none",
                label=f"after a strong trigger, visibility {vis}")
        both = [s for s, a, b in zip(sens, lo, hi, strict=True) if b - a > 3]
        if both:
            print(f"hysteresis, visibility {vis}: two stable states for distress sensitivity "
                  f"{min(both):.2f}-{max(both):.2f}")
    ax.set(xlabel="distress sensitivity (person trait)", ylabel="PASI, settled",
           title="Two stable states: where the skin settles depends on its history")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(FIG / "vicious_cycle_hysteresis.png", dpi=110)
    plt.close(fig)


def stuck_map(xname, xs, yname, ys, base_person, parameters_of=None):
    """PASI 30 weeks after the 4-week stressor minus the no-stress course, on a grid."""
    z = np.zeros((len(ys), len(xs)))
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            person, prm = dict(base_person), {}
            for name, val in ((xname, x), (yname, y)):
                if name.startswith("person."):
                    person[name[7:]] = float(val)
                else:
                    prm[name] = float(val)
            if "psoriasis" in person:
                prm["psoriasis.f_susceptibility"] = person.pop("psoriasis")
            calm = simulate(variant(person, stress=False, weeks=50, interval="7 days")
                            .replace(outputs=["pasi"]), parameters=prm)
            hit = simulate(variant(person, weeks=50, interval="7 days")
                           .replace(outputs=["pasi"]), parameters=prm)
            z[i, j] = at(hit, "pasi", 50) - at(calm, "pasi", 50)
    return z


def boundary(quick):
    n = 5 if quick else 9
    sens = np.linspace(0, 4, n)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    panels = (
        ("person.psoriasis", np.linspace(0.6, 1.6, n), "psoriasis susceptibility", {}),
        ("psoriasis.stress_gain", np.linspace(0.06, 0.24, n), "psoriasis.stress_gain "
         "(stress -> skin link)", {}),
    )
    for ax, (yname, ys, ylabel, _) in zip(axes, panels, strict=True):
        z = stuck_map("person.distress_sensitivity", sens, yname, ys,
                      {"lesion_visibility": 0.8})
        im = ax.pcolormesh(sens, ys, z, shading="nearest", cmap="Reds", vmin=0, vmax=15)
        ax.contour(sens, ys, z, levels=[5.0], colors="k", linewidths=1.2)
        ax.set(xlabel="distress sensitivity (visibility 0.8)", ylabel=ylabel)
        fig.colorbar(im, ax=ax, label="PASI 30 weeks after the stressor\nminus no-stress course")
        print(f"boundary {yname}:")
        for i, y in enumerate(ys):
            print(f"  {y:6.3f}: " + " ".join(f"{v:5.1f}" for v in z[i]))
    axes[0].plot([1.5], [1.0], "k*", ms=10, label="scenario person")
    axes[0].legend(fontsize=8, loc="lower right")
    fig.suptitle("Who stays stuck after a 4-week stressor (black line: PASI +5 above the "
                 "no-stress course)")
    fig.tight_layout()
    fig.savefig(FIG / "vicious_cycle_boundary.png", dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    FIG.mkdir(parents=True, exist_ok=True)
    timecourse()
    hysteresis(args.quick)
    boundary(args.quick)


if __name__ == "__main__":
    main()
