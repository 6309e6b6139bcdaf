"""V31 (prediction row): the TSST in the morning vs the afternoon (Kudielka, Schommer,
Hellhammer & Kirschbaum 2004, Psychoneuroendocrinology 29:983: about 100 healthy adults; the
net salivary cortisol and ACTH increases did not differ between the times of day although the
baselines did).

Nothing may be fitted to this row. The morning session starts at 09:00 and the afternoon session
at 16:00 (two hours after waking and mid-afternoon; the paper's exact clock times are not used).
"""

from __future__ import annotations

from nicsim.analysis.readouts import peak, value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

SESSIONS = {"morning": 9.0, "afternoon": 16.0}   # clock hour of stressor onset
START = 6.0                                        # scenario starts 06:00


def run_session(onset_clock: float, parameters=None, model=None):
    h, m = int(onset_clock), int(round(60 * (onset_clock % 1)))
    sc = scenario("tsst time of day", "14 h", [{
        "type": "acute_stressor", "start": f"day 1 {h:02d}:{m:02d}", "duration": "20 min",
        "intensity": 1.0}], start="06:00")
    sc = sc.replace(outputs=["cortisol_saliva", "acth"])
    return simulate(sc, parameters=parameters, model=model)


def net_increase(ds, name: str, onset_h: float) -> float:
    """Peak within 2 h of onset minus the level at onset."""
    base = value_at(ds, name, onset_h)
    pk, _ = peak(ds, name, onset_h, onset_h + 2)
    return pk - base


class Kudielka2004TsstTimeOfDay(Study):
    id = "V31"
    title = "TSST in the morning vs the afternoon: net cortisol and ACTH increases"
    source = "Kudielka, Schommer, Hellhammer & Kirschbaum 2004, Psychoneuroendocrinology 29:983"
    protocol_text = ("same person twice, acute_stressor intensity 1 for 20 min at 09:00 "
                     "(morning) or 16:00 (afternoon), waking at 07:00; net increase = peak within "
                     "2 h of onset minus the level at onset")
    def run(self, *, parameters=None, model=None) -> StudyResult:
        data, net = {}, {}
        for key, clock in SESSIONS.items():
            ds = run_session(clock, parameters, model)
            onset = clock - START
            data[key] = ds
            net[key] = {n: net_increase(ds, n, onset) for n in ("cortisol_saliva", "acth")}
        ratio_c = net["morning"]["cortisol_saliva"] / net["afternoon"]["cortisol_saliva"]
        ratio_a = net["morning"]["acth"] / net["afternoon"]["acth"]
        result = StudyResult(self, [
            self.check("net salivary cortisol increase, morning / afternoon", ratio_c),
            self.check("net ACTH increase, morning / afternoon", ratio_a),
        ], {**data, "net": net})
        result.note = (
            f"net salivary cortisol +{net['morning']['cortisol_saliva']:.3g} (morning) vs "
            f"+{net['afternoon']['cortisol_saliva']:.3g} nmol/L (afternoon); net ACTH "
            f"+{net['morning']['acth']:.3g} vs +{net['afternoon']['acth']:.3g} pmol/L")
        return result

    def plot(self, result, ax):
        for key, clock in SESSIONS.items():
            ds = result.data[key]
            onset = clock - START
            w = ds.sel(time=slice(onset - 0.5, onset + 2.5))
            ax.plot((w.time - onset) * 60, w.cortisol_saliva - value_at(ds, "cortisol_saliva",
                                                                      onset),
                    label=f"{key} ({int(clock):02d}:00)")
        ax.axvspan(0, 20, color="grey", alpha=0.15, label="stressor")
        ax.axhline(0, color="k", lw=0.5)
        ax.set(xlabel="minutes after stressor onset",
               ylabel="salivary cortisol change from onset (nmol/L)")
