// Draw personal projections (plan vs no change, median and 80 % band, observed diary).
(function () {
  "use strict";
  function draw(el) {
    if (el.dataset.drawn || typeof uPlot === "undefined") return;
    el.dataset.drawn = "1";
    const p = JSON.parse(el.dataset.projection);
    const obs = p.observed || { dates: [], severity: [] };
    const day = d => Date.parse(d) / 1000;
    const xs = obs.dates.map(day).concat(p.dates.map(day));
    const pad = a => obs.dates.map(() => null).concat(a);
    const obsY = obs.severity.concat(p.dates.map(() => null));
    const series = [{}, { label: "observed", stroke: "#333", width: 0, points: { show: true, size: 4 } }];
    const data = [xs, obsY];
    const colours = { "no change": "#888", plan: "#c0392b" };
    for (const [name, arm] of Object.entries(p.arms)) {
      const c = colours[name] || "#2c6e91";
      series.push({ label: name + " median", stroke: c, width: 2 });
      data.push(pad(arm.severity.median));
      series.push({ label: name + " 80 % low", stroke: c, dash: [4, 4], width: 1 });
      data.push(pad(arm.severity.lo80));
      series.push({ label: name + " 80 % high", stroke: c, dash: [4, 4], width: 1 });
      data.push(pad(arm.severity.hi80));
    }
    new uPlot({ title: "skin severity: diary and projection", width: Math.min(900, el.clientWidth || 800),
                height: 260, series: series }, data, el);
  }
  function all() { document.querySelectorAll(".projchart").forEach(draw); }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:load", all);
})();
