// What this browser submitted, by optimization id: the request body, corridor and whether unknown
// station data was accepted, so that a result opened by link can be planned again or edited.

const KEY = "voltroute.requests";
const KEPT = 30;

export function rememberRequest(optimizationId, request) {
  const entries = recall().filter(([id]) => id !== optimizationId);
  entries.unshift([optimizationId, request]);
  try {
    window.localStorage.setItem(KEY, JSON.stringify(entries.slice(0, KEPT)));
  } catch {
    // storage full or disabled: the page works without it
  }
}

export function rememberedRequest(optimizationId) {
  return recall().find(([id]) => id === optimizationId)?.[1] ?? null;
}

function recall() {
  try {
    const entries = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(entries) ? entries : [];
  } catch {
    return [];
  }
}
