// Explorer: controls -> POST /api/explorer/simulate -> uPlot charts (plan vs no plan).
(function () {
  "use strict";
  const form = document.getElementById("controls");
  const status = document.getElementById("status");
  const chartsEl = document.getElementById("charts");
  let plots = [];
  let seq = 0;

  function controls() {
    const fd = new FormData(form);
    return {
      sex: fd.get("sex"), age: Number(fd.get("age")),
      stress_reactivity: Number(fd.get("stress_reactivity")),
      condition: fd.get("condition"), susceptibility: Number(fd.get("susceptibility")),
      situation: fd.get("situation"), plan: fd.getAll("plan"), weeks: Number(fd.get("weeks")),
    };
  }

  function text(el, s) { el.textContent = s; }

  function draw(data) {
    plots.forEach(p => p.destroy());
    plots = [];
    chartsEl.replaceChildren();
    const width = Math.max(320, Math.min(560, chartsEl.clientWidth / 2 - 16));
    for (const c of data.charts) {
      const box = document.createElement("div");
      box.className = "chart";
      box.dataset.readout = c.id;
      chartsEl.appendChild(box);
      const opts = {
        title: c.label + (c.unit ? " (" + c.unit + ")" : ""), width: width, height: 200,
        scales: { x: { time: false } },
        axes: [{ label: "day" }, {}],
        series: [{ label: "day" },
          { label: "no plan", stroke: "#888", width: 1.5 },
          { label: "with plan", stroke: "#c0392b", width: 1.5 }],
      };
      plots.push(new uPlot(opts, [data.t_days, c.no_plan, c.plan], box));
    }
    const table = document.getElementById("endvalues");
    table.replaceChildren();
    const head = table.insertRow();
    ["At the end", "no plan", "with plan"].forEach(h => text(head.insertCell(), h));
    for (const c of data.charts) {
      const r = table.insertRow();
      text(r.insertCell(), c.label);
      text(r.insertCell(), c.end_no_plan);
      text(r.insertCell(), c.end_plan);
    }
    const ul = document.getElementById("assumptions");
    ul.replaceChildren();
    for (const a of data.assumptions) {
      const li = document.createElement("li");
      text(li, a);
      ul.appendChild(li);
    }
  }

  async function update() {
    const my = ++seq;
    text(status, "Simulating…");
    status.dataset.state = "busy";
    const t0 = performance.now();
    try {
      const r = await fetch("/api/explorer/simulate", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(controls()),
      });
      const data = await r.json();
      if (my !== seq) return;  // a newer change is on its way
      if (!r.ok) { text(status, "Not possible: " + data.detail); status.dataset.state = "error"; return; }
      draw(data);
      text(status, "Updated in " + Math.round(performance.now() - t0) + " ms");
      status.dataset.state = "done";
      status.dataset.seq = String(my);
    } catch (e) {
      text(status, "Error: " + e);
      status.dataset.state = "error";
    }
  }

  form.addEventListener("input", function (ev) {
    if (ev.target.name === "stress_reactivity") text(document.getElementById("sr-out"), ev.target.value);
    if (ev.target.name === "susceptibility") text(document.getElementById("su-out"), ev.target.value);
  });
  form.addEventListener("change", update);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
  update();
})();
