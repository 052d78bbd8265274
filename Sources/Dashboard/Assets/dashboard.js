// The Recsmith dashboard: plain JavaScript, no dependency, no request outside this server.
// Every string from the server reaches the page as text (textContent, attributes), never as markup; the one
// exception is the evaluation report's sections, which the server renders with everything escaped.
"use strict";

const tokenKey = "recsmith-admin-token";
const view = document.getElementById("view");
const status = document.getElementById("status");
let refreshTimer = null;
// The last "Retrain now" progress line, shown again when the models page is drawn anew.
let retrainProgress = "";

// MARK: - Elements

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function number(value, digits = 0) {
  if (value === null || value === undefined) return "—";
  return Number(value).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

// A figure with its label; `raw` (the unformatted value) is kept in data-value for scripts and tests.
function card(label, value, name, raw) {
  return h("div", { class: "card", "data-card": name, "data-value": raw }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
}

function table(headings, rows, attributes) {
  return h("div", { class: "table-scroll" }, h("table", attributes || {},
    h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows)));
}

function itemLink(id) { return h("a", { href: "#item/" + encodeURIComponent(id), "data-item": id }, id); }
function userLink(id) { return h("a", { href: "#user/" + encodeURIComponent(id) }, id); }

// A bar per value, with the largest value and the first and last labels on the axes.
function barChart(values, labels, title) {
  const width = 800, height = 180, left = 48, bottom = 22, top = 10;
  const max = Math.max(1, ...values);
  const step = (width - left) / Math.max(values.length, 1);
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#888" }));
  chart.append(svg("text", { x: left - 6, y: top + 8, "text-anchor": "end", "font-size": 11, fill: "#444" }, number(max)));
  chart.append(svg("text", { x: left - 6, y: height - bottom, "text-anchor": "end", "font-size": 11, fill: "#444" }, "0"));
  values.forEach((value, index) => {
    const barHeight = (height - bottom - top) * value / max;
    const bar = svg("rect", { x: left + index * step, y: height - bottom - barHeight, width: Math.max(step - 1, 1),
      height: barHeight, fill: "#0072b2", "data-value": value });
    bar.append(svg("title", {}, `${labels[index]}: ${value}`));
    chart.append(bar);
  });
  if (labels.length) {
    chart.append(svg("text", { x: left, y: height - 6, "font-size": 11, fill: "#444" }, labels[0]));
    chart.append(svg("text", { x: width, y: height - 6, "text-anchor": "end", "font-size": 11, fill: "#444" }, labels[labels.length - 1]));
  }
  return chart;
}

// One horizontal bar per pass, split into its phases.
function phaseBar(phases) {
  const total = phases.reduce((sum, phase) => sum + phase.seconds, 0) || 1;
  const colours = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999"];
  const chart = svg("svg", { class: "phases", viewBox: "0 0 400 18", role: "img", "aria-label": "phases" });
  let x = 0;
  phases.forEach((phase, index) => {
    const width = 400 * phase.seconds / total;
    const rect = svg("rect", { x, y: 0, width: Math.max(width, 0.5), height: 18, fill: colours[index % colours.length], "data-phase": phase.phase });
    rect.append(svg("title", {}, `${phase.phase}: ${number(phase.seconds, 3)} s`));
    chart.append(rect);
    x += width;
  });
  return chart;
}

// A proportion as a percentage: two decimals below 1%, one above.
function percent(value) {
  if (value === null || value === undefined) return "—";
  return (value * 100).toFixed(value !== 0 && value < 0.01 ? 2 : 1) + "%";
}

// "12.3% (10.1–14.8%)": a rate over `lists` with its 95% interval; a dash without lists.
function rate(lists, value, low, high) { return lists === 0 ? "— (no lists)" : `${percent(value)} (${percent(low)}–${percent(high)})`; }

// A rate as a dot with its interval as a whisker, on 0 to `max` (every row of a table shares one scale).
function intervalPlot(value, low, high, max, label) {
  const width = 120, height = 16, pad = 4, middle = height / 2;
  const x = (v) => pad + (width - 2 * pad) * Math.min(max > 0 ? v / max : 0, 1);
  const plot = svg("svg", { class: "interval", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label,
    "data-value": value, "data-low": low, "data-high": high });
  plot.append(svg("title", {}, label));
  plot.append(svg("line", { x1: x(0), y1: height - 1, x2: x(max), y2: height - 1, stroke: "#ccc" }));
  plot.append(svg("line", { x1: x(low), y1: middle, x2: x(high), y2: middle, stroke: "#0072b2", "stroke-width": 2 }));
  for (const end of [low, high]) plot.append(svg("line", { x1: x(end), y1: middle - 4, x2: x(end), y2: middle + 4, stroke: "#0072b2", "stroke-width": 2 }));
  plot.append(svg("circle", { cx: x(value), cy: middle, r: 3.5, fill: "#d55e00" }));
  return plot;
}

// The attributed events at each rank (1 first), as small bars.
function positionBars(counts, title) {
  const width = 220, height = 70, bottom = 14, top = 4;
  const max = Math.max(1, ...counts);
  const step = width / Math.max(counts.length, 1);
  const chart = svg("svg", { class: "positions", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  chart.append(svg("line", { x1: 0, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#888" }));
  counts.forEach((count, index) => {
    const barHeight = (height - bottom - top) * count / max;
    const bar = svg("rect", { x: index * step + 1, y: height - bottom - barHeight, width: Math.max(step - 2, 1), height: barHeight,
      fill: "#0072b2", "data-value": count });
    bar.append(svg("title", {}, `rank ${index + 1}: ${count} events`));
    chart.append(bar);
    chart.append(svg("text", { x: index * step + step / 2, y: height - 2, "text-anchor": "middle", "font-size": 10, fill: "#444" }, index + 1));
  });
  return chart;
}

// MARK: - Requests

class SignedOut extends Error {}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) throw new SignedOut();
  const headers = Object.assign({ Authorization: "Bearer " + token }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
  if (response.status === 401) {
    sessionStorage.removeItem(tokenKey);
    throw new SignedOut("the server refused the token");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`;
    const error = new Error(message);
    error.status = response.status;
    error.retryAfter = Number(response.headers.get("retry-after")) || 0;
    throw error;
  }
  return body;
}

// MARK: - Views

const views = {
  async overview() {
    const data = await api("/admin/overview");
    const hours = data.events_per_hour;
    const start = Date.parse(hours.start);
    const labels = hours.counts.map((_, index) => new Date(start + index * 3600e3).toISOString().slice(0, 13).replace("T", " ") + "h");
    const latency = data.traffic.latency_ms;
    const note = hours.latest_event_hour && Date.parse(hours.end) <= Date.now() - 3600e3
      ? "No event in the last 7 days: the 7 days up to the latest event." : "The last 7 days, by event time (UTC).";
    scheduleRefresh("overview", 10000);
    return [
      h("h1", {}, "Overview"),
      h("div", { class: "cards" },
        card("events", number(data.events), "events", data.events), card("users", number(data.users), "users", data.users),
        card("items", number(data.items), "items", data.items), card("item records", number(data.item_records), "item_records"),
        card("relations", number(data.relations), "relations"), card("model set", data.model_version || "none yet", "model_version"),
        card(`requests/s (last ${data.traffic.rate_seconds} s)`, number(data.traffic.requests_per_second, 1), "requests_per_second"),
        card(`events/s ingested (last ${data.traffic.rate_seconds} s)`, number(data.traffic.events_per_second, 1), "events_per_second"),
        card("latency p50 / p90 / p99 ms", [latency.p50, latency.p90, latency.p99].map((v) => number(v, 2)).join(" / "), "latency")),
      h("h2", {}, "Events per hour"),
      h("p", { class: "note" }, note),
      h("figure", { "data-chart": "events-per-hour" }, barChart(hours.counts, labels, "events per hour")),
      h("h2", {}, "Event types"),
      table(["type", "events"], data.event_types.map((entry) =>
        h("tr", { "data-type": entry.type }, h("th", { scope: "row" }, entry.type), h("td", {}, number(entry.events)))), { "data-table": "event-types" }),
    ];
  },

  async models() {
    const data = await api("/admin/models");
    const progress = h("span", { id: "retrain-progress", class: "note" }, retrainProgress);
    const button = h("button", { type: "button", id: "retrain", onclick: () => retrain(button, progress) }, "Retrain now");
    const metric = (evaluation, key, digits = 4) => evaluation ? number(evaluation[key], digits) : "—";
    return [
      h("h1", {}, "Models"),
      h("p", {}, data.version ? `Serving model set ${data.version}, trained ${data.trained_at}` : "No model set yet: live popularity answers.",
        data.default ? ` · default model ${data.default} (chosen on held-out events)` : ""),
      h("p", {}, button, " ", progress),
      data.last_error ? h("p", { class: "error" }, "Last pass failed: ", data.last_error) : null,
      table(["model", "fit s", "users", "items", "events", "NDCG", "recall", "coverage"],
        data.models.map((model) => h("tr", { "data-model": model.name },
          h("th", { scope: "row" }, model.name), h("td", {}, number(model.training_seconds, 3)), h("td", {}, number(model.users)),
          h("td", {}, number(model.items)), h("td", {}, number(model.events)), h("td", {}, metric(model.evaluation, "ndcg")),
          h("td", {}, metric(model.evaluation, "recall")), h("td", {}, metric(model.evaluation, "coverage")))), { "data-table": "models" }),
      h("h2", {}, "Training passes"),
      data.passes.length === 0 ? h("p", { class: "note" }, "No pass has finished since the server started.") : null,
      table(["job", "status", "finished", "version", "phases", "held-out NDCG"],
        data.pending.concat(data.passes).map((job) => h("tr", { "data-job": job.job },
          h("th", { scope: "row" }, job.job), h("td", {}, job.status), h("td", {}, job.finished_at || "—"), h("td", {}, job.version || "—"),
          h("td", {}, job.phases.length ? phaseBar(job.phases) : "—",
            h("span", { class: "note" }, job.phases.map((phase) => `${phase.phase} ${number(phase.seconds, 3)} s`).join(" · "))),
          h("td", {}, job.evaluations.map((entry) => `${entry.model} ${number(entry.metrics.ndcg, 4)}`).join(", ") || (job.error || "—"),
            job.skipped.length ? h("div", { class: "note" }, "skipped: ", job.skipped.map((entry) => `${entry.model} (${entry.reason})`).join("; ")) : null))),
        { "data-table": "passes" }),
    ];
  },

  async user(argument) {
    const [id, query] = splitArgument(argument);
    const form = h("form", { class: "inline", id: "user-form" },
      h("label", {}, "User id", h("input", { type: "text", name: "id", value: id, required: true })),
      h("label", {}, "Filter", h("input", { type: "text", name: "filter", value: query.get("filter") || "", placeholder: 'labels.brand = "acme"' })),
      h("button", { type: "submit" }, "Show"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const filter = form.elements.filter.value.trim();
      location.hash = "#user/" + encodeURIComponent(form.elements.id.value.trim()) + (filter ? "?filter=" + encodeURIComponent(filter) : "");
    });
    if (!id) return [h("h1", {}, "User"), form];
    const parameters = new URLSearchParams({ k: "10" });
    if (query.get("filter")) parameters.set("filter", query.get("filter"));
    const data = await api(`/admin/users/${encodeURIComponent(id)}?${parameters}`);
    return [
      h("h1", {}, "User ", h("span", { id: "subject" }, data.user)),
      form,
      h("p", {}, data.known ? `${number(data.events)} events stored.` : "Unknown user: the answers below are what a new user gets."),
      data.record ? h("pre", { class: "record" }, JSON.stringify(data.record, null, 2)) : null,
      h("h2", {}, "Recommendations by model"),
      answers(data.recommendations),
      h("h2", {}, "History (newest first)"),
      table(["time", "item", "type", "weight"], data.history.map((event) => h("tr", {},
        h("td", {}, event.timestamp), h("td", {}, itemLink(event.item)), h("td", {}, event.type), h("td", {}, number(event.weight, 3)))),
        { "data-table": "history" }),
    ];
  },

  async item(argument) {
    const [id] = splitArgument(argument);
    const form = h("form", { class: "inline", id: "item-form" },
      h("label", {}, "Item id", h("input", { type: "text", name: "id", value: id, required: true })), h("button", { type: "submit" }, "Show"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      location.hash = "#item/" + encodeURIComponent(form.elements.id.value.trim());
    });
    if (!id) return [h("h1", {}, "Item"), form];
    const data = await api(`/admin/items/${encodeURIComponent(id)}?k=10`);
    return [
      h("h1", {}, "Item ", h("span", { id: "subject" }, data.item)),
      form,
      h("p", {}, data.known ? `${number(data.events)} events stored${data.deleted ? " · deleted" : ""}.` : "Unknown item."),
      data.record ? h("pre", { class: "record" }, JSON.stringify(data.record, null, 2)) : h("p", { class: "note" }, "No catalogue record."),
      h("h2", {}, "Events per day"),
      data.events_per_day.length ? h("figure", { "data-chart": "events-per-day" },
        barChart(data.events_per_day.map((day) => day.events), data.events_per_day.map((day) => day.day), "events per day")) : h("p", { class: "note" }, "No events."),
      h("h2", {}, "Similar items by model"),
      answers(data.similar),
    ];
  },

  async catalogue(argument) {
    const [, query] = splitArgument(argument);
    const form = h("form", { class: "inline", id: "catalogue-form" },
      h("label", {}, "Id or text contains", h("input", { type: "text", name: "q", value: query.get("q") || "" })),
      h("label", {}, "State", h("select", { name: "state" }, ["all", "visible", "hidden", "scheduled", "expired", "deleted"].map((state) =>
        h("option", { value: state, selected: (query.get("state") || "all") === state }, state)))),
      h("button", { type: "submit" }, "Search"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      location.hash = "#catalogue/?" + new URLSearchParams({ q: form.elements.q.value, state: form.elements.state.value });
    });
    const parameters = new URLSearchParams({ q: query.get("q") || "", state: query.get("state") || "all", limit: "50" });
    if (query.get("cursor")) parameters.set("cursor", query.get("cursor"));
    const data = await api(`/admin/catalogue?${parameters}`);
    const next = new URLSearchParams(parameters);
    if (data.cursor) next.set("cursor", data.cursor);
    return [
      h("h1", {}, "Catalogue"),
      h("div", { class: "cards" }, Object.entries(data.counts).map(([state, count]) => card(state, number(count), state))),
      form,
      table(["item", "state", "events", "categories", "text"], data.items.map((entry) => h("tr", { "data-state": entry.state },
        h("th", { scope: "row" }, itemLink(entry.item)), h("td", {}, entry.state), h("td", {}, number(entry.events)),
        h("td", {}, entry.record && entry.record.categories ? entry.record.categories.join(", ") : ""),
        h("td", {}, entry.record && entry.record.text ? entry.record.text.slice(0, 80) : ""))), { "data-table": "catalogue" }),
      data.cursor ? h("p", {}, h("a", { href: "#catalogue/?" + next }, "Next page")) : null,
    ];
  },

  async online(argument) {
    const [, query] = splitArgument(argument);
    const span = onlineWindows.includes(query.get("window")) ? query.get("window") : "24h";
    const selected = query.get("experiment") || "";
    const [data, list] = await Promise.all([api(`/admin/metrics/online?window=${span}`), api("/admin/experiments")]);
    const chosen = list.experiments.find((experiment) => experiment.name === selected);
    const report = chosen ? await api(`/admin/experiments/${encodeURIComponent(chosen.name)}`) : null;
    const link = (changes) => "#online/?" + new URLSearchParams(Object.assign({ window: span }, selected ? { experiment: selected } : {}, changes));
    return [
      h("h1", {}, "Online"),
      h("p", { class: "switch", id: "window" }, "Lists served in the last ",
        onlineWindows.map((name) => h("a", { href: link({ window: name }), class: name === span ? "current" : null,
          "aria-current": name === span ? "true" : null, "data-window": name }, name)),
        h("span", { class: "note" }, ` (${data.from} to ${data.to}) `),
        h("button", { type: "button", id: "refresh", onclick: () => render() }, "Refresh")),
      remembering(data.remembering),
      h("h2", {}, "By model"),
      data.models.length === 0
        ? h("p", { class: "note", id: "no-lists" }, `No lists served in the last ${span}: every ranking answer carries a recommendation_id, `
          + "and events that echo it are attributed to the model, the variant and the rank that served them.")
        : onlineTable(data.models, "models"),
      data.models.length ? [
        h("h2", {}, "Attributed events by rank"),
        h("div", { class: "small-charts" }, data.models.map((row) => h("figure", { "data-chart": "positions", "data-model": row.model },
          row.positions.length ? positionBars(row.positions, `${row.model}: attributed events by rank`) : h("p", { class: "note" }, "No attributed events."),
          h("figcaption", {}, row.model)))),
      ] : null,
      h("h2", {}, "Unattributed events"),
      Object.keys(data.unattributed_events).length === 0
        ? h("p", { class: "note" }, "None: every event that named a recommendation_id was attributed.")
        : [h("p", { class: "note" }, "Events that named a recommendation_id that was unknown, expired, or did not show their item."),
          table(["type", "events"], Object.entries(data.unattributed_events).map(([type, count]) =>
            h("tr", { "data-type": type }, h("th", { scope: "row" }, type), h("td", { "data-value": count }, number(count)))), { "data-table": "unattributed" })],
      data.variants.length ? [h("h2", {}, `By experiment variant (last ${span})`), onlineTable(data.variants, "variants")] : null,
      h("h2", {}, "Experiments"),
      list.experiments.length === 0
        ? h("p", { class: "note", id: "no-experiments" }, "No experiments configured: add them under experiments in the configuration file, "
          + "RECSMITH_EXPERIMENTS or --set experiments=… (a name and two or more variants, each a model with a weight).")
        : table(["experiment", "status", "winner", "start", "end", "variants (model, weight, filter)"],
          list.experiments.map((experiment) => h("tr", { "data-experiment": experiment.name, class: experiment.name === selected ? "selected" : null },
            h("th", { scope: "row" }, h("a", { href: link({ experiment: experiment.name }) }, experiment.name)),
            h("td", { "data-field": "status" }, experiment.status), h("td", { class: "text" }, experiment.winner || "—"),
            h("td", {}, experiment.start || "—"), h("td", {}, experiment.end || "—"),
            h("td", { class: "setup" }, experiment.setup.map((variant, index) => h("div", { "data-variant": variant.name },
              variant.name, controlMark(variant.name, index), ` → ${variant.model} · weight ${number(variant.weight, 2)}`,
              variant.filter ? [" · ", h("code", {}, variant.filter)] : null))))), { "data-table": "experiments" }),
      selected && !chosen ? h("p", { class: "error" }, "No experiment named ", h("code", {}, selected), " is configured.") : null,
      report ? experimentSection(report) : null,
    ];
  },

  async evaluation() {
    const input = h("input", { type: "file", accept: "application/json,.json", id: "report-file" });
    const output = h("div", { id: "report" });
    input.addEventListener("change", async () => {
      const file = input.files[0];
      if (!file) return;
      setState("loading");
      try {
        show(output, await api("/admin/evaluation", { method: "POST", headers: { "Content-Type": "application/json" }, body: await file.text() }));
        setState("ready");
      } catch (error) {
        failed(error);
      }
    });
    const last = await api("/admin/evaluation");
    if (last.kind) show(output, last);
    else output.append(h("p", { class: "note" }, "No report yet: choose the JSON that `recsmith evaluate … --json FILE` wrote."));
    return [h("h1", {}, "Evaluation"), h("p", {}, h("label", {}, "Report JSON ", input)), output];
  },
};

const onlineWindows = ["1h", "24h", "7d"];

// How far to trust the counts: what is remembered of the lists served since the server started.
function remembering(state) {
  if (!state.enabled) {
    return h("p", { class: "note", id: "remembering" }, "Recommendation ids are off (online.recommendation_ids: false): answers carry "
      + "no id and nothing is remembered, so no event can be attributed.");
  }
  const sampled = state.sample_rate < 1;
  const notes = [];
  notes.push(sampled
    ? `Above online.remember_per_second only 1 list in ${number(1 / state.sample_rate)} is remembered now: rates stay unbiased, `
      + "and lists served is the count scaled back."
    : "Every list is remembered now (no sampling).");
  if (state.dropped > 0) notes.push(`${number(state.dropped)} lists were not remembered because the buffer was full (online.memory_mib): `
    + "events naming them count as unattributed.");
  notes.push(`Lists are remembered for ${duration(state.retention_seconds)}; later events count as unattributed.`);
  return h("section", { id: "remembering" },
    h("div", { class: "cards" },
      card("lists served since start", number(state.served), "served", state.served),
      card("remembered", number(state.remembered), "remembered", state.remembered),
      card("dropped (buffer full)", number(state.dropped), "dropped", state.dropped),
      card("sampling", sampled ? `1 in ${number(1 / state.sample_rate)}` : "every list", "sample_rate", state.sample_rate),
      card("waiting for the store", `${number(state.buffered_bytes / 1024, 1)} KiB`, "buffered_bytes", state.buffered_bytes)),
    h("p", { class: "note" }, notes.join(" ")));
}

function duration(seconds) {
  if (seconds >= 86400 && seconds % 86400 === 0) return seconds === 86400 ? "a day" : `${seconds / 86400} days`;
  if (seconds >= 3600 && seconds % 3600 === 0) return seconds === 3600 ? "an hour" : `${seconds / 3600} hours`;
  return `${number(seconds)} seconds`;
}

// The CTR of one row as a cell with its dot-and-whisker plot (nothing to plot without lists).
function ctrCells(row, max) {
  const text = rate(row.lists, row.ctr, row.ctr_low, row.ctr_high);
  return [h("td", { "data-field": "ctr", "data-value": row.ctr }, text),
    h("td", {}, row.lists ? intervalPlot(row.ctr, row.ctr_low, row.ctr_high, max, `CTR ${text}`) : null)];
}

// " (control)" after the first variant's name, unless the name says so already.
function controlMark(name, index) { return index === 0 && name !== "control" ? h("span", { class: "note" }, " (control)") : null; }

// One row per model (or per experiment variant), with the CTR of every row on one scale.
function onlineTable(rows, name) {
  const sampled = rows.some((row) => row.lists_served !== row.lists);
  const max = Math.max(...rows.map((row) => row.ctr_high), 0.01);
  const cell = (field, value, text) => h("td", { "data-field": field, "data-value": value }, text);
  const headings = (name === "variants" ? ["experiment", "variant", "model"] : ["model"]).concat(
    ["lists"], sampled ? ["lists served"] : [], ["CTR (95% interval)", `on 0–${percent(max)}`, "conversion (95% interval)",
      "events attributed", "events per list"]);
  return table(headings, rows.map((row) => h("tr", { "data-model": row.model, "data-experiment": row.experiment, "data-variant": row.variant },
    name === "variants" ? [h("td", { class: "text" }, row.experiment), h("th", { scope: "row" }, row.variant), h("td", { class: "text" }, row.model)]
      : h("th", { scope: "row" }, row.model),
    cell("lists", row.lists, number(row.lists)),
    sampled ? cell("lists_served", row.lists_served, number(row.lists_served)) : null,
    ctrCells(row, max),
    cell("conversion_rate", row.conversion_rate, rate(row.lists, row.conversion_rate, row.conversion_rate_low, row.conversion_rate_high)),
    cell("events_attributed", row.events_attributed, number(row.events_attributed)),
    cell("events_per_list", row.events_per_list, number(row.events_per_list, 3)))), { "data-table": name });
}

// One experiment: its variants over its whole run, each treatment against the control, and the stop control.
function experimentSection(report) {
  const max = Math.max(...report.variants.map((variant) => variant.ctr_high), 0.01);
  const total = report.variants.reduce((sum, variant) => sum + variant.weight, 0);
  const cell = (field, value, text) => h("td", { "data-field": field, "data-value": value }, text);
  const control = report.variants[0];
  return h("section", { id: "experiment", "data-experiment": report.name },
    h("h2", {}, "Experiment ", h("span", { id: "experiment-name" }, report.name)),
    h("p", {}, `${report.status[0].toUpperCase()}${report.status.slice(1)}`, report.start ? ` · from ${report.start}` : " · from the start",
      report.end ? ` to ${report.end}` : report.winner ? "" : " until stopped",
      report.winner ? [" · winner ", h("strong", { id: "winner" }, report.winner), ` (stopped ${report.stopped_at}): it answers every request that names no model`] : ""),
    table(["variant", "model", "traffic", "lists", "CTR (95% interval)", `on 0–${percent(max)}`, "conversion (95% interval)", "events attributed"],
      report.variants.map((variant, index) => h("tr", { "data-variant": variant.name },
        h("th", { scope: "row" }, variant.name, controlMark(variant.name, index)),
        h("td", { class: "text" }, variant.model), h("td", {}, percent(variant.weight / total)),
        cell("lists", variant.lists, number(variant.lists)),
        ctrCells(variant, max),
        cell("conversion_rate", variant.conversion_rate, rate(variant.lists, variant.conversion_rate, variant.conversion_rate_low, variant.conversion_rate_high)),
        cell("events_attributed", variant.events_attributed, number(variant.events_attributed)))), { "data-table": "experiment-variants" }),
    report.comparisons.map((comparison) => comparisonBlock(comparison, control,
      report.variants.find((variant) => variant.name === comparison.variant))),
    report.status === "stopped" ? null : stopControl(report));
}

// A treatment's CTR against the control's: the difference with its interval, the p-value and what they mean.
function comparisonBlock(comparison, control, treatment) {
  const points = (value) => `${value < 0 ? "−" : "+"}${(Math.abs(value) * 100).toFixed(1)}`;
  const p = comparison.p_value < 0.001 ? "p < 0.001" : `p = ${comparison.p_value.toFixed(comparison.p_value < 0.01 ? 3 : 2)}`;
  const burnIn = comparison.minimum_lists;
  let verdict;
  if (control.lists < burnIn || treatment.lists < burnIn) {
    verdict = `Not enough data yet: the test starts once each arm has ${number(burnIn)} lists `
      + `(${control.name} has ${number(control.lists)}, ${treatment.name} has ${number(treatment.lists)}).`;
  } else if (comparison.p_value <= 0.05) {
    verdict = `${treatment.name}'s CTR is ${comparison.difference > 0 ? "higher" : "lower"} than ${control.name}'s `
      + `(${p}, ${comparison.test}; valid at any look).`;
  } else {
    verdict = `No evidence of a difference yet (${p}, ${comparison.test}; valid at any look).`;
  }
  return h("div", { class: "comparison", "data-variant": comparison.variant },
    h("p", {}, h("strong", {}, treatment.name, " − ", control.name), " CTR: ",
      h("span", { "data-field": "difference", "data-value": comparison.difference }, `${points(comparison.difference)} percentage points`),
      " (95% interval ", h("span", { "data-field": "interval", "data-low": comparison.low, "data-high": comparison.high },
        `${points(comparison.low)} to ${points(comparison.high)}`), ") · ",
      h("span", { "data-field": "p_value", "data-value": comparison.p_value }, p), ` · ${comparison.test}`),
    h("p", { class: "verdict" }, verdict),
    h("p", { class: "note" }, "The interval holds for one look at these counts; the verdict is the sequential test's, "
      + "which stays valid however often this page is read."));
}

// Stop with a winner: choose the variant, press Stop, then confirm; the page is drawn again from the server.
function stopControl(report) {
  const select = h("select", { id: "winner-choice", name: "winner" }, report.variants.map((variant) => h("option", { value: variant.name }, variant.name)));
  const question = h("span", { id: "stop-question" });
  const confirm = h("span", { id: "stop-confirm", hidden: true }, question, " ",
    h("button", { type: "button", id: "stop-yes", onclick: async () => {
      confirm.hidden = true;
      setState("loading");
      try {
        await api(`/admin/experiments/${encodeURIComponent(report.name)}/stop`, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ winner: select.value }) });
        await render();
      } catch (error) {
        failed(error);
      }
    } }, "Yes, stop it"), " ",
    h("button", { type: "button", id: "stop-no", onclick: () => { confirm.hidden = true; stop.disabled = select.disabled = false; } }, "Cancel"));
  const stop = h("button", { type: "button", id: "stop", onclick: () => {
    question.textContent = `Stop ${report.name} and make ${select.value} answer every request that names no model?`;
    confirm.hidden = false;
    stop.disabled = select.disabled = true;
  } }, "Stop with winner…");
  return h("form", { class: "inline", id: "stop-form", onsubmit: (event) => event.preventDefault() },
    h("label", {}, "Winner", select), stop, confirm);
}

// The answers of several models side by side, in the order the server gives them.
function answers(list) {
  return h("div", { class: "answers", "data-answers": "" }, list.map((answer) => h("section", { class: "answer", "data-model": answer.model },
    h("h3", {}, answer.model, answer.answered_by && answer.answered_by !== answer.model ? ` (answered by ${answer.answered_by})` : ""),
    answer.error ? h("p", { class: "error" }, answer.error.message)
      : h("ol", {}, answer.items.map((entry) => h("li", { "data-item": entry.item }, itemLink(entry.item), h("span", { class: "score" }, number(entry.score, 4))))),
    answer.samples ? h("p", { class: "note" }, "samples a new list on every request") : null)));
}

// A report the server rendered (every value escaped there): its sections replace the output's content.
function show(output, report) {
  output.replaceChildren(h("p", { class: "note" }, report.summary));
  const sections = document.createElement("div");
  sections.innerHTML = report.html;
  output.append(sections);
}

function splitArgument(argument) {
  const [id, query] = (argument || "").split("?");
  return [decodeURIComponent(id || ""), new URLSearchParams(query || "")];
}

// MARK: - Navigation and sign-in

async function retrain(button, progress) {
  button.disabled = true;
  try {
    let job = await api("/retrain", { method: "POST" });
    while (job.status === "queued" || job.status === "running") {
      retrainProgress = `${job.job}: ${job.status} ${Object.entries(job.durations || {}).map(([phase, seconds]) => `${phase} ${number(seconds, 3)} s`).join(" · ")}`;
      progress.textContent = retrainProgress;
      await new Promise((resolve) => setTimeout(resolve, 500));
      job = await api(`/retrain/${encodeURIComponent(job.job)}`);
    }
    retrainProgress = `${job.job}: ${job.status}${job.error ? " — " + job.error : ""}`;
    progress.textContent = retrainProgress;
    if (job.status === "succeeded") await render();
  } catch (error) {
    failed(error);
  } finally {
    button.disabled = false;
  }
}

function scheduleRefresh(name, milliseconds) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { if (currentView()[0] === name) render(); }, milliseconds);
}

function currentView() {
  const hash = location.hash.slice(1);
  const slash = hash.indexOf("/");
  const name = slash < 0 ? hash : hash.slice(0, slash);
  return [views[name] ? name : "overview", slash < 0 ? "" : hash.slice(slash + 1)];
}

function setState(state) { document.body.dataset.state = state; }

function failed(error) {
  if (error instanceof SignedOut) return signIn(error.message);
  status.textContent = error.message;
  setState("error");
  // 503: the store is unreachable for now (PostgreSQL away); the view comes back by itself when it is reachable.
  if (error.status === 503) scheduleRefresh(currentView()[0], Math.max(5, error.retryAfter) * 1000);
}

async function render() {
  clearTimeout(refreshTimer);
  const [name, argument] = currentView();
  for (const link of document.querySelectorAll(".bar nav a")) link.classList.toggle("current", link.getAttribute("href") === "#" + name);
  setState("loading");
  try {
    const content = await views[name](argument);
    if (currentView()[0] !== name) return;
    status.textContent = "";
    view.replaceChildren(...content.flat().filter(Boolean));
    document.title = `${name[0].toUpperCase()}${name.slice(1)} · Recsmith`;
    setState("ready");
  } catch (error) {
    failed(error);
  }
}

function signIn(message) {
  document.getElementById("login").hidden = false;
  document.getElementById("sign-out").hidden = true;
  view.replaceChildren();
  document.getElementById("login-message").textContent = message || "";
  setState("login");
}

document.getElementById("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("token");
  sessionStorage.setItem(tokenKey, input.value.trim());
  input.value = "";
  document.getElementById("login").hidden = true;
  document.getElementById("sign-out").hidden = false;
  render();
});

document.getElementById("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem(tokenKey);
  signIn("Signed out.");
});

window.addEventListener("hashchange", render);
if (sessionStorage.getItem(tokenKey)) {
  document.getElementById("sign-out").hidden = false;
  render();
} else {
  signIn();
}
