// Wires the page: token, regions and their filter presets, vehicles, tour editor and tour files,
// submit and polling, the result (by link too), its diagnosis, recent jobs, exports.

import { ApiError, getBlob, getJson, getRegions, storeToken, storedToken, submitTour, waitForJob } from "./api.js";
import { chartSeries, drawChart } from "./chart.js";
import { renderDiagnosis } from "./diagnosis.js";
import { EXAMPLE_STOPS, TourEditor } from "./editor.js";
import { coverageSummary, fittingPresets } from "./filters.js";
import { el, number } from "./format.js";
import { TourForm } from "./form.js";
import { showRecentJobs } from "./jobs.js";
import { TourMap } from "./map.js";
import { rememberRequest, rememberedRequest } from "./memory.js";
import { renderStations, renderStops, renderSummary, stopsOf } from "./result.js";
import { drawTimeline, renderRuleCheck } from "./timeline.js";
import { acceptDroppedFiles, readTourFile, saveTour } from "./tourfile.js";

const $ = (id) => document.getElementById(id);
const RESULT_ROUTE = /^#\/optimizations\/(\d+)$/;
const FILTER_CONTROLS = ["min-kw", "truck-approved", "connector-pos"];
const state = { result: null, optimizationId: null, stationsShown: false, filtersTouched: false, busy: false };

const token = () => $("token").value.trim();
const tourMap = new TourMap($("map"), $("map-note"), (lat, lon) => editor.addStop(lat.toFixed(5), lon.toFixed(5)), token);
const editor = new TourEditor($("stops"), () => {
  tourMap.showEditorStops(editor.positions());
  updatePreview();
});
const form = new TourForm(editor);

function showError(message) {
  $("errors").textContent = message;
}

function updatePreview() {
  try {
    $("request-preview").textContent = JSON.stringify(form.body(), null, 2);
  } catch (error) {
    $("request-preview").textContent = error.message;
  }
}

