// Projection vs observed: the diary's severity and each arm's median and 80 % band on one
// date axis (the server aligns the series; null = no value that day).
(function () {
  "use strict";
  function draw() {
    const el = document.getElementById("projection-chart");
    if (!el || el.dataset.drawn || typeof uPlot === "undefined") return;
    el.dataset.drawn = "1";
    const c = JSON.parse(el.dataset.chart);
    const xs = c.dates.map(d => Date.parse(d) / 1000);
    const series = [{}, { label: "observed", stroke: "#333", width: 0, points: { show: true, size: 5 } }];
    const data = [xs, c.observed];
    const colours = { "no change": ["#888", "rgba(136,136,136,0.18)"] };
    const bands = [];
    for (const [name, arm] of Object.entries(c.arms)) {
      const [colour, fill] = colours[name] || ["#c0392b", "rgba(192,57,43,0.15)"];
      series.push({ label: name + " median", stroke: colour, width: 2, points: { show: false } });
      data.push(arm.median);
      series.push({ label: name + " 80 % low", stroke: colour, dash: [4, 4], width: 1, points: { show: false } });
      data.push(arm.lo80);
      series.push({ label: name + " 80 % high", stroke: colour, dash: [4, 4], width: 1, points: { show: false } });
      data.push(arm.hi80);
      // the 80 % band shaded between its high and low lines
      bands.push({ series: [series.length - 1, series.length - 2], fill: fill });
    }
    new uPlot({ title: "skin severity: observed and projected", height: 300,
                width: Math.min(960, el.clientWidth || 900), series: series, bands: bands }, data, el);
    el.dataset.state = "drawn";
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
