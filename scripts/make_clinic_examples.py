"""Generate examples/clinic/: three synthetic clients (eczema, psoriasis, acne) with 90-day
diaries, a care plan begun on day 61, consultations every four weeks and (eczema) salivary
cortisol samples. Deterministic (fixed seeds).

    .venv/bin/python scripts/make_clinic_examples.py [--out examples/clinic]

Every client is virtual: personal parameters drawn from the priors, exposures from
``nicsim.clinic.projection.synthetic_exposures``, the diary from the model through the
observation model. The true parameters are written to ``truth.yaml`` beside each client (what
the fit should recover; a real client folder has no such file).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import yaml

from nicsim.clinic.instruments import default_registry
from nicsim.clinic.plan import CarePlan
from nicsim.clinic.projection import (
    ClientProfile,
    series_to_diary,
    synthetic_client,
)

DAYS = 90
PLAN_DAY = 60  # diary day index of the plan's first day (day 61)
START = dt.date(2026, 1, 5)

CLIENTS = {
    "eczema": {
        "seed": 11, "description": "Atopic eczema on hands and inner elbows; stressful job "
        "with deadline weeks; uses an emollient most days.",
        "person": {"sex": "female", "age": 29, "bedtime": "23:30", "wake": "07:00",
                   "lesion_visibility": 0.7, "social_support": 0.5},
        "truth": {"stress_reactivity": 1.6, "distress_sensitivity": 1.2, "susceptibility": 1.3},
        "plan": {"name": "calm barrier", "description": "Emollient twice daily on all "
                 "affected skin, a morning breathing practice and evening mindfulness.",
                 "steps": [{"kind": "emollient", "coverage": 0.9},
                           {"kind": "slow_breathing", "minutes": 10, "at": "07:30"},
                           {"kind": "mindfulness", "minutes": 20, "at": "19:30",
                            "days_per_week": 5}]},
        "cortisol": True, "phq9_item9": None,
    },
    "psoriasis": {
        "seed": 12, "description": "Plaque psoriasis on elbows, knees and scalp line; "
        "self-conscious about visible plaques.",
        "person": {"sex": "male", "age": 41, "bedtime": "23:00", "wake": "06:30",
                   "lesion_visibility": 0.8, "social_support": 0.3},
        "truth": {"stress_reactivity": 1.2, "distress_sensitivity": 1.8, "susceptibility": 1.1},
        "plan": {"name": "steady skin", "description": "Daily mindfulness, an emollient and "
                 "an evening with a supportive friend or partner.",
                 "steps": [{"kind": "mindfulness", "minutes": 20, "at": "19:30"},
                           {"kind": "emollient", "coverage": 0.8},
                           {"kind": "social_support", "from": "20:00", "to": "21:00"}]},
        "cortisol": False, "phq9_item9": 2,  # consultation index with item 9 answered > 0
    },
    "acne": {
        "seed": 13, "description": "Inflammatory acne on the face (with some rosacea-like "
        "flushing); exam periods.",
        "person": {"sex": "female", "age": 22, "bedtime": "00:00", "wake": "07:30",
                   "lesion_visibility": 0.9, "social_support": 0.6},
        "truth": {"stress_reactivity": 1.4, "distress_sensitivity": 1.0, "susceptibility": 1.2},
        "plan": {"name": "clear and calm", "description": "Retinoid / benzoyl peroxide gel "
                 "in the evening, slow breathing in the morning, a relaxation recording.",
                 "steps": [{"kind": "retinoid_bpo"},
                           {"kind": "slow_breathing", "minutes": 10, "at": "08:00"},
                           {"kind": "relaxation", "minutes": 20, "at": "21:00",
                            "days_per_week": 4}]},
        "cortisol": False, "phq9_item9": None,
    },
}

#: instruments at each consultation (role practitioner; PHQ-9 needs a clinician)
INSTRUMENTS = ("who5", "gad7", "pss10", "dlqi")


def _answers(inst, level: float, rng: np.random.Generator) -> dict:
    """Answers at a problem level 0 (none) to 1 (worst); positively worded items reversed."""
    out = {}
    for item in inst.items:
        if not item.required or item.enable_when is not None:
            continue
        lv = float(np.clip(level + 0.12 * rng.standard_normal(), 0, 1))
        if item.kind == "choice":
            scored = sorted((o for o in item.options if o.score is not None),
                            key=lambda o: o.score)
            if not scored:
                continue
            if inst.id == "who5" or item.reverse:
                lv = 1 - lv
            out[item.id] = scored[int(round(lv * (len(scored) - 1)))].code
        elif item.kind in ("integer", "decimal"):
            v = item.min + lv * (item.max - item.min)
            out[item.id] = int(round(v)) if item.kind == "integer" else round(v, 1)
    return out


def make_client(name: str, spec: dict, out: Path) -> None:
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    profile = ClientProfile(condition=name, **spec["person"])
    plan = CarePlan.from_dict(spec["plan"])
    c = synthetic_client(name, days=DAYS, seed=spec["seed"], truth=spec["truth"],
                         profile=profile, plan=plan, plan_day=PLAN_DAY, start=START)
    diary = series_to_diary(c.observed, name, client_id=f"demo-{name}", plan=plan)
    diary.write(folder / "diary.csv")
    (folder / "plan.yaml").write_text(yaml.safe_dump(plan.to_dict(), sort_keys=False,
                                                     allow_unicode=True, width=100))
    rng = np.random.default_rng(spec["seed"] + 100)
    reg = default_registry()
    cons = []
    stress = c.observed.stress
    for j, day in enumerate((0, 28, 56, 84)):
        window = stress[max(0, day - 14):day + 1]
        level = float(np.nanmean(window)) / 10 if np.isfinite(window).any() else 0.4
        sev = c.true_severity[day] / max(float(np.nanmax(c.true_severity)), 1e-9)
        inst = {}
        for iid in INSTRUMENTS:
            lv = 0.5 * sev + 0.2 if iid == "dlqi" else level
            inst[iid] = _answers(reg.get(iid, role="clinician"), lv, rng)
        role = "practitioner"
        if j >= 1:
            role = "clinician"
            phq = _answers(reg.get("phq9", role="clinician"), level * 0.8, rng)
            phq["q9"] = "several_days" if spec["phq9_item9"] == j else "not_at_all"
            inst["phq9"] = phq
        cons.append({"date": (START + dt.timedelta(days=day)).isoformat(), "role": role,
                     "instruments": inst})
    (folder / "consultations.yaml").write_text(
        "# Synthetic consultations (answers generated from the diary's stress level).\n"
        + yaml.safe_dump(cons, sort_keys=False, width=100))
    client = {"client_id": f"demo-{name}", "condition": name,
              "description": spec["description"], "person": spec["person"],
              "diary": "diary.csv", "plan": "plan.yaml",
              "plan_start": (START + dt.timedelta(days=PLAN_DAY)).isoformat(),
              "consultations": "consultations.yaml"}
    if spec["cortisol"]:
        rows = ["date,time,nmol_per_l"]
        for day in (9, 10, 40, 41):
            for hh, mm in ((7, 30), (22, 0)):
                k = day * 24 + hh
                v = float(c.cortisol_hourly[k]) * float(np.exp(0.3 * rng.standard_normal()))
                rows.append(f"{(START + dt.timedelta(days=day)).isoformat()},{hh:02d}:{mm:02d},"
                            f"{v:.1f}")
        (folder / "cortisol.csv").write_text("\n".join(rows) + "\n")
        client["cortisol"] = "cortisol.csv"
    (folder / "client.yaml").write_text(
        "# Synthetic client (generated by scripts/make_clinic_examples.py)\n"
        + yaml.safe_dump(client, sort_keys=False, width=100))
    (folder / "truth.yaml").write_text(
        "# True personal parameters of this virtual client (not part of a real client folder)\n"
        + yaml.safe_dump({k: float(v) for k, v in c.truth.items()}, sort_keys=False))
    print(f"{folder}: {int(c.observed.recorded.sum())} of {DAYS} days recorded")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="examples/clinic", type=Path)
    args = ap.parse_args()
    for name, spec in CLIENTS.items():
        make_client(name, spec, args.out)


if __name__ == "__main__":
    main()
