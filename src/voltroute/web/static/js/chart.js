// SoC and elevation along the route (uPlot). The result gives the SoC at every section's start and
// end; in between it is drawn linearly over distance, the elevation at every route point.

import uPlot from "../vendor/uplot/uPlot.esm.js";

const EARTH_RADIUS_M = 6371008.8;

export function chartSeries(geojson) {
  const km = [];
  const soc = [];
  const elevation = [];
  let travelled = 0;
  const routes = geojson.features.filter((f) => f.properties.feature_type === "route");
  for (const route of routes) {
    const points = route.geometry.coordinates;
    const lengths = [0];
    for (let i = 1; i < points.length; i++) lengths.push(lengths[i - 1] + haversineM(points[i - 1], points[i]));
    const total = lengths[lengths.length - 1] || 1;
    const { soc_start: from, soc_end: to } = route.properties;
    points.forEach((point, i) => {
      km.push((travelled + lengths[i]) / 1000);
      soc.push(from === null || to === null ? null : 100 * (from + ((to - from) * lengths[i]) / total));
      elevation.push(point.length > 2 ? point[2] : null);
    });
    travelled += lengths[lengths.length - 1];
  }
  return { km, soc, elevation };
}

export function drawChart(container, series) {
  container.replaceChildren();
  const width = Math.max(320, container.clientWidth || 640);
  const options = {
    width,
    height: 240,
    scales: { x: { time: false }, soc: { range: [0, 100] }, m: { auto: true } },
    series: [
      { label: "km", value: (u, v) => (v === null ? "–" : `${v.toFixed(1)} km`) },
      { label: "SoC", scale: "soc", stroke: "#2e9d57", width: 2, value: (u, v) => (v === null ? "–" : `${v.toFixed(0)} %`) },
      { label: "Elevation", scale: "m", stroke: "#8a6a4f", width: 1, fill: "rgba(138,106,79,0.12)", value: (u, v) => (v === null ? "–" : `${v.toFixed(0)} m`) },
    ],
    axes: [
      { label: "km along the route" },
      { scale: "soc", label: "SoC %" },
      { scale: "m", side: 1, label: "m", grid: { show: false } },
    ],
  };
  container.dataset.points = String(series.km.length);
  const socs = series.soc.filter((v) => v !== null);
  container.dataset.socMin = socs.length ? String(Math.min(...socs) / 100) : "";
  container.dataset.socMax = socs.length ? String(Math.max(...socs) / 100) : "";
  return new uPlot(options, [series.km, series.soc, series.elevation], container);
}

function haversineM([lon1, lat1], [lon2, lat2]) {
  const rad = Math.PI / 180;
  const dphi = (lat2 - lat1) * rad;
  const dlmb = (lon2 - lon1) * rad;
  const h = Math.sin(dphi / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dlmb / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
