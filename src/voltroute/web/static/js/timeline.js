// The tour as one bar over time: driving, waiting, charging, breaks, daily rests and service.

import { STOP_LABELS, clock, el, minutes, offsetOf } from "./format.js";

const KINDS = {
  drive: "Driving",
  waiting: "Waiting for the window",
  charging: "Charging",
  break: "Break",
  daily_rest: "Daily rest",
  service: "Service",
};

// Segments {kind, start, end (ms), label} from the result's stops (origin departure first).
export function timelineSegments(stops) {
  const segments = [];
  let previousDeparture = Date.parse(stops[0].departure_time);
  for (const stop of stops.slice(1)) {
    const arrival = Date.parse(stop.arrival_time);
    const departure = Date.parse(stop.departure_time);
    segments.push({ kind: "drive", start: previousDeparture, end: arrival, label: `Drive to ${stop.name}` });
    const waitEnd = arrival + (stop.waiting_time_min || 0) * 60000;
    if (waitEnd > arrival) segments.push({ kind: "waiting", start: arrival, end: waitEnd, label: `Wait at ${stop.name}` });
    const kind = ["charging", "break", "daily_rest"].includes(stop.stop_type) ? stop.stop_type : "service";
    if (departure > waitEnd) {
      segments.push({ kind, start: waitEnd, end: departure, label: `${STOP_LABELS[stop.stop_type] || stop.stop_type} at ${stop.name}` });
    }
    previousDeparture = departure;
  }
  return segments.filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end >= s.start);
}

export function drawTimeline(container, notes, stops) {
  container.replaceChildren();
  notes.replaceChildren();
  const segments = timelineSegments(stops);
  if (!segments.length) return;
  const start = segments[0].start;
  const end = segments[segments.length - 1].end;
  const span = Math.max(1, end - start);
  const offset = offsetOf(stops[1]?.arrival_time_local);
  const bar = el("div", { className: "timeline-bar", role: "list", "aria-label": "Timeline" });
  bar.style.position = "absolute";
  bar.style.inset = "0";
  for (const segment of segments) {
    const node = el("div", {
      className: `segment ${segment.kind}`,
      role: "listitem",
      title: `${segment.label}: ${clock(new Date(segment.start).toISOString(), offset)}–${clock(new Date(segment.end).toISOString(), offset)} (${minutes((segment.end - segment.start) / 60000)})`,
      dataset: { kind: segment.kind },
    });
    node.style.left = `${(100 * (segment.start - start)) / span}%`;
    node.style.width = `${(100 * (segment.end - segment.start)) / span}%`;
    node.setAttribute("aria-label", node.title);
    bar.append(node);
  }
  container.append(bar);
  const isoStart = new Date(start).toISOString();
  const isoEnd = new Date(end).toISOString();
  const legend = el(
    "div",
    { className: "legend" },
    ...Object.entries(KINDS).map(([kind, label]) => {
      const item = el("span", {}, label);
      item.style.setProperty("--swatch", `var(--${kind})`);
      return item;
    }),
  );
  const axis = el("div", { className: "axis" }, el("span", {}, clock(isoStart, offset)), el("span", {}, `${minutes((end - start) / 60000)} in all`), el("span", {}, clock(isoEnd, offset)));
  notes.append(axis, legend);
}
