// The tour form <-> the request body of POST /planner/v2 (the contract's PlannerRequest).
// Fields the page has no control for (a poi_info max_kW, cpo or bookable from an imported file,
// unknown top-level keys) are kept as they came and sent with the body.

const $ = (id) => document.getElementById(id);
const EDITED_KEYS = new Set([
  "vehicle_id",
  "battery_level_start",
  "battery_level_end",
  "start_time_tour",
  "service_time_departure_min",
  "poi_info",
  "include_available_charging_stations",
  "section_list",
]);
const EDITED_FILTERS = new Set(["min_kW", "truck_approved", "connector_pos", "connector_type"]);

export class TourForm {
  constructor(editor) {
    this.editor = editor;
    this.extras = {}; // top-level keys the page does not edit
    this.filterExtras = {}; // poi_info filters the page has no control for
  }

  // The request body; throws Error naming the first bad field.
  body() {
    const connectors = [];
    if ($("connector-ccs").checked) connectors.push("CCS");
    if ($("connector-mcs").checked) connectors.push("MCS");
    const poiInfo = { ...this.filterExtras };
    const minKw = Number.parseFloat($("min-kw").value);
    if (Number.isFinite(minKw) && minKw > 0) poiInfo.min_kW = minKw;
    if ($("truck-approved").value) poiInfo.truck_approved = $("truck-approved").value;
    if ($("connector-pos").value) poiInfo.connector_pos = $("connector-pos").value;
    if (connectors.length) poiInfo.connector_type = connectors;
    const body = {
      ...this.extras,
      vehicle_id: $("vehicle-id").value.trim(),
      battery_level_start: fraction($("soc-start").value),
      battery_level_end: fraction($("soc-end").value),
      service_time_departure_min: Number.parseFloat($("departure-service").value) || 0,
      poi_info: poiInfo,
      section_list: this.editor.sections(),
    };
    if ($("include-available").checked) body.include_available_charging_stations = true;
    const start = $("start-time").value.trim();
    if (start) body.start_time_tour = /^\d{1,2}:\d{2}$/.test(start) ? `${start.padStart(5, "0")}:00` : start;
    return body;
  }

  acceptUnknown() {
    return $("accept-unknown").checked;
  }

  // Fill the form and the editor from a request body (checked by tourfile.readTour).
  fill(body) {
    this.extras = Object.fromEntries(Object.entries(body).filter(([key]) => !EDITED_KEYS.has(key)));
    const poiInfo = body.poi_info || {};
    this.filterExtras = Object.fromEntries(
      Object.entries(poiInfo).filter(([key, value]) => !EDITED_FILTERS.has(key) && value !== null),
    );
    $("vehicle-id").value = body.vehicle_id ?? "";
    $("soc-start").value = percentOf(body.battery_level_start);
    $("soc-end").value = percentOf(body.battery_level_end ?? 0.2);
    $("start-time").value = body.start_time_tour ?? "";
    $("departure-service").value = body.service_time_departure_min ?? 0;
    $("min-kw").value = poiInfo.min_kW ?? "";
    $("truck-approved").value = poiInfo.truck_approved ?? "";
    $("connector-pos").value = poiInfo.connector_pos ?? "";
    const connectors = poiInfo.connector_type || [];
    $("connector-ccs").checked = connectors.includes("CCS");
    $("connector-mcs").checked = connectors.includes("MCS");
    $("include-available").checked = Boolean(body.include_available_charging_stations);
    this.editor.setStops(stopsOf(body.section_list));
  }

  // Remove filters by their poi_info names (a diagnosis's binding filters).
  dropFilters(names) {
    for (const name of names) {
      if (name === "min_kW") $("min-kw").value = "";
      else if (name === "truck_approved") $("truck-approved").value = "";
      else if (name === "connector_pos") $("connector-pos").value = "";
      else if (name === "connector_type") {
        $("connector-ccs").checked = false;
        $("connector-mcs").checked = false;
      } else delete this.filterExtras[name];
    }
  }
}

// The editor's stops from the sections: the first start, then each section's end with that
// section's figures (section i ends at stop i + 1).
function stopsOf(sections) {
  const first = sections[0].start_pos;
  const stops = [{ lat: String(first[0]), lon: String(first[1]) }];
  for (const section of sections) {
    const [from, to] = section.opening_time || ["", ""];
    stops.push({
      lat: String(section.stop_pos[0]),
      lon: String(section.stop_pos[1]),
      sectionId: section.section_id ?? "",
      payload: section.payload_kg ?? "",
      service: section.service_time_min ?? 0,
      power: section.power_available_kW ?? "",
      from,
      to,
    });
  }
  return stops;
}

function fraction(percentText) {
  return Number.parseFloat(percentText) / 100;
}

// 0.45 -> "45" (not "45.00000000000001").
function percentOf(value) {
  return value === null || value === undefined ? "" : String(Number((value * 100).toFixed(4)));
}
