/* brandhalo charts: turn the report model's chart descriptions into ECharts options.
 * Used by the dashboard (served as a static file, CSP script-src 'self') and inlined into the
 * self-contained report. Reads data only from <script type="application/json" id="bh-data">;
 * all text goes through ECharts' own text rendering (canvas), never through innerHTML. */
(function () {
  "use strict";
  var PALETTE = ["#c0392b", "#2c7be5", "#27ae60", "#8e44ad", "#f39c12", "#16a085", "#7f8c8d"];

  function lineOption(c) {
    var scale = c.kind !== "bar";  // bars start at zero; lines zoom to their range
    var yAxes = [{ type: "value", name: c.axis_names[0] || "", scale: scale }];
    if (c.series.some(function (s) { return s.axis === 1; })) {
      yAxes.push({ type: "value", name: c.axis_names[1] || "", scale: scale, splitLine: { show: false } });
    }
    var series = c.series.map(function (s, i) {
      return {
        name: s.name, type: s.kind, data: s.data, yAxisIndex: s.axis || 0, stack: s.stack || undefined,
        showSymbol: s.kind !== "line" || s.data.length < 40, connectNulls: false,
        lineStyle: { width: 2 }, itemStyle: { color: PALETTE[i % PALETTE.length] }
      };
    });
    if (c.markers.length && series.length) {
      // Many events: names on hover only, so labels do not pile up.
      series[0].markLine = {
        symbol: "none", silent: false,
        label: { show: c.markers.length <= 6, formatter: "{b}", fontSize: 10 },
        emphasis: { label: { show: true, formatter: "{b}", fontSize: 11 } },
        lineStyle: { type: "dashed", color: "#999" },
        data: c.markers.map(function (m) { return { xAxis: m.x, name: m.label }; })
      };
    }
    return {
      animation: false, color: PALETTE,
      tooltip: { trigger: "axis", confine: true },
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: yAxes.length > 1 ? 50 : 20, top: 36, bottom: 50 },
      xAxis: { type: "category", data: c.x, boundaryGap: c.kind === "bar" },
      yAxis: yAxes,
      dataZoom: c.x.length > 60 ? [{ type: "inside" }, { type: "slider", height: 16, bottom: 8 }] : [],
      series: series
    };
  }

  function heatmapOption(c) {
    var values = c.cells.map(function (v) { return v[2]; }).filter(function (v) { return v !== null; });
    var lo = c.value_range ? c.value_range[0] : Math.min.apply(null, values.concat([0]));
    var hi = c.value_range ? c.value_range[1] : Math.max.apply(null, values.concat([0]));
    return {
      animation: false,
      tooltip: { position: "top", confine: true },
      grid: { left: 110, right: 20, top: 10, bottom: 70 },
      xAxis: { type: "category", data: c.x, splitArea: { show: true } },
      yAxis: { type: "category", data: c.y, splitArea: { show: true } },
      visualMap: { min: lo, max: hi, calculable: true, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#c0392b", "#f7f7f7", "#27ae60"] } },
      series: [{ type: "heatmap", data: c.cells, label: { show: true, formatter: function (p) {
        return p.value[2] === null ? "" : Math.round(p.value[2]); } } }]
    };
  }

  function option(c) { return c.kind === "heatmap" ? heatmapOption(c) : lineOption(c); }

  function draw() {
    var node = document.getElementById("bh-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var byKey = {};
    (data.charts || []).forEach(function (c) { byKey[c.key] = c; });
    var charts = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (el) {
      var c = byKey[el.getAttribute("data-chart")];
      if (!c) { return; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(c));
      el.setAttribute("data-rendered", "1");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
    document.documentElement.setAttribute("data-charts-ready", String(charts.length));
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); }
  else { draw(); }
})();
