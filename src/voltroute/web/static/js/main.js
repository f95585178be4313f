// Wires the page: token, vehicles, tour editor, submit and polling, result view, exports.

import { ApiError, getBlob, getJson, storeToken, storedToken, submitTour, waitForJob } from "./api.js";
import { chartSeries, drawChart } from "./chart.js";
import { EXAMPLE_STOPS, TourEditor } from "./editor.js";
import { STOP_LABELS, clock, el, minutes, number, offsetOf, percent } from "./format.js";
import { TourMap } from "./map.js";
import { drawTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);
const state = { result: null, geojson: null, optimizationId: null, stationsShown: false };

const tourMap = new TourMap($("map"), $("map-note"), (lat, lon) => {
  editor.addStop(lat.toFixed(5), lon.toFixed(5));
});
const editor = new TourEditor($("stops"), () => {
  tourMap.showEditorStops(editor.positions());
  updatePreview();
});

function token() {
  return $("token").value.trim();
}

function showError(message) {
  $("errors").textContent = message;
}

function requestBody() {
  const connectors = [];
  if ($("connector-ccs").checked) connectors.push("CCS");
  if ($("connector-mcs").checked) connectors.push("MCS");
  const poiInfo = {};
  const minKw = Number.parseFloat($("min-kw").value);
  if (Number.isFinite(minKw) && minKw > 0) poiInfo.min_kW = minKw;
  if ($("truck-approved").value) poiInfo.truck_approved = $("truck-approved").value;
  if ($("connector-pos").value) poiInfo.connector_pos = $("connector-pos").value;
  if (connectors.length) poiInfo.connector_type = connectors;
  const body = {
    vehicle_id: $("vehicle-id").value.trim(),
    battery_level_start: Number.parseFloat($("soc-start").value) / 100,
    battery_level_end: Number.parseFloat($("soc-end").value) / 100,
    service_time_departure_min: Number.parseFloat($("departure-service").value) || 0,
    poi_info: poiInfo,
    include_available_charging_stations: $("include-available").checked,
    section_list: editor.sections(),
  };
  const start = $("start-time").value.trim();
  if (start) body.start_time_tour = /^\d{1,2}:\d{2}$/.test(start) ? `${start.padStart(5, "0")}:00` : start;
  return body;
}

function updatePreview() {
  try {
    $("request-preview").textContent = JSON.stringify(requestBody(), null, 2);
  } catch (error) {
    $("request-preview").textContent = error.message;
  }
}

async function loadVehicles() {
  if (!token()) return;
  try {
    const [catalogue, custom] = await Promise.all([
      getJson("/vehicles/info/models", token()),
      getJson("/vehicles", token()),
    ]);
    const options = [...custom, ...catalogue].map((v) =>
      el("option", { value: v.vehicle_id }, `${v.manufacturer} ${v.model} · ${number(v.battery_usable_kwh)} kWh${v.origin === "custom" ? " (custom)" : ""}`),
    );
    $("vehicle-options").replaceChildren(...options);
    state.vehicles = new Map([...custom, ...catalogue].map((v) => [v.vehicle_id, v]));
    describeVehicle();
  } catch (error) {
    showError(`Vehicles: ${error.message}`);
  }
}

function describeVehicle() {
  const vehicle = state.vehicles?.get($("vehicle-id").value.trim());
  $("vehicle-name").textContent = vehicle ? `${vehicle.manufacturer} ${vehicle.model}, ${number(vehicle.battery_usable_kwh)} kWh usable` : "";
}

async function submit(event) {
  event.preventDefault();
  showError("");
  if (!token()) {
    showError("Enter your API token first.");
    $("token").focus();
    return;
  }
  let body;
  try {
    body = requestBody();
  } catch (error) {
    showError(error.message);
    return;
  }
  const button = $("submit");
  button.disabled = true;
  $("progress").hidden = false;
  $("progress-bar").removeAttribute("value");
  try {
    const corridor = Number.parseInt($("corridor").value, 10) || 8000;
    const submitted = await submitTour(body, corridor, token());
    const job = await waitForJob(submitted.job_id, token(), (status, seconds) => {
      $("progress-text").textContent = `Job ${submitted.optimization_id}: ${status} (${seconds.toFixed(1)} s)`;
    });
    const base = `/planner/optimizations/${submitted.optimization_id}`;
    if (job.status !== "succeeded" && job.status !== "not_drivable") {
      // The result endpoint's 404 names the job's error.
      await getJson(`${base}/result`, token());
      throw new ApiError(`Job ${job.status}.`);
    }
    const [result, geojson] = await Promise.all([getJson(`${base}/result`, token()), getJson(`${base}/result.geojson`, token())]);
    state.optimizationId = submitted.optimization_id;
    showResult(result, geojson, corridor);
    $("progress-bar").value = 1;
    $("progress-bar").max = 1;
  } catch (error) {
    showError(error.message);
    $("progress").hidden = true;
  } finally {
    button.disabled = false;
  }
}

