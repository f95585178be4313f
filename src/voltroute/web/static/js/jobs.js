// The user's recent jobs (GET /me, then the contract's GET /planner/jobs?user_id=), newest
// first, each a link that opens its result on the page (#/optimizations/ID).

import { recentJobs } from "./api.js";
import { el } from "./format.js";

const SHOWN = 15;

export async function showRecentJobs(list, token) {
  if (!token) {
    list.replaceChildren(el("li", { className: "hint" }, "Enter your API token to see your jobs."));
    return;
  }
  let jobs;
  try {
    jobs = await recentJobs(token);
  } catch (error) {
    list.replaceChildren(el("li", { className: "hint" }, `Jobs: ${error.message}`));
    return;
  }
  if (!jobs.length) {
    list.replaceChildren(el("li", { className: "hint" }, "No jobs yet."));
    return;
  }
  list.replaceChildren(
    ...jobs.slice(0, SHOWN).map((job) =>
      el(
        "li",
        { dataset: { optimizationId: job.optimization_id, status: job.status } },
        el("a", { href: `#/optimizations/${job.optimization_id}` }, `Result ${job.optimization_id}`),
        " ",
        el("span", { className: `status ${job.status}` }, job.status.replaceAll("_", " ")),
        " ",
        el("time", { className: "hint", datetime: job.date_created }, shortDate(job.date_created)),
      ),
    ),
  );
}

// "2026-05-04 09:12 UTC" from an ISO instant.
function shortDate(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "";
}
