// The result's summary, stop list and station table (the map, chart and timeline draw the rest).

import { STOP_LABELS, clock, el, minutes, number, offsetOf, percent } from "./format.js";

const TABLE_ROWS = 500; // the map shows every station; the table its first rows

export function stopsOf(geojson) {
  return geojson.features.filter((f) => f.properties.feature_type === "stop").map((f) => f.properties);
}

export function renderSummary(container, result, stops) {
  const km = result.sections.reduce((sum, s) => sum + (s.length_m || 0), 0) / 1000;
  const first = stops[0];
  const last = stops[stops.length - 1];
  const totalMin = (Date.parse(last.arrival_time) - Date.parse(first.departure_time)) / 60000;
  const charged = stops.reduce((sum, s) => sum + (s.energy_kWh || 0), 0);
  const tolls = (result.toll_summary || []).map((t) => `${t.tollSystem}: ${t.total === null ? "not priced" : `${t.total.toFixed(2)} ${t.currency}`}`);
  const items = [
    el("span", { className: result.qualification === "Driveable" ? "" : "bad", id: "summary-qualification" }, result.qualification),
    el("span", { id: "summary-distance" }, `${km.toFixed(1)} km`),
    el("span", {}, `${minutes(totalMin)} from departure to arrival`),
    el("span", { id: "summary-soc-end", dataset: { value: result.battery_level_end } }, `End SoC ${percent(result.battery_level_end)}`),
    el("span", {}, `Charged ${charged.toFixed(1)} kWh`),
    el("span", {}, `Time windows: ${result.time_windows_reachable}`),
    ...tolls.map((t) => el("span", {}, `Toll ${t}`)),
  ];
  container.replaceChildren(...items);
}

// onMap(sequence): show that stop on the map. A stop's section warnings (a charging stop chosen
// with unknown station data, say) are listed under it.
export function renderStops(list, result, stops, onMap) {
  const items = stops.map((stop) => {
    const offset = offsetOf(stop.arrival_time_local || stops[1]?.arrival_time_local);
    const facts = [];
    if (stop.arrival_time) facts.push(`arrive ${clock(stop.arrival_time, offset)}`);
    if (stop.departure_time) facts.push(`depart ${clock(stop.departure_time, offset)}`);
    facts.push(stop.soc_arrival === null ? `SoC ${percent(stop.soc_departure)}` : `SoC ${percent(stop.soc_arrival)} → ${percent(stop.soc_departure)}`);
    if (stop.energy_kWh) facts.push(`${number(stop.energy_kWh, 1)} kWh in ${number(stop.charge_time_min)} min`);
    if (stop.activity_summary) {
      // What the driver does there (extension): service as work, the break apart from it.
      facts.push(`driver: ${stop.activity_summary}`);
    } else {
      if (stop.waiting_time_min) facts.push(`wait ${number(stop.waiting_time_min)} min`);
      if (stop.break_time_min) facts.push(`break ${number(stop.break_time_min)} min`);
      if (stop.rest_time_min) facts.push(`rest ${number(stop.rest_time_min)} min`);
      if (stop.service_time_min) facts.push(`stop ${number(stop.service_time_min)} min`);
    }
    const show = el("button", { type: "button", "aria-label": `Show ${stop.name} on the map` }, "Map");
    show.addEventListener("click", () => onMap(stop.sequence));
    const warnings = stop.sequence > 0 ? result.sections[stop.sequence - 1]?.warnings || [] : [];
    return el(
      "li",
      {
        className: "stop-item",
        dataset: {
          sequence: stop.sequence,
          stopType: stop.stop_type,
          socArrival: stop.soc_arrival ?? "",
          socDeparture: stop.soc_departure ?? "",
          energyKwh: stop.energy_kWh ?? "",
          arrivalTime: stop.arrival_time ?? "",
        },
      },
      el("span", { className: `badge ${stop.stop_type}` }, STOP_LABELS[stop.stop_type] || stop.stop_type),
      el("strong", {}, stop.name),
      el("span", { className: "facts" }, facts.join(" · ")),
      " ",
      show,
      warnings.length ? el("div", { className: "warnings" }, ...warnings.map((w) => el("div", {}, `Warning: ${w}`))) : null,
    );
  });
  list.replaceChildren(...items);
}

// onMap(stationId): show that station on the map.
export function renderStations(container, geojson, onMap) {
  const stations = geojson.features.filter((f) => f.properties.feature_type === "station").map((f) => f.properties);
  const rows = stations.slice(0, TABLE_ROWS).map((s) => {
    const show = el("button", { type: "button", "aria-label": `Show ${s.name} on the map` }, "Map");
    show.addEventListener("click", () => onMap(s.station_id));
    return el(
      "tr",
      { dataset: { stationId: s.station_id } },
      el("td", {}, s.name),
      el("td", {}, `${number(s.power_kW)} kW`),
      el("td", {}, s.candidate ? "passes filters" : "filtered out"),
      el("td", {}, s.used ? "charging stop" : ""),
      el("td", {}, s.scenario ? "scenario site" : ""),
      el("td", {}, show),
    );
  });
  const shown = stations.length > TABLE_ROWS ? `, the first ${TABLE_ROWS} listed here (candidates first); the map shows all` : "";
  const table = el(
    "table",
    {},
    el("caption", {}, `${stations.length} stations in the corridor${shown}`),
    el("thead", {}, el("tr", {}, ...["Station", "Power", "Filters", "Use", "Source", ""].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows),
  );
  container.replaceChildren(table);
}
