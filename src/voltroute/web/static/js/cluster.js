// leaflet.markercluster (npm, vendored by scripts/setup), loaded after the global L it extends.

import "./leaflet-global.js";
import "../vendor/leaflet.markercluster/leaflet.markercluster-src.js";

export function markerClusterGroup(options) {
  return window.L.markerClusterGroup(options);
}
