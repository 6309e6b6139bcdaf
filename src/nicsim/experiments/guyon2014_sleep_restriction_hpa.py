"""V55 (fitted row): two nights of sleep restriction (4 h in bed) against two nights of
extended sleep (10 h in bed) in healthy young men, ACTH and total cortisol the following day
(Guyon, Balbo, Morselli, Tasali, Leproult, L'Hermite-Baleriaux, Van Cauter & Spiegel 2014,
J Clin Endocrinol Metab 99:2861).

Published (abstract): 13 men, randomised crossover; after the second night, blood every 20 min
from 09:00 to midnight. Sleep restriction raised overall ACTH by 19 % (P < .03); morning ACTH was
higher (P < .04) without a rise in cortisol; evening ACTH was unchanged while evening total
cortisol rose by 30 % (P < .03), so the circadian cortisol decline was dampened.

Bands (derived from the abstract, never from the model): the three size checks are the
published mean change with a 95 % confidence interval rebuilt from the reported P value for a
paired comparison of 13 men (SE = change / t(12) at P, CI = change +/- 2.18 SE), taking P at its
bound: evening cortisol +30 %, P < .03 (t = 2.46) -> 3.4 to 56.6 %; overall ACTH +19 %, P < .03
-> 2.2 to 35.8 %; overall total cortisol +21 %, P = .10 (t = 1.78) -> -4.7 to 46.7 %. Two
direction checks: the evening ACTH change is at least 1 percentage point below the evening
cortisol change (ACTH unchanged, cortisol up), and morning ACTH is at least 1 % higher.

Protocol in the model: men aged 22 with habitual sleep 23:00-07:00 (the abstract gives no
habitual times); extended nights 22:00-08:00 (a ``sleep_schedule`` change: no sleep debt),
restricted nights 01:00-05:00 (``sleep_deprivation``: four scheduled hours awake each night;
the 10-h and 4-h windows are those of the same group's earlier report of this design, Spiegel et
al. 2004). Read-outs on the day after the second night: "overall" 09:00-24:00 (the sampling span),
"morning" 09:00-12:00 and "evening" 18:00-24:00 (the abstract does not give its windows; these
are assumptions).

The hpa sleep gains (``hpa.sleep_gain``, ``hpa.sleep_debt_drive_gain``) are fitted to this row
(``nicsim calibrate --group sleep_hpa``; ``hpa.sleep_debt_half`` is an assumption, since the row
has a single amount of debt); the one-night study V32 (Leproult 1997) is held out as a
prediction.
"""

from __future__ import annotations

from nicsim.analysis.readouts import between
from nicsim.experiments._protocols import scenario
from nicsim.experiments.base import Study, StudyResult
from nicsim.solve.simulate import simulate

PERSON = {"sex": "male", "age": 22, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
#: condition -> the events of nights 1 and 2
CONDITIONS = {
    "extended (10 h in bed)": [{"type": "sleep_schedule", "from_day": 1, "to_day": 2,
                                "bedtime": "22:00", "wake": "08:00"}],
    "restricted (4 h in bed)": [{"type": "sleep_deprivation", "night": n, "bedtime": "01:00",
                                 "wake": "05:00"} for n in (1, 2)],
}
START = 7.0                  # scenario starts 07:00 on day 1; nights 1 and 2 follow days 1 and 2
OVERALL = (50.0, 65.0)       # 09:00-24:00 on day 3, hours since the start
MORNING = (50.0, 53.0)       # 09:00-12:00
EVENING = (59.0, 65.0)       # 18:00-24:00


def run_condition(events, parameters=None, model=None):
    sc = scenario("two nights of sleep restriction or extension", "3 days", events,
                  start="07:00", interval="10 min", person=PERSON)
    sc = sc.replace(outputs=["cortisol_serum", "acth", "sleep_debt_hours"])
    return simulate(sc, parameters=parameters, model=model)


def mean(ds, name, window) -> float:
    return float(between(ds, *window)[name].mean())


class Guyon2014SleepRestrictionHPA(Study):
    id = "V55"
    title = "two nights of 4 h in bed vs 10 h: ACTH and cortisol the next day"
    source = "Guyon et al. 2014, J Clin Endocrinol Metab 99:2861"
    protocol_text = (
        "men aged 22, habitual sleep 23:00-07:00; nights 1 and 2 extended (sleep_schedule "
        "22:00-08:00) or restricted (sleep_deprivation 01:00-05:00); on day 3 mean ACTH and "
        "serum cortisol over 09:00-24:00 (overall), 09:00-12:00 (morning) and 18:00-24:00 "
        "(evening), restricted vs extended")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        data = {k: run_condition(ev, parameters, model) for k, ev in CONDITIONS.items()}
        ext, res = data["extended (10 h in bed)"], data["restricted (4 h in bed)"]

        def rise(name, window):
            return 100 * (mean(res, name, window) / mean(ext, name, window) - 1)

        cort_eve, acth_eve = rise("cortisol_serum", EVENING), rise("acth", EVENING)
        checks = [
            self.check("evening total cortisol, restricted vs extended", cort_eve),
            self.check("overall ACTH, restricted vs extended", rise("acth", OVERALL)),
            self.check("overall total cortisol, restricted vs extended",
                       rise("cortisol_serum", OVERALL)),
            self.check("evening ACTH rise below the cortisol rise (direction)",
                       cort_eve - acth_eve),
            self.check("morning ACTH, restricted vs extended (direction)",
                       rise("acth", MORNING)),
        ]
        note = (f"evening cortisol {cort_eve:+.3g} % (published +30 %), evening ACTH "
                f"{acth_eve:+.3g} % (published unchanged), overall ACTH "
                f"{rise('acth', OVERALL):+.3g} % (published +19 %), morning ACTH "
                f"{rise('acth', MORNING):+.3g} % and morning cortisol "
                f"{rise('cortisol_serum', MORNING):+.3g} % (published: ACTH higher, cortisol "
                f"not); sleep debt at 09:00 on day 3 "
                f"{float(res.sleep_debt_hours.sel(time=OVERALL[0], method='nearest')):.2f} h")
        return StudyResult(self, checks, data, note=note)

    def plot(self, result, ax):
        axr = ax.twinx()
        for (key, ds), color in zip(result.data.items(), ("tab:blue", "tab:red"), strict=True):
            w = between(ds, OVERALL[0], OVERALL[1])
            hours = w.time - 48 + START
            ax.plot(hours, w.cortisol_serum, color=color, label=f"cortisol, {key}")
            axr.plot(hours, w.acth, color=color, ls=":", label=f"ACTH, {key}")
        ax.axvspan(EVENING[0] - 48 + START, EVENING[1] - 48 + START, color="grey", alpha=0.12,
                   label="evening window")
        ax.axvspan(MORNING[0] - 48 + START, MORNING[1] - 48 + START, color="gold", alpha=0.10,
                   label="morning window")
        ax.set(xlabel="clock hour on day 3 (24 = midnight)", ylabel="serum cortisol (nmol/L)")
        axr.set_ylabel("ACTH (pmol/L, dotted)")
        handles, labels = ax.get_legend_handles_labels()
        more, more_labels = axr.get_legend_handles_labels()
        ax.legend(handles + more, labels + more_labels, loc="upper right", fontsize=7)
