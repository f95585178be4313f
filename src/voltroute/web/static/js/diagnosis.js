// Why a tour is not drivable, shown first in the result: the reason's message, and when the
// station filters removed the corridor's stations, each filter with the stations it removed and
// one click to plan again without the binding ones (or letting unknown station data pass).

import { el } from "./format.js";

const FILTER_LABELS = {
  connector_type: "connector type",
  min_kW: "min power",
  max_kW: "max power",
  truck_approved: "truck access",
  connector_pos: "inlet side",
  bookable: "bookable",
  cpo: "operator",
};

// actions: {withoutFilters(names), acceptUnknown(), acceptedUnknown: whether the plan already
// let unknown station data pass, known: whether the page knows the result's request (it does
// not for one submitted elsewhere)}; hides the panel for a drivable result.
export function renderDiagnosis(panel, result, actions) {
  const reason = result.not_drivable_reason;
  if (!reason) {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  const parts = [
    el("h3", { id: "diagnosis-title" }, `Not drivable${reason.code ? `: ${reason.code.replaceAll("_", " ")}` : ""}`),
    el("p", { id: "diagnosis-message" }, reason.message),
  ];
  const removed = reason.removed_by_filter || {};
  if (Object.keys(removed).length) parts.push(filterTable(reason, removed));
  const binding = reason.binding_filters || [];
  if (binding.length) parts.push(el("p", { className: "hint" }, outlook(reason)));
  const buttons = [];
  const notes = [];
  if (binding.length) {
    const names = binding.map((name) => FILTER_LABELS[name] || name);
    const text = `Plan again without the ${joined(names)} filter${names.length > 1 ? "s" : ""}`;
    const again = el("button", { type: "button", id: "plan-without-filters", className: "primary" }, text);
    again.addEventListener("click", () => actions.withoutFilters(binding));
    buttons.push(again);
  }
  const unknown = Object.values(reason.unknown_by_filter || {}).reduce((sum, n) => sum + n, 0);
  if (unknown > 0 && !actions.acceptedUnknown) {
    const accept = el("button", { type: "button", id: "plan-accepting-unknown" }, "Plan again, letting stations pass whose data does not say");
    accept.addEventListener("click", () => actions.acceptUnknown());
    buttons.push(accept);
    notes.push(
      "Letting stations pass whose data does not say keeps every filter, but a station passes when its source does not carry the field " +
        "(unknown_station_data=accept): such a station may still be closed to trucks or have its bay on " +
        "the other side, and every charging stop chosen so is marked with a warning.",
    );
  }
  if (buttons.length && !actions.known) {
    parts.push(el("p", { className: "hint" }, "This result was not planned from this browser: import its tour file to plan it again."));
  } else if (buttons.length) {
    parts.push(el("div", { className: "buttons" }, ...buttons), ...notes.map((note) => el("p", { className: "hint" }, note)));
  }
  panel.replaceChildren(...parts);
  panel.hidden = false;
}

function filterTable(reason, removed) {
  const unknown = reason.unknown_by_filter || {};
  const binding = new Set(reason.binding_filters || []);
  const rows = Object.entries(removed).map(([name, count]) =>
    el(
      "tr",
      { className: binding.has(name) ? "binding" : "", dataset: { filter: name, removed: count, unknown: unknown[name] ?? 0 } },
      el("th", { scope: "row" }, FILTER_LABELS[name] || name, el("code", {}, ` ${name}`)),
      el("td", {}, String(count)),
      el("td", {}, unknown[name] ? `${unknown[name]} (the data does not say)` : "0"),
      el("td", {}, binding.has(name) ? "binding" : ""),
    ),
  );
  return el(
    "table",
    { id: "diagnosis-filters" },
    el("caption", {}, "Stations of the corridor each filter removed"),
    el("thead", {}, el("tr", {}, ...["Filter", "Removed", "Of them unknown", ""].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows),
  );
}

function outlook(reason) {
  if (reason.drivable_without_binding_filters === true) {
    const charging = reason.charging_without_binding_filters;
    return `The server planned it once more without them: drivable${charging ? `, charging at ${charging}` : ""}.`;
  }
  if (reason.drivable_without_binding_filters === false) {
    return "The server planned it once more without them: still not drivable (see the message).";
  }
  return "";
}

function joined(names) {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
