"""V35 (prediction row): one 15-min session of slow-paced breathing (6/min) at rest (Laborde et
al. 2022 meta-analysis, Neurosci Biobehav Rev 138:104711: during a session vagally mediated HRV
rises while mean heart rate changes little).

Nothing may be fitted to this row. Bands: mean heart rate during the session within -5 to +2 bpm
of rest; RMSSD higher during the session than at rest (direction).
"""

from __future__ import annotations

from nicsim.analysis.readouts import between, value_at
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 30, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
ONSET = 3.0            # 10:00 (scenario starts 07:00)
SESSION_H = 0.25


def run_session(parameters=None, model=None):
    sc = scenario("slow breathing session", "6 h", [{
        "type": "slow_breathing", "start": "day 1 10:00", "session": "15 min", "days": 1,
        "rate": "6 /min"}], start="07:00", interval="1 min", person=PERSON)
    sc = sc.replace(outputs=["heart_rate", "rmssd"])
    return simulate(sc, parameters=parameters, model=model)


class Laborde2022SlowBreathingSession(Study):
    id = "V35"
    title = "one 15-min slow-breathing session at rest: heart rate and RMSSD"
    source = "Laborde et al. 2022 meta-analysis, Neurosci Biobehav Rev 138:104711"
    protocol_text = ("woman aged 30 at rest; slow_breathing 6 /min for 15 min at 10:00; rest = "
                     "value 1 min before session onset; during = mean over the session after "
                     "its first minute")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        ds = run_session(parameters, model)
        # rest: one minute before the onset (at the onset itself the RSA term of RMSSD has
        # already stepped up)
        hr0 = value_at(ds, "heart_rate", ONSET - 1 / 60)
        rm0 = value_at(ds, "rmssd", ONSET - 1 / 60)
        during = between(ds, ONSET + 1 / 60, ONSET + SESSION_H)
        d_hr = float(during.heart_rate.mean()) - hr0
        r_rm = float(during.rmssd.mean()) / rm0
        result = StudyResult(self, [
            self.check("mean heart rate change during the session", d_hr),
            self.check("RMSSD during / at rest (higher, direction)", r_rm),
        ], {"session": ds})
        result.note = (f"heart rate {hr0:.3g} -> {hr0 + d_hr:.3g} bpm; RMSSD {rm0:.3g} -> "
                       f"{rm0 * r_rm:.3g} ms")
        return result

    def plot(self, result, ax):
        ds = result.data["session"]
        hr0 = value_at(ds, "heart_rate", ONSET)
        w = between(ds, ONSET - 0.25, ONSET + 0.75)
        ax.plot((w.time - ONSET) * 60, w.heart_rate - hr0, label="heart rate change (bpm)")
        shade_band(ax, 0, 15, *self.band("mean heart rate change during the session"),
                   "heart-rate band during the session")
        ax.set(xlabel="minutes after session onset", ylabel="heart rate change (bpm)")
