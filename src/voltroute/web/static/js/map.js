// The map: editor stops while editing; route, stops and corridor stations for a result.
// The base map is OpenStreetMap's online tiles when they load; everything else is drawn without.

import * as L from "../vendor/leaflet/leaflet-src.esm.js";
import { STOP_LABELS, clock, el, number, offsetOf, percent } from "./format.js";
import { StationMarkers } from "./stations.js";

const TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const PROBE_TILE = "https://tile.openstreetmap.org/0/0/0.png";
const HEIDELBERG = [49.41, 8.65];
const MAX_ZOOM = 19;
const STOP_COLOURS = {
  origin: "#222222",
  customer: "#8a6a4f",
  destination: "#8a6a4f",
  charging: "#2e9d57",
  break: "#e08a1e",
  daily_rest: "#7b4fb5",
};
const EARTH_CIRCUMFERENCE_M = 40075016.686;

export class TourMap {
  // token(): the bearer token, for the stations' details in their popups.
  constructor(element, note, onClick, token) {
    // maxZoom: the clusters need it, and offline no tile layer sets it.
    this.map = L.map(element, { zoomControl: true, maxZoom: MAX_ZOOM }).setView(HEIDELBERG, 11);
    this.note = note;
    this.editLayer = L.layerGroup().addTo(this.map);
    this.resultLayer = L.featureGroup().addTo(this.map);
    this.stationLayer = L.layerGroup(); // the corridor band and the station markers
    this.stations = new StationMarkers(token);
    this.corridorLines = [];
    this.map.on("click", (event) => onClick(event.latlng.lat, event.latlng.lng));
    this.map.on("zoomend", () => this.sizeCorridor());
    // The view's centre on the element, for tests and tools that look at the page.
    const recordCentre = () => {
      const centre = this.map.getCenter();
      element.dataset.centerLat = centre.lat.toFixed(5);
      element.dataset.centerLon = centre.lng.toFixed(5);
    };
    this.map.on("moveend", recordCentre);
    recordCentre();
    this.addBaseMap();
  }

  // Shows a whole served region (its bounding box from GET /regions).
  showRegion(region) {
    this.map.fitBounds(
      [
        [region.min_lat, region.min_lon],
        [region.max_lat, region.max_lon],
      ],
      { padding: [10, 10] },
    );
  }

  // One probe image decides whether to add the tile layer: offline, that is one failed request
  // instead of a dozen per view, and the page says the base map is missing instead of failing.
  addBaseMap() {
    const tiles = L.tileLayer(TILE_URL, {
      maxZoom: MAX_ZOOM,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    });
    tiles.on("tileerror", () => this.offline());
    const probe = new Image();
    probe.onload = () => tiles.addTo(this.map);
    probe.onerror = () => this.offline();
    probe.src = PROBE_TILE;
  }

  offline() {
    this.note.textContent = "Base map tiles are not reachable: route, stops and stations are drawn without them.";
  }

  showEditorStops(positions) {
    this.editLayer.clearLayers();
    positions.forEach(([lat, lon], index) => {
      L.marker([lat, lon], {
        icon: L.divIcon({ className: "stop-label", html: String(index === 0 ? "S" : index), iconSize: [20, 20] }),
        keyboard: false,
        title: index === 0 ? "Start" : `Stop ${index}`,
      }).addTo(this.editLayer);
    });
    if (positions.length > 1) {
      L.polyline(positions, { color: "#555", weight: 2, dashArray: "4 6", className: "edit-line" }).addTo(this.editLayer);
    }
  }

  // corridorM: the search corridor's width (null when not known: no band is drawn).
  showResult(geojson, corridorM) {
    this.editLayer.clearLayers();
    this.resultLayer.clearLayers();
    this.stationLayer.clearLayers();
    this.corridorM = corridorM;
    this.corridorLines = [];
    this.stopMarkers = new Map();
    const stations = [];
    for (const feature of geojson.features) {
      const kind = feature.properties.feature_type;
      if (kind === "route") this.addRoute(feature);
      else if (kind === "stop") this.addStop(feature);
      else if (kind === "station") stations.push(feature);
    }
    this.stations.build(stations).addTo(this.stationLayer);
    if (this.resultLayer.getLayers().length) this.map.fitBounds(this.resultLayer.getBounds(), { padding: [20, 20] });
  }

  addRoute(feature) {
    const latlngs = feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    const p = feature.properties;
    L.polyline(latlngs, { color: "#2f6fb3", weight: 5, opacity: 0.85, className: "route-line" })
      .bindTooltip(`Leg ${p.section_index + 1}: ${number(p.length_m / 1000, 1)} km, ${number(p.energy_kWh, 1)} kWh`)
      .addTo(this.resultLayer);
    if (!this.corridorM) return;
    // The corridor band: as wide on screen as the search corridor on the ground.
    const band = L.polyline(latlngs, { color: "#2f6fb3", opacity: 0.07, lineCap: "round", interactive: false, className: "corridor-band" });
    band.addTo(this.stationLayer);
    this.corridorLines.push(band);
  }

  addStop(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      radius: p.stop_type === "origin" || p.stop_type === "destination" || p.stop_type === "customer" ? 8 : 10,
      color: "#fff",
      weight: 2,
      fillColor: STOP_COLOURS[p.stop_type] || "#555",
      fillOpacity: 1,
      className: `stop-marker stop-${p.stop_type}`,
    });
    marker.bindPopup(stopPopup(p)).addTo(this.resultLayer);
    this.stopMarkers.set(p.sequence, marker);
  }

  toggleStations(show) {
    if (show) {
      this.stationLayer.addTo(this.map);
      this.sizeCorridor();
    } else {
      this.stationLayer.remove();
    }
  }

  sizeCorridor() {
    if (!this.corridorLines.length) return;
    const lat = this.map.getCenter().lat;
    const metresPerPixel = (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / 2 ** (this.map.getZoom() + 8);
    const weight = Math.max(2, (2 * this.corridorM) / metresPerPixel);
    for (const line of this.corridorLines) line.setStyle({ weight });
  }

  // Shows a station of the result (out of its cluster) with its popup.
  openStation(stationId) {
    return this.stations.open(this.map, stationId);
  }

  focusStop(sequence) {
    const marker = this.stopMarkers?.get(sequence);
    if (!marker) return;
    this.map.setView(marker.getLatLng(), Math.max(this.map.getZoom(), 13));
    marker.openPopup();
  }
}

function stopPopup(p) {
  const offset = offsetOf(p.arrival_time_local);
  const lines = [
    el("strong", {}, `${STOP_LABELS[p.stop_type] || p.stop_type}: ${p.name}`),
    p.arrival_time ? el("div", {}, `Arrival ${clock(p.arrival_time, offset)} · departure ${clock(p.departure_time, offset)}`) : null,
    p.stop_type === "origin" ? el("div", {}, `Departure ${clock(p.departure_time, offset)}`) : null,
    el("div", {}, `SoC ${percent(p.soc_arrival)} → ${percent(p.soc_departure)}`),
    p.energy_kWh ? el("div", {}, `Charged ${number(p.energy_kWh, 1)} kWh in ${number(p.charge_time_min)} min`) : null,
    p.break_time_min ? el("div", {}, `Break ${number(p.break_time_min)} min`) : null,
    p.rest_time_min ? el("div", {}, `Daily rest ${number(p.rest_time_min)} min`) : null,
  ];
  return el("div", { className: "popup" }, ...lines);
}
