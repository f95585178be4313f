// The corridor's stations on the map: up to CLUSTER_ABOVE drawn one by one, more in clusters
// (leaflet.markercluster), so that thousands of register entries stay readable. Each popup
// shows what the result says and, once opened, the station's details from GET /stations/{id}.

import * as L from "../vendor/leaflet/leaflet-src.esm.js";
import { getJson } from "./api.js";
import { markerClusterGroup } from "./cluster.js";
import { el, number } from "./format.js";

export const CLUSTER_ABOVE = 100;
const SOURCE_NAMES = {
  bnetza: "Bundesnetzagentur register",
  ocpi: "OCPI feed",
  osm: "OpenStreetMap",
  overlay: "overlay file",
  tenant: "your own stations",
};

export class StationMarkers {
  // token(): the bearer token for the detail requests.
  constructor(token) {
    this.token = token;
    this.details = new Map(); // station_id -> Promise of GET /stations/{id}
    this.markers = new Map();
    this.layer = L.layerGroup();
  }

  // A layer with one marker per station feature (clustered above CLUSTER_ABOVE).
  build(features) {
    this.clustered = features.length > CLUSTER_ABOVE;
    this.layer = this.clustered
      ? markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 60 })
      : L.layerGroup();
    this.markers = new Map();
    const markers = features.map((feature) => this.marker(feature));
    if (this.clustered) this.layer.addLayers(markers);
    else markers.forEach((marker) => marker.addTo(this.layer));
    return this.layer;
  }

  marker(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const kind = `${p.candidate ? "candidate" : "filtered"}${p.scenario ? " scenario" : ""}${p.used ? " used" : ""}`;
    const marker = this.clustered
      ? L.marker([lat, lon], {
          icon: L.divIcon({ className: `station-pin station-marker ${kind}`, iconSize: [12, 12] }),
          keyboard: false,
          title: p.name,
        })
      : L.circleMarker([lat, lon], {
          radius: 6,
          color: p.scenario ? "#b35c00" : "#1f5e3a",
          dashArray: p.scenario ? "2 2" : null,
          weight: 2,
          fillColor: p.candidate ? "#7fd19b" : "#d8e8dd",
          fillOpacity: 0.9,
          className: "station-marker",
        });
    const body = el("div", { className: "details" });
    marker.bindPopup(el("div", { className: "popup station-popup", dataset: { stationId: p.station_id } }, ...summary(p), body));
    marker.on("popupopen", () => this.fillDetails(p.station_id, body, marker));
    this.markers.set(p.station_id, marker);
    return marker;
  }

  async fillDetails(stationId, body, marker) {
    if (body.dataset.loaded) return;
    body.dataset.loaded = "1";
    body.replaceChildren(el("div", { className: "hint" }, "Loading details…"));
    if (!this.details.has(stationId)) {
      this.details.set(stationId, getJson(`/stations/${encodeURIComponent(stationId)}`, this.token()));
    }
    try {
      body.replaceChildren(...detailLines(await this.details.get(stationId)));
    } catch (error) {
      this.details.delete(stationId);
      delete body.dataset.loaded;
      body.replaceChildren(el("div", { className: "hint" }, `Details: ${error.message}`));
    }
    marker.getPopup()?.update();
  }

  // Shows a station's marker (out of its cluster) and opens its popup.
  open(map, stationId) {
    const marker = this.markers.get(stationId);
    if (!marker) return false;
    if (this.clustered) this.layer.zoomToShowLayer(marker, () => marker.openPopup());
    else {
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 13));
      marker.openPopup();
    }
    return true;
  }
}

// What the result itself says about a station.
function summary(p) {
  return [
    el("strong", {}, p.name),
    el("div", {}, `${number(p.power_kW)} kW · ${p.candidate ? "passes the filters" : "filtered out"}${p.used ? " · charging stop" : ""}`),
    p.scenario ? el("div", {}, el("em", {}, p.label || "scenario: a planned site, not a real charger")) : null,
  ];
}

// The registry's details: operator, connectors, hours, source.
function detailLines(station) {
  const connectors = station.charge_points
    .map((cp) => `${cp.connector} ${number(cp.power_kW)} kW${cp.count > 1 ? ` ×${cp.count}` : ""}`)
    .join(", ");
  const label = station.label === "scenario" ? "scenario site (planned, not real)" : station.label === "tenant" ? "your own station" : "public";
  return [
    el("div", { className: "operator" }, `Operator: ${station.operator || "not stated"}`),
    el("div", { className: "connectors" }, `Connectors: ${connectors || "none listed"}`),
    el("div", { className: "hours" }, `Hours: ${station.opening_hours || "not stated (no restriction known)"}`),
    el("div", { className: "truck" }, `Truck access: ${station.truck_approved || "not stated"} · bay side: ${station.inlet_side === "UNKNOWN" ? "not stated" : station.inlet_side.toLowerCase()}`),
    el("div", { className: "source" }, `Source: ${SOURCE_NAMES[station.source] || station.source} (${label})`),
  ];
}
