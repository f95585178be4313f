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
  const headers = { Authorization: `Bearer ${token}` };
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

export async function getBlob(path, token) {
  return (await call("GET", path, token)).blob();
}

export async function submitTour(body, corridorM, token) {
  const response = await call("POST", `/planner/v2?corridor=${corridorM}`, token, body);
  return response.json();
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
