// The tour editor: stops (the first is the start), their legs' figures, and the request body.

import { el } from "./format.js";

const DEFAULT_PAYLOAD_KG = 19300;

export const EXAMPLE_STOPS = [
  { lat: 49.435, lon: 8.59 },
  { lat: 49.372, lon: 8.634, payload: 19300, service: 30, from: "09:00", to: "12:00", power: "" },
  { lat: 49.4122, lon: 8.71, payload: 9000, service: 20, from: "", to: "", power: 150 },
  { lat: 49.435, lon: 8.59, payload: 0, service: 0, from: "", to: "", power: "" },
];

// sectionId: the id of the section ending here (kept from an imported tour; else leg-N).
function blankStop(lat = "", lon = "") {
  return { lat, lon, sectionId: "", payload: DEFAULT_PAYLOAD_KG, service: 0, from: "", to: "", power: "" };
}

export class TourEditor {
  constructor(container, onChange) {
    this.container = container;
    this.onChange = onChange;
    this.stops = [];
  }

  setStops(stops) {
    this.stops = stops.map((stop) => ({ ...blankStop(), ...stop }));
    this.render();
  }

  addStop(lat = "", lon = "", focus = false) {
    this.stops.push(blankStop(lat, lon));
    this.render();
    if (focus) this.container.querySelector(`#stop-${this.stops.length - 1}-lat`).focus();
  }

  removeStop(index) {
    this.stops.splice(index, 1);
    this.render();
    const next = this.container.querySelector("input, button") || null;
    if (next) next.focus();
  }

  // "lat, lon" (or "lat lon" / "lat;lon") per line; returns the number of stops read.
  pasteCoordinates(text) {
    const rows = text.split(/\n/).map((line) => line.trim()).filter(Boolean);
    const stops = [];
    for (const [index, row] of rows.entries()) {
      const parts = row.split(/[\s,;]+/).filter(Boolean).map(Number);
      if (parts.length < 2 || parts.some((value) => Number.isNaN(value))) {
        throw new Error(`Line ${index + 1} is not "lat, lon": ${row}`);
      }
      stops.push(blankStop(parts[0], parts[1]));
    }
    this.setStops(stops);
    return stops.length;
  }

  render() {
    this.container.replaceChildren(...this.stops.map((stop, index) => this.stopFields(stop, index)));
    this.onChange();
  }

  stopFields(stop, index) {
    const id = (name) => `stop-${index}-${name}`;
    const field = (name, label, attributes = {}) => {
      const input = el("input", { id: id(name), value: stop[name] ?? "", autocomplete: "off", ...attributes });
      input.addEventListener("input", () => {
        stop[name] = input.value;
        this.onChange();
      });
      return el("div", {}, el("label", { for: id(name) }, label), input);
    };
    const title = index === 0 ? "Start" : `Stop ${index}`;
    const legFields =
      index === 0
        ? []
        : [
            field("payload", "Payload on the way here (kg)", { type: "number", min: 0, step: 100 }),
            field("service", "Service (min)", { type: "number", min: 0, step: 1 }),
            field("power", "Charger at stop (kW)", { type: "number", min: 0, step: 10 }),
            field("from", "Window from (HH:MM)", { placeholder: "09:00" }),
            field("to", "Window to (HH:MM)", { placeholder: "12:00" }),
          ];
    const remove = el("button", { type: "button", "aria-label": `Remove ${title.toLowerCase()}` }, "Remove");
    remove.addEventListener("click", () => this.removeStop(index));
    return el(
      "fieldset",
      { className: "stop", dataset: { index } },
      el("legend", {}, title),
      el(
        "div",
        { className: "grid" },
        field("lat", "Latitude", { type: "number", step: "any", min: -90, max: 90, inputmode: "decimal" }),
        field("lon", "Longitude", { type: "number", step: "any", min: -180, max: 180, inputmode: "decimal" }),
        ...legFields,
      ),
      remove,
    );
  }

  // Positions with numbers only, for the map.
  positions() {
    return this.stops
      .map((stop) => [Number.parseFloat(stop.lat), Number.parseFloat(stop.lon)])
      .filter(([lat, lon]) => Number.isFinite(lat) && Number.isFinite(lon));
  }

  // The sections of the request body; throws Error naming the first bad field.
  sections() {
    if (this.stops.length < 2) throw new Error("Add at least two stops: a start and a destination.");
    const points = this.stops.map((stop, index) => {
      const lat = Number.parseFloat(stop.lat);
      const lon = Number.parseFloat(stop.lon);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
        throw new Error(`${index === 0 ? "Start" : `Stop ${index}`}: latitude and longitude are needed.`);
      }
      return [lat, lon];
    });
    return this.stops.slice(1).map((stop, offset) => {
      const index = offset + 1;
      const section = {
        section_id: stop.sectionId || `leg-${index}`,
        start_pos: points[index - 1],
        stop_pos: points[index],
        payload_kg: numberOr(stop.payload, DEFAULT_PAYLOAD_KG),
        service_time_min: numberOr(stop.service, 0),
      };
      const power = numberOr(stop.power, 0);
      if (power > 0) section.power_available_kW = power;
      if (stop.from || stop.to) {
        if (!stop.from || !stop.to) throw new Error(`Stop ${index}: give both ends of the window.`);
        section.opening_time = [clockTime(stop.from, index), clockTime(stop.to, index)];
      }
      return section;
    });
  }
}

function numberOr(value, fallback) {
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

function clockTime(text, index) {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(String(text).trim());
  if (!match) throw new Error(`Stop ${index}: window times look like 09:00, not "${text}".`);
  return `${match[1].padStart(2, "0")}:${match[2]}:${match[3] || "00"}`;
}
