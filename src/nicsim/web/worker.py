"""Jobs off the request path: a thread in the server process takes queued rows of the ``job``
table, runs them and writes progress and result back (so any worker process can show them)."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from sqlalchemy import select, update

from nicsim.clinic.diary import Diary
from nicsim.clinic.plan import CarePlan
from nicsim.clinic.projection import ClientProfile, DailySeries, fit, project
from nicsim.clinic.report import make_report
from nicsim.web import explorer as ex
from nicsim.web.models import ClientReport, Job, utcnow

#: kind -> function(params, progress) -> result dict
RUNNERS: dict[str, Callable] = {}


def runner(kind: str):
    def deco(fn):
        RUNNERS[kind] = fn
        return fn
    return deco


@runner("plan_projection")
def _plan_projection(params: dict, progress: Callable[[float, str], None]) -> dict:
    """Plan vs no plan for the client's condition (the explorer's model run, 4-12 weeks)."""

    req = ex.parse_request(params)
    no_plan, with_plan = ex.scenarios(req)
    progress(0.05, "simulating without the plan")
    ex.simulate_arm(no_plan)
    progress(0.5, "simulating with the plan")
    out = ex.run(req)
    progress(1.0, "done")
    return {"summary": [{"label": c["label"], "no_plan": c["end_no_plan"], "plan": c["end_plan"]}
                        for c in out["charts"]], "assumptions": out["assumptions"],
            "weeks": req.weeks}


class Worker:
    def __init__(self, sessionmaker, poll_s: float = 0.5):
        self.sessionmaker = sessionmaker
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="nicsim-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _claim(self) -> int | None:
        with self.sessionmaker() as db:
            job_id = db.scalar(select(Job.id).where(Job.status == "queued").order_by(Job.id)
                               .limit(1))
            if job_id is None:
                return None
            n = db.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                           .values(status="running", message="started")).rowcount
            db.commit()
            return job_id if n == 1 else None

    def run_one(self) -> bool:
        job_id = self._claim()
        if job_id is None:
            return False
        with self.sessionmaker() as db:
            job = db.get(Job, job_id)

            def progress(frac: float, message: str) -> None:
                job.progress, job.message = float(frac), message
                db.commit()

            try:
                fn = RUNNERS.get(job.kind)
                if fn is None:
                    raise ValueError(f"kind: {job.kind!r} is not allowed; allowed: "
                                     + ", ".join(RUNNERS))
                result = fn(dict(job.params), progress)
                pdf = result.pop("pdf", None)
                if pdf:
                    report = ClientReport(client_id=job.client_id, job_id=job.id, pdf=pdf)
                    db.add(report)
                    db.flush()
                    result["report_id"] = report.id
                job.result = result
                job.status, job.progress = "done", 1.0
            except Exception as exc:  # noqa: BLE001 - the job records any failure
                job.status = "failed"
                job.message = f"{type(exc).__name__}: {exc}"[:2000]
                traceback.print_exc()
            job.finished_at = utcnow()
            db.commit()
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if not self.run_one():
                    self._stop.wait(self.poll_s)
            except Exception:  # noqa: BLE001 - keep the worker alive (database hiccups)
                traceback.print_exc()
                self._stop.wait(self.poll_s)


@runner("personal_projection")
def _personal_projection(params: dict, progress: Callable[[float, str], None]) -> dict:
    """Fit the client's personal parameters to her diary and project plan vs no change
    (:mod:`nicsim.clinic.projection`)."""
    import re

    diary = Diary.from_json(params["diary_json"])
    series = DailySeries.from_diary(diary)
    plan = CarePlan.model_validate(params["plan"])
    size = params["size"]
    max_iter = size["fit_max_iter"]

    def fit_progress(msg: str) -> None:
        m = re.match(r"iteration (\d+)", msg)
        k = int(m.group(1)) if m else 0
        progress(0.05 + 0.6 * min(k, max_iter) / max_iter, "fitting: " + msg)

    def project_progress(msg: str) -> None:
        m = re.search(r"(\d+)/(\d+)", msg)
        frac = int(m.group(1)) / int(m.group(2)) if m else 0.0
        progress(0.65 + 0.35 * frac, "projecting: " + msg)

    progress(0.02, "fitting the personal parameters to the diary")
    fitted = fit(series, ClientProfile(params["condition"]), max_iter=max_iter,
                 progress=fit_progress)
    proj = project(fitted, plan, weeks=int(params["weeks"]), n_draws=size["projection_draws"],
                   n_futures=size["projection_futures"], progress=project_progress)
    out = proj.to_dict()
    out["seconds"] = round(proj.seconds, 1)
    out["observed"] = {"dates": [d.isoformat() for d in series.dates],
                       "severity": [None if v != v else float(v) for v in series.severity]}
    return out


@runner("client_report")
def _client_report(params: dict, progress: Callable[[float, str], None]) -> dict:
    """The client report (HTML + PDF) of :func:`nicsim.clinic.report.make_report`, from a
    client folder written from the database."""
    import tempfile
    from pathlib import Path

    import yaml

    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "client"
        folder.mkdir()
        Diary.from_json(params["diary_json"]).to_csv(folder / "diary.csv")
        intake = {"client_id": params["client_id"], "condition": params["condition"],
                  "diary": "diary.csv", "description": params.get("description", "")}
        if params.get("plan") and params["plan"].get("steps"):
            (folder / "plan.yaml").write_text(yaml.safe_dump(params["plan"]))
            intake["plan"] = "plan.yaml"
        if params.get("consultations"):
            (folder / "consultations.yaml").write_text(yaml.safe_dump(params["consultations"]))
            intake["consultations"] = "consultations.yaml"
        (folder / "client.yaml").write_text(yaml.safe_dump(intake))
        steps = [0]

        def say(msg: str) -> None:
            steps[0] += 1
            progress(min(0.95, 0.05 + 0.04 * steps[0]), msg)

        progress(0.02, "writing the report")
        size = params["size"]
        res = make_report(folder, Path(d) / "out", pdf=True, weeks=int(params.get("weeks", 8)),
                          n_draws=size["report_draws"], n_futures=size["report_futures"],
                          fit_max_iter=size["fit_max_iter"], progress=say)
        pdf = res.pdf.read_bytes() if res.pdf else b""
    return {"pdf": pdf, "flags": res.flags}
