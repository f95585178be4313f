// Leaflet plugins published as UMD scripts (leaflet.markercluster) extend a global `L`; the page
// loads Leaflet as an ES module, whose namespace object cannot be extended, so the plugin gets
// a plain object with the same classes (it adds its own to that object and to their prototypes).

import * as Leaflet from "../vendor/leaflet/leaflet-src.esm.js";

window.L = { ...Leaflet };
