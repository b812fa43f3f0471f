/* brandhalo charts: turn the report model's chart descriptions into ECharts options.
 * Used by the dashboard (served as a static file, CSP script-src 'self') and inlined into the
 * self-contained report. Reads data only from <script type="application/json" id="bh-data">;
 * all text goes through ECharts' own text rendering (canvas), never through innerHTML.
 *
 * Layout rules (issue 17): the legend has the top row to itself and y-axis names run along
 * their axis (never under the legend); a chart with `y_min` starts its axis there (counts start
 * at 0); event markers always carry their label, written along the marker line; the heatmap's
 * colour scale stands at the right, clear of the x-axis labels. */
(function () {
  "use strict";
  var PALETTE = ["#c0392b", "#2c7be5", "#27ae60", "#8e44ad", "#f39c12", "#16a085", "#7f8c8d"];
  var MARKER_CHARS = 14;  // event labels are cut to this many characters (the tooltip has all)

  function hasValue(v) { return v !== null && v !== undefined; }

  function labelRoom(c, i) {
    // Pixels the axis' tick labels take (7 px a character of the widest value), so the axis
    // name sits beside them, never on them.
    var widest = 1;
    c.series.forEach(function (s) {
      if ((s.axis || 0) !== i) { return; }
      s.data.forEach(function (v) {
        if (hasValue(v)) { widest = Math.max(widest, Math.round(v).toLocaleString("en").length + (v < 0 ? 1 : 0)); }
      });
    });
    return 14 + 7 * widest;
  }

  function yAxis(c, i) {
    var fixed = hasValue(c.y_min);
    return {
      type: "value",
      name: c.axis_names[i] || "",
      nameLocation: "middle",
      nameRotate: i === 0 ? 90 : -90,
      nameGap: labelRoom(c, i),
      nameTextStyle: { color: "#5f6b76" },
      scale: c.kind !== "bar" && !fixed,  // bars and counts start at their floor; lines zoom
      min: fixed ? c.y_min : undefined,
      max: hasValue(c.y_max) ? c.y_max : undefined,
      splitLine: { show: i === 0 }
    };
  }

  function short(text) {
    return text.length > MARKER_CHARS ? text.slice(0, MARKER_CHARS - 1) + "…" : text;
  }

  function markerEnds(c) {
    // Labels run along the marker line, at its top end; an event within a few days of the
    // previous top-labelled one is labelled at the bottom end instead, so they never overprint.
    var index = {};
    c.x.forEach(function (x, i) { index[x] = i; });
    var gap = Math.max(1, c.x.length / 45), lastTop = -Infinity;
    return c.markers.map(function (m) {
      var i = index[m.x] !== undefined ? index[m.x] : -Infinity;
      if (i - lastTop >= gap) { lastTop = i; return "insideEndTop"; }
      return "insideStartTop";
    });
  }

  function markerLine(c) {
    var ends = markerEnds(c);
    return {
      symbol: "none", silent: false, z: 10,
      lineStyle: { type: "dashed", color: "#999" },
      emphasis: { label: { show: true, formatter: "{b}", fontSize: 11 } },
      tooltip: { formatter: "{b}" },
      data: c.markers.map(function (m, i) {
        return {
          xAxis: m.x, name: m.label,
          label: { show: true, formatter: short(m.label), fontSize: 10, color: "#333",
            backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 2], position: ends[i] }
        };
      })
    };
  }

  function alone(data) {
    // Which points have no value on either side: a line draws nothing there, so they keep
    // their dot even where a long line hides its symbols (one day of posts between gaps).
    return data.map(function (v, i) {
      return hasValue(v) && !hasValue(data[i - 1]) && !hasValue(data[i + 1]);
    });
  }

  function symbols(s) {
    // Symbol settings of a series: scatter dots, every point of a short line, and on a long
    // line only the points standing alone (size 0 for the others).
    if (s.kind === "scatter") { return { showSymbol: true, symbolSize: 5 }; }
    if (s.kind !== "line" || s.data.length < 40) { return { showSymbol: true }; }
    var lone = alone(s.data);
    if (!lone.some(Boolean)) { return { showSymbol: false }; }
    return { showSymbol: true, showAllSymbol: true,
      symbolSize: function (v, p) { return lone[p.dataIndex] ? 5 : 0; } };
  }

  function lineOption(c) {
    var yAxes = [yAxis(c, 0)];
    if (c.series.some(function (s) { return s.axis === 1; })) { yAxes.push(yAxis(c, 1)); }
    var series = c.series.map(function (s, i) {
      var marks = symbols(s);
      return {
        name: s.name, type: s.kind, data: s.data, yAxisIndex: s.axis || 0, stack: s.stack || undefined,
        showSymbol: marks.showSymbol, showAllSymbol: marks.showAllSymbol, connectNulls: false,
        symbolSize: marks.symbolSize,  // daily dots under the smooth line, lone points
        lineStyle: { width: 2 },
        itemStyle: { color: PALETTE[i % PALETTE.length], opacity: s.kind === "scatter" ? 0.5 : 1 }
      };
    });
    if (c.markers.length && series.length) { series[0].markLine = markerLine(c); }
    var zoom = c.x.length > 60;
    return {
      animation: false, color: PALETTE,
      tooltip: { trigger: "axis", confine: true },
      legend: { type: "scroll", top: 0, left: 60, right: 60 },
      grid: { left: yAxes[0].nameGap + 22, right: yAxes.length > 1 ? yAxes[1].nameGap + 22 : 24,
        top: 40, bottom: zoom ? 62 : 34 },
      xAxis: { type: "category", data: c.x, boundaryGap: c.kind === "bar" },
      yAxis: yAxes,
      dataZoom: zoom ? [{ type: "inside" }, { type: "slider", height: 16, bottom: 8 }] : [],
      series: series
    };
  }

  function heatmapOption(c) {
    var values = c.cells.map(function (v) { return v[2]; }).filter(hasValue);
    var lo = c.value_range ? c.value_range[0] : Math.min.apply(null, values.concat([0]));
    var hi = c.value_range ? c.value_range[1] : Math.max.apply(null, values.concat([0]));
    return {
      animation: false,
      tooltip: { position: "top", confine: true },
      grid: { left: 110, right: 110, top: 10, bottom: 36 },
      xAxis: { type: "category", data: c.x, splitArea: { show: true } },
      yAxis: { type: "category", data: c.y, splitArea: { show: true } },
      visualMap: { min: lo, max: hi, calculable: true, orient: "vertical", right: 10, top: "middle",
        itemHeight: 140, precision: 0, inRange: { color: ["#c0392b", "#f7f7f7", "#27ae60"] } },
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
    window.__bhCharts = charts;  // browser tests read the options drawn
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); }
  else { draw(); }
})();
