// The public Planner API, called with the user's bearer token (the same calls any client makes).

const TOKEN_KEY = "voltroute.token";
export const FINAL_STATUSES = new Set(["succeeded", "not_drivable", "failed", "canceled"]);

export class ApiError extends Error {}

export function storedToken() {
  return window.localStorage.getItem(TOKEN_KEY) || "";
}

export function storeToken(token) {
  window.localStorage.setItem(TOKEN_KEY, token);
}

async function call(method, path, token, body) {
  const headers = token === null ? {} : { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(`The server cannot be reached (${error.message}).`);
  }
  if (!response.ok) throw new ApiError(await errorText(response));
  return response;
}

// The contract's error shapes: {"detail": "text"} or FastAPI's 422 list of {loc, msg}.
async function errorText(response) {
  let detail = response.statusText;
  try {
    detail = (await response.json()).detail ?? detail;
  } catch {
    // not JSON: keep the status text
  }
  if (Array.isArray(detail)) {
    detail = detail
      .map((item) => `${(item.loc || []).filter((p) => p !== "body").join(".")}: ${item.msg}`)
      .join("\n");
  }
  return `${response.status}: ${detail}`;
}

export async function getJson(path, token) {
  return (await call("GET", path, token)).json();
}

// The served regions: name and bounding box of each (no token needed, as for /health).
export async function getRegions() {
  return (await (await call("GET", "/regions", null)).json()).regions;
}

// What a region's stations carry per poi_info filter; with filters, how many pass them all.
export async function getCoverage(regionName, filters = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  const path = `/regions/${encodeURIComponent(regionName)}/station-coverage${query.size ? `?${query}` : ""}`;
  return (await call("GET", path, null)).json();
}

export async function getBlob(path, token) {
  return (await call("GET", path, token)).blob();
}

// acceptUnknown: the extension's unknown_station_data=accept (a station whose source does not
// carry a filtered field passes, and every stop chosen so carries a warning).
export async function submitTour(body, corridorM, token, acceptUnknown = false) {
  const query = new URLSearchParams({ corridor: String(corridorM) });
  if (acceptUnknown) query.set("unknown_station_data", "accept");
  const response = await call("POST", `/planner/v2?${query}`, token, body);
  return response.json();
}

// The caller's newest jobs first: GET /me names the token's user, GET /planner/jobs lists them.
export async function recentJobs(token) {
  const me = await getJson("/me", token);
  return getJson(`/planner/jobs?user_id=${encodeURIComponent(me.user_id)}`, token);
}

// Polls the job until it ends; onStatus(status, seconds) after each poll. Quick first polls for
// short tours, then once a second (the API's rate limit is per minute).
export async function waitForJob(jobId, token, onStatus) {
  const started = performance.now();
  const pauses = [150, 250, 400, 700, 1000];
  for (let poll = 0; ; poll++) {
    const job = await getJson(`/planner/jobs/${encodeURIComponent(jobId)}`, token);
    onStatus(job.status, (performance.now() - started) / 1000);
    if (FINAL_STATUSES.has(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, pauses[Math.min(poll, pauses.length - 1)]));
  }
}
