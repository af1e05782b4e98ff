/**
 * The page's own script: reads the chart data (JSON in the page) and draws each chart with uPlot
 * into its placeholder. Plain browser JavaScript, inlined as text; it takes nothing from the
 * network and writes no record text as HTML (labels reach uPlot, which sets them as text or
 * draws them on the canvas). The drawn charts are kept in `window.tailgateCharts`, for tests.
 */
export const CHART_SCRIPT = String.raw`(function () {
  'use strict';
  var source = document.getElementById('tailgate-data');
  var specs = JSON.parse(source ? source.textContent : '[]');
  var charts = [];
  window.tailgateCharts = charts;

  // Distribution charts put x = 1 / (1 - q) on a log axis: 10 is p90, 1000 is p99.9.
  function percentLabel(x) {
    if (x == null) return '--';
    if (x <= 1) return '0%';
    var digits = Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2);
    return (100 * (1 - 1 / x)).toFixed(digits) + '%';
  }

  // Shades a span of x (seconds), with a label at its top left when one is given.
  function shade(u, range, fill, label) {
    var x0 = u.valToPos(range[0], 'x', true);
    var x1 = u.valToPos(range[1], 'x', true);
    var left = Math.max(u.bbox.left, Math.min(x0, x1));
    var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
    if (right <= left) return;
    var ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = fill;
    ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
    if (label) {
      ctx.fillStyle = 'rgba(73, 80, 87, 0.9)';
      ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
      // uPlot leaves the axes' alignment on the context: set this label's own.
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(label, left + 4 * devicePixelRatio, u.bbox.top + 4 * devicePixelRatio);
    }
    ctx.restore();
  }

  function warmupHook(range) {
    return function (u) { shade(u, range, 'rgba(134, 142, 150, 0.18)', 'warm-up'); };
  }

  // Spans not measured (a paired run's settles), lighter than the warm-up.
  function bandsHook(bands) {
    return function (u) {
      for (var i = 0; i < bands.length; i++) shade(u, bands[i], 'rgba(240, 140, 0, 0.10)', null);
    };
  }

  // Thin dashed vertical lines (the ends of stages).
  function marksHook(marks) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = 'rgba(73, 80, 87, 0.55)';
      ctx.lineWidth = devicePixelRatio;
      ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
      for (var i = 0; i < marks.length; i++) {
        var x = Math.round(u.valToPos(marks[i], 'x', true)) + 0.5;
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
      ctx.restore();
    };
  }

  // The analysis's spans (a surge, a recovery window), whole height with a label, or an interval
  // as a strip along the plot's foot. Labels alternate between two rows so neighbours do not overlap.
  function zonesHook(zones) {
    return function (u) {
      var row = 0;
      for (var i = 0; i < zones.length; i++) {
        var zone = zones[i];
        if (!zone.strip) {
          shadeLabelled(u, [zone.from, zone.to], zone.fill, zone.label, row);
          if (zone.label) row = 1 - row;
          continue;
        }
        var x0 = u.valToPos(zone.from, 'x', true);
        var x1 = u.valToPos(zone.to, 'x', true);
        var left = Math.max(u.bbox.left, Math.min(x0, x1));
        var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
        if (right <= left) continue;
        var h = 6 * devicePixelRatio;
        u.ctx.save();
        u.ctx.fillStyle = zone.fill;
        u.ctx.fillRect(left, u.bbox.top + u.bbox.height - h, right - left, h);
        u.ctx.restore();
      }
    };
  }

  function shadeLabelled(u, range, fill, label, row) {
    shade(u, range, fill, null);
    if (!label) return;
    var x0 = Math.max(u.bbox.left, Math.min(u.valToPos(range[0], 'x', true), u.valToPos(range[1], 'x', true)));
    if (x0 >= u.bbox.left + u.bbox.width) return;
    var ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(73, 80, 87, 0.9)';
    ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(label, x0 + 4 * devicePixelRatio, u.bbox.top + (4 + 14 * row) * devicePixelRatio);
    ctx.restore();
  }

  // Labelled vertical lines in their colour (the knee of a rising load).
  function markersHook(markers) {
    return function (u) {
      var ctx = u.ctx;
      for (var i = 0; i < markers.length; i++) {
        var marker = markers[i];
        var x = Math.round(u.valToPos(marker.at, 'x', true)) + 0.5;
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.save();
        ctx.strokeStyle = marker.color;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillStyle = marker.color;
        ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
        ctx.textBaseline = 'top';
        // Right of the line, or left of it when the label would run off the plot.
        var width = ctx.measureText(marker.label).width;
        var right = x + 4 * devicePixelRatio + width <= u.bbox.left + u.bbox.width;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.fillText(marker.label, right ? x + 4 * devicePixelRatio : x - 4 * devicePixelRatio, u.bbox.top + (4 + 14 * (i % 2)) * devicePixelRatio);
        ctx.restore();
      }
    };
  }

  // Milliseconds on a log axis: 0.5 ms, 20 ms, 1.5 s.
  function msLabel(v) {
    if (v == null) return '--';
    if (v >= 1000) return +(v / 1000).toPrecision(3) + ' s';
    return +v.toPrecision(3) + ' ms';
  }

  function series(s, spec) {
    var options = { label: s.label, stroke: s.color, width: 2, spanGaps: true, points: { show: false } };
    if (spec.kind === 'histogram') {
      options.paths = uPlot.paths.stepped({ align: 1 });
      options.value = function (u, v) { return v == null ? '--' : v.toFixed(2) + '%'; };
      if (!s.dash) options.fill = 'rgba(25, 113, 194, 0.16)';
    }
    if (s.right) options.scale = 'y2';
    if (s.dash) { options.dash = [6, 4]; options.width = 1.5; }
    if (s.style === 'points') {
      options.paths = function () { return null; };
      options.points = { show: true, size: 11, fill: s.color, stroke: s.color };
    }
    if (s.style === 'line-points') options.points = { show: true, size: 7, fill: '#fff', stroke: s.color };
    return options;
  }

  function zeroBased(u, min, max) {
    return [0, max > 0 ? max * 1.08 : 1];
  }

  function options(spec, width) {
    var xAxis = { stroke: '#495057', grid: { stroke: '#eef0f2' } };
    var yAxis = { stroke: '#495057', label: spec.yLabel, size: 56, grid: { stroke: '#eef0f2' } };
    var scales = { x: { time: false }, y: { range: zeroBased } };
    var first = { label: 'x' };
    var hooks = {};
    if (spec.kind === 'time') {
      first = { label: 'time', value: function (u, v) { return v == null ? '--' : v.toFixed(1) + ' s'; } };
      // A timeline's charts share the axis its heading names: no label under each.
      if (!spec.sync) xAxis.label = 'seconds from the start of the run';
      xAxis.values = function (u, splits) { return splits.map(function (v) { return v + ' s'; }); };
      var last = spec.data[0].length > 0 ? spec.data[0][spec.data[0].length - 1] : 1;
      scales.x.range = function (u, min, max) { return [0, Math.max(max, last, spec.warmup ? spec.warmup[1] : 0) + 0.5]; };
      hooks.drawAxes = [];
      if (spec.warmup) hooks.drawAxes.push(warmupHook(spec.warmup));
      if (spec.bands) hooks.drawAxes.push(bandsHook(spec.bands));
      if (spec.marks) hooks.drawAxes.push(marksHook(spec.marks));
      if (spec.xMax) {
        var end = spec.xMax;
        scales.x.range = function () { return [0, end]; };
      }
    } else if (spec.kind === 'load') {
      var unit = spec.xUnit || '';
      first = { label: 'offered', value: function (u, v) { return v == null ? '--' : +v.toPrecision(4) + ' ' + unit; } };
      xAxis.label = spec.xLabel || 'offered load';
      var highest = spec.data[0].length > 0 ? spec.data[0][spec.data[0].length - 1] : 1;
      scales.x.range = function () { return [0, highest > 0 ? highest * 1.08 : 1]; };
    } else if (spec.kind === 'histogram') {
      first = { label: 'latency from', value: function (u, v) { return msLabel(v); } };
      scales.x = { time: false, distr: 3, log: 10 };
      xAxis.label = 'latency (log scale), all steps';
      xAxis.splits = function (u, axisIdx, min, max) {
        var out = [];
        for (var p = Math.floor(Math.log10(min)); Math.pow(10, p) <= max * 1.0001; p++) {
          [1, 2, 5].forEach(function (m) { var v = m * Math.pow(10, p); if (v >= min * 0.9999 && v <= max * 1.0001) out.push(v); });
        }
        return out;
      };
      // uPlot's log axis labels only powers of ten by default; 2 and 5 between them are labelled too.
      xAxis.filter = function (u, splits) { return splits; };
      xAxis.values = function (u, splits) { return splits.map(msLabel); };
    } else if (spec.kind === 'percentile') {
      first = { label: 'percentile', value: function (u, v) { return percentLabel(v); } };
      scales.x = { time: false, distr: 3, log: 10 };
      xAxis.label = 'percentile (log scale: each step right is ten times rarer)';
      xAxis.splits = function (u, axisIdx, min, max) {
        var out = [];
        for (var v = 1; v <= max * 1.0001; v *= 10) out.push(v);
        return out;
      };
      xAxis.values = function (u, splits) { return splits.map(percentLabel); };
    } else {
      var labels = spec.xLabels || [];
      first = { label: 'run', value: function (u, v) { return v == null ? '--' : (labels[v - 1] || ''); } };
      scales.x = { time: false, range: function () { return [0.5, labels.length + 0.5]; } };
      xAxis.label = 'baseline runs, oldest first, then this run';
      xAxis.splits = function () { return labels.map(function (_, i) { return i + 1; }); };
      xAxis.values = function (u, splits) { return splits.map(function (v) { return labels[v - 1] || ''; }); };
      if (labels.length > 6) { xAxis.rotate = -35; xAxis.size = 64; }
    }
    // Spans beneath the lines, markers and their labels above them.
    if (spec.zones) (hooks.drawAxes = hooks.drawAxes || []).push(zonesHook(spec.zones));
    if (spec.markers) (hooks.draw = hooks.draw || []).push(markersHook(spec.markers));
    var axes = [xAxis, yAxis];
    if (spec.rightLabel) {
      scales.y2 = { range: zeroBased };
      axes.push({ scale: 'y2', side: 1, stroke: '#495057', label: spec.rightLabel, size: 56, grid: { show: false } });
    } else if (spec.gutter) {
      // An empty right-hand axis as wide as a real one, so the charts of a timeline line up.
      axes.push({ scale: 'y', side: 1, size: 56, label: '', stroke: 'rgba(0, 0, 0, 0)', grid: { show: false }, ticks: { show: false }, values: function (u, splits) { return splits.map(function () { return ''; }); } });
    }
    var cursor = { points: { size: 6 } };
    if (spec.sync) cursor.sync = { key: spec.sync };
    return {
      width: width,
      height: spec.height || 240,
      scales: scales,
      axes: axes,
      series: [first].concat(spec.series.map(function (s) { return series(s, spec); })),
      hooks: hooks,
      legend: { live: true },
      cursor: cursor,
    };
  }

  function widthOf(element) {
    return Math.max(280, Math.floor(element.getBoundingClientRect().width));
  }

  var placeholders = document.querySelectorAll('[data-chart]');
  for (var i = 0; i < placeholders.length; i++) {
    var element = placeholders[i];
    var spec = specs[Number(element.getAttribute('data-chart'))];
    if (!spec) continue;
    var chart = new uPlot(options(spec, widthOf(element)), spec.data, element);
    chart.tailgateSpec = spec;
    charts.push(chart);
  }

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (chart) { chart.setSize({ width: widthOf(chart.root.parentNode), height: chart.tailgateSpec.height || 240 }); });
    });
  });
})();
`;