function showResult(result, geojson, corridorM) {
  state.result = result;
  state.geojson = geojson;
  window.voltroute = { result, geojson };
  $("result").hidden = false;
  tourMap.showResult(geojson, corridorM);
  setStationsShown(false);
  const stops = geojson.features.filter((f) => f.properties.feature_type === "stop").map((f) => f.properties);
  renderSummary(result, stops);
  renderStops(stops);
  renderStations(geojson);
  drawChart($("chart"), chartSeries(geojson));
  drawTimeline($("timeline"), $("timeline-notes"), stops);
  $("result").querySelector("h2").focus?.();
}

function renderSummary(result, stops) {
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
  if (result.not_drivable_reason) items.push(el("span", { className: "bad" }, result.not_drivable_reason.message));
  $("summary").replaceChildren(...items);
}

function renderStops(stops) {
  const items = stops.map((stop) => {
    const offset = offsetOf(stop.arrival_time_local || stops[1]?.arrival_time_local);
    const facts = [];
    if (stop.arrival_time) facts.push(`arrive ${clock(stop.arrival_time, offset)}`);
    if (stop.departure_time) facts.push(`depart ${clock(stop.departure_time, offset)}`);
    facts.push(stop.soc_arrival === null ? `SoC ${percent(stop.soc_departure)}` : `SoC ${percent(stop.soc_arrival)} → ${percent(stop.soc_departure)}`);
    if (stop.energy_kWh) facts.push(`${number(stop.energy_kWh, 1)} kWh in ${number(stop.charge_time_min)} min`);
    if (stop.waiting_time_min) facts.push(`wait ${number(stop.waiting_time_min)} min`);
    if (stop.break_time_min) facts.push(`break ${number(stop.break_time_min)} min`);
    if (stop.rest_time_min) facts.push(`rest ${number(stop.rest_time_min)} min`);
    if (stop.service_time_min) facts.push(`stop ${number(stop.service_time_min)} min`);
    const show = el("button", { type: "button", "aria-label": `Show ${stop.name} on the map` }, "Map");
    show.addEventListener("click", () => tourMap.focusStop(stop.sequence));
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
    );
  });
  $("stop-list").replaceChildren(...items);
}

function renderStations(geojson) {
  const stations = geojson.features.filter((f) => f.properties.feature_type === "station").map((f) => f.properties);
  const rows = stations.map((s) =>
    el("tr", {}, el("td", {}, s.name), el("td", {}, `${number(s.power_kW)} kW`), el("td", {}, s.candidate ? "passes filters" : "filtered out"), el("td", {}, s.used ? "charging stop" : ""), el("td", {}, s.scenario ? "scenario site" : "")),
  );
  const table = el(
    "table",
    {},
    el("caption", {}, `${stations.length} stations in the corridor`),
    el("thead", {}, el("tr", {}, ...["Station", "Power", "Filters", "Use", "Source"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows),
  );
  $("stations-list").replaceChildren(table);
}

function setStationsShown(shown) {
  state.stationsShown = shown;
  $("toggle-stations").setAttribute("aria-pressed", String(shown));
  $("toggle-stations").textContent = shown ? "Hide stations in the corridor" : "Show stations in the corridor";
  $("stations-list").hidden = !shown;
  tourMap.toggleStations(shown);
}

async function download(extension) {
  if (state.optimizationId === null) return;
  try {
    const blob = await getBlob(`/planner/optimizations/${state.optimizationId}/result.${extension}`, token());
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: `voltroute-${state.optimizationId}.${extension}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (error) {
    showError(error.message);
  }
}

function init() {
  $("token").value = storedToken();
  $("token").addEventListener("change", () => {
    storeToken(token());
    loadVehicles();
  });
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    storeToken(token());
    loadVehicles();
  });
  $("vehicle-id").addEventListener("input", describeVehicle);
  $("tour-form").addEventListener("input", updatePreview);
  $("tour-form").addEventListener("submit", submit);
  $("add-stop").addEventListener("click", () => editor.addStop("", "", true));
  $("clear-stops").addEventListener("click", () => editor.setStops([]));
  $("load-example").addEventListener("click", () => editor.setStops(EXAMPLE_STOPS));
  $("use-paste").addEventListener("click", () => {
    try {
      editor.pasteCoordinates($("paste").value);
      showError("");
    } catch (error) {
      showError(error.message);
    }
  });
  $("toggle-stations").addEventListener("click", () => setStationsShown(!state.stationsShown));
  $("export-geojson").addEventListener("click", () => download("geojson"));
  $("export-gpx").addEventListener("click", () => download("gpx"));
  editor.setStops([]);
  loadVehicles();
}

init();
