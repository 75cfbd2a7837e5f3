// /reports: draw the charts from the JSON the page carries (Chart.js, served from /static/vendor).
(function () {
  "use strict";
  function json(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  var data = json("report-data"), L = json("report-labels") || {};
  if (!data || !window.Chart) { return; }
  var t = function (s) { return L[s] || s; };
  var links = json("report-links") || {};
  // Every bar, point and slice opens the list of conversations behind it.
  function go(url) { window.location.href = url; }
  function clicked(handler) {
    return function (_event, elements) { if (elements.length) { handler(elements[0].index); } };
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  var brand = "#3b5bdb", green = "#2f9e44", orange = "#f08c00", red = "#e03131", grey = "#adb5bd";

  function chart(id, config) { var el = document.getElementById(id); if (el) { new Chart(el, config); } }
  var days = data.series.map(function (d) { return d.date.slice(5); });

  function dayLink(i) { var d = data.series[i].date; go(links.days + "&from=" + d + "&to=" + d); }
  chart("chart-volume", { type: "line", options: { onClick: clicked(dayLink) }, data: { labels: days, datasets: [
    { label: t("Conversations"), data: data.series.map(function (d) { return d.conversations; }), borderColor: brand, backgroundColor: brand, tension: 0.25, pointRadius: 0 },
    { label: t("Resolved"), data: data.series.map(function (d) { return d.resolved; }), borderColor: green, backgroundColor: green, tension: 0.25, pointRadius: 0 }
  ] } });

  chart("chart-speed", { type: "line", data: { labels: days, datasets: [
    { label: t("First response, business minutes (average)"), yAxisID: "y", borderColor: orange, backgroundColor: orange, pointRadius: 0, tension: 0.25, spanGaps: true,
      data: data.series.map(function (d) { return d.first_response_business_seconds_average == null ? null : Math.round(d.first_response_business_seconds_average / 6) / 10; }) },
    { label: t("FCR %"), yAxisID: "y2", borderColor: green, backgroundColor: green, pointRadius: 0, tension: 0.25, spanGaps: true,
      data: data.series.map(function (d) { return d.fcr_rate == null ? null : Math.round(d.fcr_rate * 1000) / 10; }) }
  ] }, options: { onClick: clicked(dayLink), scales: { y: { beginAtZero: true }, y2: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } } } } });

  chart("chart-groups", { type: "bar", data: {
    labels: data.groups.map(function (g) { return t("group:" + g.key); }),
    datasets: [{ label: t("Conversations"), data: data.groups.map(function (g) { return g.conversations; }), backgroundColor: brand }]
  }, options: { indexAxis: data.groups.length > 8 ? "y" : "x", plugins: { legend: { display: false } },
    onClick: clicked(function (i) { go(links.drill + "&" + links.by_field + "=" + encodeURIComponent(data.groups[i].key)); }) } });

  ["csat", "nps", "ces"].forEach(function (kind) {
    var counts = data.surveys[kind], keys = Object.keys(counts).sort(function (a, b) { return a - b; });
    var colour = function (score) {
      var n = Number(score);
      if (kind === "nps") { return n >= 9 ? green : (n >= 7 ? grey : red); }
      if (kind === "csat") { return n >= 4 ? green : (n === 3 ? grey : red); }
      return n >= 6 ? green : (n >= 4 ? grey : red);
    };
    chart("chart-" + kind, { type: "bar", data: { labels: keys, datasets: [{ label: t("Answers"), data: keys.map(function (k) { return counts[k]; }), backgroundColor: keys.map(colour) }] },
      options: { plugins: { legend: { display: false } },
        onClick: clicked(function (i) { go(links.drill + "&only=" + kind + "_" + keys[i]); }) } });
  });

  var c = data.current, bots = c.bot_conversations || 0;
  var confirmed = Math.round((c.self_service_confirmed_rate || 0) * bots), assumed = Math.round((c.self_service_assumed_rate || 0) * bots), handed = Math.round((c.handoff_rate || 0) * bots);
  chart("chart-bot", { type: "doughnut", data: { labels: [t("Confirmed by the customer"), t("Assumed (no recontact in 72 h)"), t("Handed to people"), t("Other")],
    datasets: [{ data: [confirmed, assumed, handed, Math.max(bots - confirmed - assumed - handed, 0)], backgroundColor: [green, "#8ce99a", orange, grey] }] },
    options: { onClick: clicked(function (i) { go(links.drill + "&only=" + ["self_service_confirmed", "self_service_assumed", "handoff", "bot"][i]); }) } });

  if (data.staffing) {
    var hours = data.staffing.hours, names = ["월", "화", "수", "목", "금", "토", "일"];
    if (document.documentElement.lang !== "ko") { names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]; }
    chart("chart-staffing", { type: "bar", data: { labels: hours.map(function (_, i) { return names[Math.floor(i / 24)] + " " + (i % 24) + "h"; }),
      datasets: [{ label: t("Recommended agents"), data: hours.map(function (h) { return h.agents; }), backgroundColor: brand },
        { type: "line", label: t("Agents online (average of the last 4 weeks)"), data: hours.map(function (h) { return h.online; }), borderColor: green, backgroundColor: green, pointRadius: 0, stepped: true },
        { type: "line", label: t("Conversations needing a person per hour"), data: hours.map(function (h) { return h.arrivals; }), borderColor: orange, backgroundColor: orange, pointRadius: 0, yAxisID: "y2" }] },
      options: { scales: { x: { ticks: { maxTicksLimit: 14 } }, y: { beginAtZero: true }, y2: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } } } });
  }
  document.body.dataset.chartsReady = "true";
})();
