// Filter presets that fit the region's stations (GET /regions/{name}/station-coverage): a filter
// is preset only when stations can pass it, and never so that no station passes them together.

import { getCoverage } from "./api.js";

// What the page would preset on data that carries everything: a tractor at a 150 kW CCS bay on
// its right side (the default vehicle's inlet).
const WISHED = { truck_approved: "T", connector_pos: "RIGHT", min_kW: 150 };
// Dropped first when the presets together pass no station: what sources most often do not say.
const DROP_ORDER = ["truck_approved", "connector_pos", "min_kW"];
const FIELD_NAMES = {
  truck_approved: "truck approval",
  connector_pos: "the bay's side",
  bookable: "booking",
  cpo: "the operator",
};
const SOURCE_NAMES = {
  bnetza: "Bundesnetzagentur register",
  ocpi: "OCPI feed",
  osm: "OpenStreetMap",
  overlay: "overlay file",
  tenant: "own stations",
};

// Presets from the coverage alone: {presets: {name: value}, notes: [text]}.
export function presetsFor(coverage) {
  const presets = {};
  const notes = [];
  const truck = coverage.truck_approved.values;
  if ((truck.T || 0) + (truck.TT || 0) > 0) presets.truck_approved = WISHED.truck_approved;
  else notes.push(`Truck access is not preset: ${noneSays(coverage, "truck_approved")}.`);
  const sides = coverage.connector_pos.values;
  if ((sides.RIGHT || 0) + (sides.BOTH || 0) > 0) presets.connector_pos = WISHED.connector_pos;
  else notes.push(`Inlet side is not preset: ${noneSays(coverage, "connector_pos")}.`);
  const fast = coverage.max_power.filter((band) => band.min_kW >= WISHED.min_kW).reduce((sum, b) => sum + b.stations, 0);
  if (fast > 0) presets.min_kW = WISHED.min_kW;
  else notes.push(`Min power is not preset: no station of the region reaches ${WISHED.min_kW} kW.`);
  return { presets, notes };
}

// The presets for a region, checked together: while they pass no station of the region (with
// the page's connector choice), the filter sources most often leave unknown is dropped.
export async function fittingPresets(regionName, connectorTypes) {
  const coverage = await getCoverage(regionName);
  const { presets, notes } = presetsFor(coverage);
  for (const name of DROP_ORDER) {
    if (!(name in presets)) continue;
    const check = await getCoverage(regionName, { ...presets, connector_type: connectorTypes });
    if (check.passing > 0) break;
    delete presets[name];
    notes.push(`${label(name)} is not preset: no station passes it together with the other filters.`);
  }
  return { coverage, presets, notes };
}

// One line on what the region's stations say, e.g. "4514 stations (Bundesnetzagentur register);
// they state truck approval 0 %, the bay's side 0 %, booking 0 %, the operator 100 %."
export function coverageSummary(coverage) {
  const sources = Object.entries(coverage.sources)
    .map(([source, count]) => `${SOURCE_NAMES[source] || source}${Object.keys(coverage.sources).length > 1 ? ` ${count}` : ""}`)
    .join(", ");
  const shares = Object.entries(FIELD_NAMES)
    .map(([name, text]) => `${text} ${Math.round(coverage[name].share_known * 100)} %`)
    .join(", ");
  const fast = coverage.max_power.filter((band) => band.min_kW >= 150).reduce((sum, b) => sum + b.stations, 0);
  return `${coverage.region}: ${coverage.stations} stations (${sources || "none"}); they state ${shares}; ${fast} reach 150 kW.`;
}

function noneSays(coverage, name) {
  if (coverage.stations === 0) return "the region has no stations";
  const sources = Object.keys(coverage.sources).map((s) => SOURCE_NAMES[s] || s).join(", ");
  return `none of the region's ${coverage.stations} stations states ${FIELD_NAMES[name]} (source: ${sources}), so the filter would remove every one`;
}

function label(name) {
  return { truck_approved: "Truck access", connector_pos: "Inlet side", min_kW: "Min power" }[name] || name;
}
