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
