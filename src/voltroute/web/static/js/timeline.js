// The tour over time, one bar per driver: driving, work (service, plugging), waiting, breaks and
// rests, from the result's activity timeline (extension). A result without it (an older one,
// another server's) is drawn from its stops as before: driving, waiting, charging, breaks, daily
// rests and service.

import { STOP_LABELS, clock, el, minutes, offsetOf } from "./format.js";

// Results without activities: what the truck does at each stop.
const STOP_KINDS = {
  drive: "Driving",
  waiting: "Waiting for the window",
  charging: "Charging",
  break: "Break",
  daily_rest: "Daily rest",
  service: "Service",
};

// The driver's activities (EU 561/2006, 2002/15/EC): the CSS class and the legend's words.
export const ACTIVITIES = {
  driving: { className: "drive", label: "Driving" },
  other_work: { className: "other_work", label: "Work (service, plugging)" },
  availability: { className: "availability", label: "Waiting (availability)" },
  break: { className: "break", label: "Break" },
  daily_rest: { className: "daily_rest", label: "Daily rest" },
  weekly_rest: { className: "weekly_rest", label: "Weekly rest" },
};

// "service (work)" at a customer, "plugging (work)" at a charger, "break", ...
export function activityLabel(kind, stopType) {
  if (kind === "other_work") {
    if (["origin", "customer", "destination"].includes(stopType)) return "Service (work)";
    if (stopType === "charging") return "Plugging (work)";
    return "Work";
  }
  if (kind === "availability") return "Waiting (availability)";
  return ACTIVITIES[kind]?.label || kind;
}