async function loadVehicles() {
  if (!token()) return;
  try {
    const [catalogue, custom] = await Promise.all([getJson("/vehicles/info/models", token()), getJson("/vehicles", token())]);
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

// The region selector: one option per served region; choosing one shows it on the map and
// presets the filters its stations can pass.
async function loadRegions() {
  try {
    const regions = await getRegions();
    state.regions = new Map(regions.map((r) => [r.name, r]));
    $("region").replaceChildren(...regions.map((r) => el("option", { value: r.name }, r.stations === null ? r.name : `${r.name} (${r.stations} stations)`)));
    const first = regions.find((r) => r.default) || regions[0];
    // A result opened by link before the regions came keeps the map on it.
    if (first) selectRegion(first.name, { keepFilters: state.filtersTouched, show: state.result === null });
  } catch (error) {
    showError(`Regions: ${error.message}`);
  }
}

async function selectRegion(name, { keepFilters = false, show = true } = {}) {
  $("region").value = name;
  const region = state.regions?.get(name);
  if (region && show) tourMap.showRegion(region);
  const note = $("coverage-note");
  try {
    const connectors = [$("connector-ccs").checked && "CCS", $("connector-mcs").checked && "MCS"].filter(Boolean);
    const { coverage, presets, notes } = await fittingPresets(name, connectors);
    if ($("region").value !== name) return; // another region was chosen meanwhile
    const lines = [coverageSummary(coverage)];
    if (keepFilters || state.filtersTouched) {
      lines.push("Your filters are kept.");
    } else {
      $("min-kw").value = presets.min_kW ?? "";
      $("truck-approved").value = presets.truck_approved ?? "";
      $("connector-pos").value = presets.connector_pos ?? "";
      lines.push(...notes);
      updatePreview();
    }
    note.replaceChildren(...lines.map((line) => el("div", {}, line)));
    note.dataset.region = name;
  } catch (error) {
    note.textContent = `Station coverage: ${error.message}`;
  }
}

// The region whose box holds every stop of the editor (the server plans on the first such).
function regionHoldingStops() {
  const positions = editor.positions();
  for (const region of state.regions?.values() || []) {
    if (positions.every(([lat, lon]) => region.min_lat <= lat && lat <= region.max_lat && region.min_lon <= lon && lon <= region.max_lon)) return region;
  }
  return null;
}

async function importTour(file) {
  showError("");
  try {
    const body = await readTourFile(file);
    form.fill(body);
    state.filtersTouched = true;
    const region = regionHoldingStops();
    if (region && region.name !== $("region").value) await selectRegion(region.name, { keepFilters: true, show: false });
    $("import-note").textContent = `Loaded ${file.name}: ${body.section_list.length} sections${region ? ` in ${region.name}` : ""}.`;
    updatePreview();
  } catch (error) {
    showError(error.message);
  }
}

function exportTour() {
  try {
    saveTour(form.body());
  } catch (error) {
    showError(error.message);
  }
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
    body = form.body();
  } catch (error) {
    showError(error.message);
    return;
  }
  await plan({ body, corridor: Number.parseInt($("corridor").value, 10) || 8000, acceptUnknown: form.acceptUnknown() });
}

// Submits a request ({body, corridor, acceptUnknown}), follows the job, shows its result.
async function plan(request) {
  if (state.busy) return;
  state.busy = true;
  $("submit").disabled = true;
  $("progress").hidden = false;
  $("progress-bar").removeAttribute("value");
  try {
    const submitted = await submitTour(request.body, request.corridor, token(), request.acceptUnknown);
    rememberRequest(submitted.optimization_id, request);
    const job = await waitForJob(submitted.job_id, token(), (status, seconds) => {
      $("progress-text").textContent = `Job ${submitted.optimization_id}: ${status} (${seconds.toFixed(1)} s)`;
    });
    if (job.status !== "succeeded" && job.status !== "not_drivable") {
      // The result endpoint's 404 names the job's error.
      await getJson(`/planner/optimizations/${submitted.optimization_id}/result`, token());
      throw new ApiError(`Job ${job.status}.`);
    }
    await openResult(submitted.optimization_id);
    $("progress-bar").value = 1;
    $("progress-bar").max = 1;
  } catch (error) {
    showError(error.message);
    $("progress").hidden = true;
  } finally {
    state.busy = false;
    $("submit").disabled = false;
    showRecentJobs($("jobs-list"), token());
  }
}

// Loads and shows a result; the address becomes its link (#/optimizations/ID).
async function openResult(optimizationId) {
  const base = `/planner/optimizations/${optimizationId}`;
  const [result, geojson] = await Promise.all([getJson(`${base}/result`, token()), getJson(`${base}/result.geojson`, token())]);
  state.optimizationId = optimizationId;
  const link = `#/optimizations/${optimizationId}`;
  if (window.location.hash !== link) window.location.hash = link;
  showResult(result, geojson, rememberedRequest(optimizationId));
}

function showResult(result, geojson, request) {
  state.result = result;
  window.voltroute = { result, geojson };
  $("result").hidden = false;
  tourMap.showResult(geojson, request?.corridor ?? null);
  setStationsShown(false);
  const stops = stopsOf(geojson);
  renderDiagnosis($("diagnosis"), result, diagnosisActions(request));
  renderSummary($("summary"), result, stops);
  renderStops($("stop-list"), result, stops, (sequence) => tourMap.focusStop(sequence));
  renderStations($("stations-list"), geojson, (stationId) => {
    setStationsShown(true);
    tourMap.openStation(stationId);
  });
  drawChart($("chart"), chartSeries(geojson));
  renderRuleCheck($("rule-check"), result, stops);
  drawTimeline($("timeline"), $("timeline-notes"), stops, result);
  $("result-link").href = `#/optimizations/${result.optimization_id}`;
  $("result-link").textContent = new URL(`#/optimizations/${result.optimization_id}`, window.location.href).href;
  (result.not_drivable_reason ? $("diagnosis") : $("result").querySelector("h2")).focus?.();
}

// "Plan again" from a diagnosis: the result's own request (as this browser submitted it, when
// it did) goes into the editor, changed as asked, and is submitted.
function diagnosisActions(request) {
  const again = (change) => {
    form.fill(request.body);
    $("accept-unknown").checked = request.acceptUnknown;
    $("corridor").value = request.corridor;
    state.filtersTouched = true;
    change();
    updatePreview();
    plan({ body: form.body(), corridor: request.corridor, acceptUnknown: form.acceptUnknown() });
  };
  return {
    known: request !== null,
    acceptedUnknown: Boolean(request?.acceptUnknown),
    withoutFilters: (names) => again(() => form.dropFilters(names)),
    acceptUnknown: () => again(() => ($("accept-unknown").checked = true)),
  };
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

// #/optimizations/ID opens that result (a shared link, a recent job).
async function route() {
  const match = RESULT_ROUTE.exec(window.location.hash);
  if (!match || Number(match[1]) === state.optimizationId || !token()) return;
  showError("");
  try {
    await openResult(Number(match[1]));
  } catch (error) {
    showError(`Result ${match[1]}: ${error.message}`);
  }
}

function useToken() {
  storeToken(token());
  loadVehicles();
  showRecentJobs($("jobs-list"), token());
  route();
}

function init() {
  $("token").value = storedToken();
  $("token").addEventListener("change", useToken);
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    useToken();
  });
  $("region").addEventListener("change", () => selectRegion($("region").value));
  for (const id of FILTER_CONTROLS) $(id).addEventListener("change", () => (state.filtersTouched = true));
  $("vehicle-id").addEventListener("input", describeVehicle);
  $("tour-form").addEventListener("input", updatePreview);
  $("tour-form").addEventListener("change", updatePreview);
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
  $("import-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) importTour(file);
    event.target.value = ""; // the same file again is a new import
  });
  acceptDroppedFiles($("drop-hint"), importTour);
  $("export-tour").addEventListener("click", exportTour);
  $("refresh-jobs").addEventListener("click", () => showRecentJobs($("jobs-list"), token()));
  $("toggle-stations").addEventListener("click", () => setStationsShown(!state.stationsShown));
  $("export-geojson").addEventListener("click", () => download("geojson"));
  $("export-gpx").addEventListener("click", () => download("gpx"));
  window.addEventListener("hashchange", route);
  editor.setStops([]);
  loadRegions();
  loadVehicles();
  showRecentJobs($("jobs-list"), token());
  route();
}

init();
