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
STRESS_WEEKS = (16, 20)
PLAN_WEEKS = (32, 40)


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
              f"  wk 79: DLQI {at(ds, 'dlqi', 79):4.1f}, PSS-10 "
              f"{at(ds, 'perceived_stress', 79):4.1f}, IL-6 {at(ds, 'il6', 79):4.2f} pg/mL, "
              f"mood {at(ds, 'mood', 79):4.1f}")


def plan_parts():
    """Which half of the plan does the work, and what the ageing clock does over years."""
    def only(kind):
        sc = variant()
        return sc.replace(protocol=[e for e in sc.protocol
                                    if e.type in ("chronic_stressor", kind)])

    print("plan parts (PASI at weeks 40 / 52 / 79):")
    for k in ("nb_uvb", "mindfulness_programme"):
        ds = simulate(only(k))
        print(f"  {k + ' alone':38s}", " / ".join(f"{at(ds, 'pasi', w):5.1f}"
                                                 for w in (40, 52, 79)))
    base = simulate(variant(stress=False, plan=False))
    print("stressor load needed (PASI at week 52 after the 4-week stressor, no plan; "
          f"no-stress course {at(base, 'pasi', 52):.1f}):")
    for load in (0.2, 0.3, 0.4, 0.5, 0.8):
        sc = variant(plan=False)
        sc = sc.replace(protocol=[e.model_copy(update={"load": load}) for e in sc.protocol])
        print(f"  load {load:.1f}: {at(simulate(sc), 'pasi', 52):5.1f}")
    calm = variant(stress=False, plan=False).replace(duration="5 years",
                                                     output_interval="4 weeks")
    from nicsim._default import default_model
    from nicsim.parameter_sets import parameter_set_values

    model = default_model()
    pid = "competence.age_rate"
    age_rate = parameter_set_values().get(
        pid, model.parameters[model.parameter_index(pid)].value)  # declared unit, 1/year
    print("ageing, sensitive person without stressor (PASI at years 1 / 2 / 3 / 4 / 5):")
    for label, pars in (("clock held (scenario)", None),
                        ("clock running", {"competence.age_rate": age_rate})):
        ds = simulate(calm, parameters=pars)
        print(f"  {label:38s}", " / ".join(f"{at(ds, 'pasi', 52.18 * y):5.1f}"
                                           for y in (1, 2, 3, 4, 5)))


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


def stuck_map(xname, xs, yname, ys, base_person):
    """PASI 30 weeks after the 4-week stressor and on the no-stress course, on a grid."""
    z, zc = np.zeros((len(ys), len(xs))), np.zeros((len(ys), len(xs)))
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
            z[i, j], zc[i, j] = at(hit, "pasi", 50), at(calm, "pasi", 50)
    return z, zc


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
        z, zc = stuck_map("person.distress_sensitivity", sens, yname, ys,
                          {"lesion_visibility": 0.8})
        im = ax.pcolormesh(sens, ys, z, shading="nearest", cmap="Reds", vmin=0, vmax=22)
        ax.contour(sens, ys, z - zc, levels=[5.0], colors="k", linewidths=1.4)
        ax.contour(sens, ys, zc, levels=[12.0], colors="k", linewidths=1.0, linestyles="--")
        ax.set(xlabel="distress sensitivity (visibility 0.8)", ylabel=ylabel)
        fig.colorbar(im, ax=ax, label="PASI 30 weeks after the 4-week stressor")
        print(f"boundary {yname} (PASI after stressor / without stressor):")
        for i, y in enumerate(ys):
            print(f"  {y:6.3f}: " + " ".join(f"{a:4.1f}/{b:4.1f}" for a, b in
                                             zip(z[i], zc[i], strict=True)))
    from nicsim.parameter_sets import parameter_set_values

    gain = parameter_set_values("default").get("psoriasis.stress_gain", 0.12)
    for ax, y in zip(axes, (1.0, gain), strict=True):
        ax.plot([1.5], [y], "k*", ms=10, label="scenario person")
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle("Who stays stuck after a 4-week stressor. Inside the solid line the "
                 "stressor leaves PASI > 5 above the no-stress course;\nbeyond the dashed line "
                 "plaques are chronic (PASI > 12) even without it", fontsize=10)
    fig.tight_layout()
    fig.savefig(FIG / "vicious_cycle_boundary.png", dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=["timecourse", "parts", "hysteresis", "boundary"])
    args = ap.parse_args()
    FIG.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "timecourse"):
        timecourse()
    if args.only in (None, "parts"):
        plan_parts()
    if args.only in (None, "hysteresis"):
        hysteresis(args.quick)
    if args.only in (None, "boundary"):
        boundary(args.quick)


if __name__ == "__main__":
    main()