const time = (iso) => Date.parse(iso);
// A dataset without the entries that have no value (el() would write "undefined").
const defined = (entries) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== null && v !== undefined));
const finite = (s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end >= s.start;

function activitySegment(activity, stop, fallbackLabel) {
  const kind = activity.activity;
  const where = stop ? ` at ${stop.name}` : fallbackLabel ? ` (${fallbackLabel})` : "";
  return {
    kind: ACTIVITIES[kind]?.className || "other",
    activity: kind,
    start: time(activity.start),
    end: time(activity.end),
    stop,
    label: `${activityLabel(kind, stop?.stop_type)}${where}`,
  };
}

// Segments {kind, start, end (ms), label, stop, activity} from the result's stops (origin
// departure first): each stop's activities when the result gives them, else the stop's kind.
export function timelineSegments(stops) {
  const segments = [];
  let previousDeparture = time(stops[0].departure_time);
  for (const stop of stops.slice(1)) {
    const arrival = time(stop.arrival_time);
    const departure = time(stop.departure_time);
    segments.push({ kind: "drive", activity: "driving", start: previousDeparture, end: arrival, label: `Drive to ${stop.name}`, stop: null });
    if (Array.isArray(stop.activities)) {
      segments.push(...stop.activities.map((activity) => activitySegment(activity, stop)));
    } else {
      const waitEnd = arrival + (stop.waiting_time_min || 0) * 60000;
      if (waitEnd > arrival) segments.push({ kind: "waiting", start: arrival, end: waitEnd, label: `Wait at ${stop.name}`, stop });
      const kind = ["charging", "break", "daily_rest"].includes(stop.stop_type) ? stop.stop_type : "service";
      if (departure > waitEnd) {
        segments.push({ kind, start: waitEnd, end: departure, label: `${STOP_LABELS[stop.stop_type] || stop.stop_type} at ${stop.name}`, stop });
      }
    }
    previousDeparture = departure;
  }
  return segments.filter(finite);
}

// The stop where the truck stands throughout [start, end] (ms), or null (driving).
function stopDuring(stops, start, end) {
  const slack = 1000; // times are rounded to the second
  return (
    stops.find((stop) => {
      const departure = time(stop.departure_time);
      const arrival = stop.arrival_time ? time(stop.arrival_time) : -Infinity;
      return Number.isFinite(departure) && end <= departure + slack && start >= arrival - slack;
    }) || null
  );
}

// One driver's segments from the result's activity timeline; driving is cut where the truck
// passes a stop without standing there, so each section has its own driving segment.
export function driverSegments(activities, stops) {
  const arrivals = stops.slice(1).map((stop) => ({ at: time(stop.arrival_time), stop }));
  const segments = [];
  for (const activity of activities) {
    const start = time(activity.start);
    const end = time(activity.end);
    if (activity.activity !== "driving") {
      segments.push(activitySegment(activity, stopDuring(stops, start, end), activity.place));
      continue;
    }
    let from = start;
    for (const { at, stop } of arrivals) {
      if (at <= from || at > end) continue;
      segments.push({ kind: "drive", activity: "driving", start: from, end: at, label: `Driving to ${stop.name}`, stop: null });
      from = at;
    }
    if (end > from) segments.push({ kind: "drive", activity: "driving", start: from, end, label: `Driving${activity.place ? ` (${activity.place})` : ""}`, stop: null });
  }
  return segments.filter(finite);
}

// The bars to draw: one per driver from the activity timeline, or one from the stops.
export function timelineRows(result, stops) {
  const drivers = (result?.activity_timeline || []).filter((entry) => Array.isArray(entry.activities) && entry.activities.length);
  if (drivers.length) {
    return {
      byActivity: true,
      rows: drivers.map((entry, index) => ({
        label: drivers.length > 1 ? `Driver ${entry.driver ?? index + 1}` : "Driver",
        driver: entry.driver ?? index + 1,
        segments: driverSegments(entry.activities, stops),
      })),
    };
  }
  const byActivity = stops.slice(1).some((stop) => Array.isArray(stop.activities));
  return { byActivity, rows: [{ label: null, driver: null, segments: timelineSegments(stops) }] };
}

function legendItem(label, swatch, kind) {
  const item = el("span", { dataset: { kind } }, label);
  item.style.setProperty("--swatch", `var(--${swatch})`);
  return item;
}

export function drawTimeline(container, notes, stops, result = null) {
  container.replaceChildren();
  notes.replaceChildren();
  const { byActivity, rows } = timelineRows(result, stops);
  const all = rows.flatMap((row) => row.segments);
  if (!all.length) return;
  const start = Math.min(...all.map((s) => s.start));
  const end = Math.max(...all.map((s) => s.end));
  const span = Math.max(1, end - start);
  const offset = offsetOf(stops[1]?.arrival_time_local);
  container.dataset.mode = byActivity ? "activities" : "stops";
  for (const row of rows) {
    const bar = el("div", { className: "timeline-bar", role: "list", "aria-label": row.label ? `Timeline of ${row.label.toLowerCase()}` : "Timeline" });
    for (const segment of row.segments) {
      const node = el("div", {
        className: `segment ${segment.kind}${segment.stop?.stop_type === "charging" ? " at-charger" : ""}`,
        role: "listitem",
        title: `${segment.label}: ${clock(new Date(segment.start).toISOString(), offset)}–${clock(new Date(segment.end).toISOString(), offset)} (${minutes((segment.end - segment.start) / 60000)})`,
        dataset: defined({
          kind: segment.kind,
          activity: segment.activity,
          stop: segment.stop?.sequence,
          stopType: segment.stop?.stop_type,
          start: new Date(segment.start).toISOString(),
          end: new Date(segment.end).toISOString(),
        }),
      });
      node.style.left = `${(100 * (segment.start - start)) / span}%`;
      node.style.width = `${(100 * (segment.end - segment.start)) / span}%`;
      node.setAttribute("aria-label", node.title);
      bar.append(node);
    }
    container.append(
      el("div", { className: "timeline-row", dataset: defined({ driver: row.driver }) }, row.label ? el("span", { className: "row-label" }, row.label) : null, bar),
    );
  }
  const isoStart = new Date(start).toISOString();
  const isoEnd = new Date(end).toISOString();
  const items = byActivity
    ? [
        ...Object.entries(ACTIVITIES).map(([kind, { className, label }]) => legendItem(label, className, kind)),
        legendItem("At a charger (green underline)", "charging", "at-charger"),
      ]
    : Object.entries(STOP_KINDS).map(([kind, label]) => legendItem(label, kind, kind));
  const legend = el("div", { className: "legend", id: "timeline-legend" }, ...items);
  const axis = el("div", { className: "axis" }, el("span", {}, clock(isoStart, offset)), el("span", {}, `${minutes((end - start) / 60000)} in all`), el("span", {}, clock(isoEnd, offset)));
  notes.append(axis, legend);
  const rules = rulesNote(result?.driver_rules_applied);
  if (rules) notes.append(el("div", { className: "hint", id: "rules-applied" }, rules));
}

// The driver rules the plan keeps (extension), in a line: service as work or not, working
// time, a team.
export function rulesNote(applied) {
  if (!applied || typeof applied !== "object") return "";
  const parts = [];
  if (applied.driver_free_during_service === true) parts.push("the driver is free during service (counted as a break)");
  if (applied.driver_free_during_service === false) parts.push("service at a stop is work");
  if (applied.working_time === true) parts.push("working time (2002/15/EC) kept");
  if (applied.working_time === false) parts.push("working time (2002/15/EC) not applied");
  if (applied.team_driving === true) parts.push("a team of two drivers");
  return parts.length ? `Driver rules (EU 561/2006): ${parts.join(" · ")}.` : "";
}

// The result's rule check (extension): each infringement it found, with its article, as a
// visible warning; hidden when there is none (or the result has no rule check).
export function renderRuleCheck(node, result, stops) {
  const findings = Array.isArray(result?.rule_check) ? result.rule_check : [];
  node.hidden = findings.length === 0;
  if (!findings.length) {
    node.replaceChildren();
    return;
  }
  const offset = offsetOf(stops[1]?.arrival_time_local);
  const items = findings.map((f) =>
    el(
      "li",
      { dataset: defined({ article: f.article, driver: f.driver }) },
      f.driver !== null && f.driver !== undefined ? `Driver ${f.driver} · ` : "",
      el("strong", {}, f.article || f.rule || "Rule"),
      `: ${f.detail || f.rule || ""}`,
      f.at ? ` (at ${clock(f.at, offset)})` : "",
    ),
  );
  const count = findings.length === 1 ? "an infringement" : `${findings.length} infringements`;
  node.replaceChildren(el("strong", {}, `Driver-rule check: this plan has ${count}.`), el("ul", {}, ...items));
}
