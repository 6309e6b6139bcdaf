"""V34 (prediction row): wound time scales in one unstressed person. A 3.5-mm forearm punch
biopsy closes in 30-50 days (controls of Kiecolt-Glaser et al. 1995: 39.3 days), a 3.5-mm
palatal mucosal wound in 6-10 days (vacation in Marucha et al. 1998: 7.8 days), and a larger
punch wound takes longer than a smaller one (direction). The model closes wounds from the margin
(wound module): time to closure grows with the radius, and tissue sets the margin speed.

Nothing may be fitted to this row. (The skin and mucosal closure rates are fitted to V11 and V12,
whose control arms are the same published numbers: the report lists V34 as predicted because no
parameter names it, and the shared papers are shown next to it.)
"""

from __future__ import annotations

from nicsim.experiments._protocols import scenario
from nicsim.experiments._wounds import closure_time, wound_area_mm2
from nicsim.experiments.base import Study, StudyResult, shade_band
from nicsim.solve.simulate import simulate

PERSON = {"sex": "female", "age": 45, "sleep": {"bedtime": "23:00", "wake": "07:00"}}
DAYS = 120                       # an 8-mm punch takes about 80 days to close
T_WOUND = 1.0                    # day 1, 09:00 (scenario starts 08:00)
SMALL, STANDARD, LARGE = 2.0, 3.5, 8.0   # punch diameters, mm


def run_wounds(punch_mm: float, mucosal: bool, parameters=None, model=None,
               blister_mm: float | None = None):
    protocol = [{"type": "punch_biopsy", "at": "day 1 09:00", "diameter": f"{punch_mm} mm"}]
    outputs = ["wound_area_skin"]
    if blister_mm is not None:  # shown next to the punches, not checked (no row holds it)
        protocol.append({"type": "blister_wound", "at": "day 1 09:00",
                         "diameter": f"{blister_mm} mm"})
        outputs.append("wound_area_blister")
    if mucosal:
        protocol.append({"type": "mucosal_wound", "at": "day 1 09:00",
                         "diameter": f"{STANDARD} mm"})
        outputs.append("wound_area_mucosal")
    sc = scenario("wound time scales", f"{DAYS} days", protocol, start="08:00",
                  interval="2 h", person=PERSON).replace(outputs=outputs)
    return simulate(sc, parameters=parameters, model=model, initial_state="settled")


class KiecoltGlaser1995WoundTimeScales(Study):
    id = "V34"
    title = "wound time scales: skin punch vs palatal wound, small vs large punch"
    source = "Kiecolt-Glaser et al. 1995; Marucha et al. 1998"
    protocol_text = (
        f"one unstressed woman aged 45: punch_biopsy {STANDARD} mm and mucosal_wound {STANDARD} "
        f"mm at 09:00 on day 1; in separate runs punch_biopsy {SMALL} mm and {LARGE} mm (with "
        f"a blister_wound {LARGE} mm, shown but not checked); "
        "closed when the open area is below 1 % of the initial area; 'takes longer' means by at "
        "least half a day (about 1 % of the healing time), so that interpolation noise is not "
        "read as a size effect")

    def run(self, *, parameters=None, model=None) -> StudyResult:
        std = run_wounds(STANDARD, True, parameters, model)
        small = run_wounds(SMALL, False, parameters, model)
        large = run_wounds(LARGE, False, parameters, model, blister_mm=LARGE)
        days = {
            "skin": closure_time(std, "wound_area_skin", T_WOUND, wound_area_mm2(STANDARD)) / 24,
            "mucosal": closure_time(std, "wound_area_mucosal", T_WOUND,
                                    wound_area_mm2(STANDARD)) / 24,
            "small": closure_time(small, "wound_area_skin", T_WOUND, wound_area_mm2(SMALL)) / 24,
            "large": closure_time(large, "wound_area_skin", T_WOUND, wound_area_mm2(LARGE)) / 24,
            "blister": closure_time(large, "wound_area_blister", T_WOUND,
                                    wound_area_mm2(LARGE)) / 24,
        }
        result = StudyResult(self, [
            self.check(f"{STANDARD:g}-mm skin punch closure", days["skin"]),
            self.check(f"{STANDARD:g}-mm palatal wound closure", days["mucosal"]),
            self.check(f"{LARGE:g}-mm punch takes longer than {STANDARD:g}-mm (direction)",
                       days["large"] - days["skin"]),
            self.check(f"{STANDARD:g}-mm punch takes longer than {SMALL:g}-mm (direction)",
                       days["skin"] - days["small"]),
        ], {"standard": std, "small": small, "large": large, "days": days})
        result.note = ", ".join(f"{k} {v:.3g} d" for k, v in days.items())
        return result

    def plot(self, result, ax):
        d = result.data
        for key, name, mm, label in (
                ("small", "wound_area_skin", SMALL, f"{SMALL:g}-mm punch"),
                ("standard", "wound_area_skin", STANDARD, f"{STANDARD:g}-mm punch"),
                ("large", "wound_area_skin", LARGE, f"{LARGE:g}-mm punch"),
                ("standard", "wound_area_mucosal", STANDARD, f"{STANDARD:g}-mm palatal"),
                ("large", "wound_area_blister", LARGE, f"{LARGE:g}-mm suction blister")):
            w = d[key]
            ax.plot((w.time - T_WOUND) / 24, 100 * w[name] / wound_area_mm2(mm), label=label)
        shade_band(ax, *self.band(f"{STANDARD:g}-mm skin punch closure"), 0, 5,
                   "skin punch band")
        shade_band(ax, *self.band(f"{STANDARD:g}-mm palatal wound closure"), 0, 5,
                   "palatal band", color="tab:orange")
        ax.set(xlabel="days after wounding", ylabel="open area (% of initial)")
