// Tour files: the request body of POST /planner/v2 as JSON, read into the editor (file picker or
// drag and drop) and written from it.

const MAX_FILE_BYTES = 2 * 1024 * 1024; // the API's own body limit

// The request body in a tour file's text; throws Error saying what is wrong and where.
export function readTour(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error(`The file is not JSON: ${error.message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new Error("A tour file holds one JSON object: the body of POST /planner/v2.");
  }
  const sections = body.section_list;
  if (!Array.isArray(sections) || sections.length === 0) {
    throw new Error("section_list: a tour file needs a list of sections.");
  }
  sections.forEach((section, index) => {
    const where = `section_list[${index}]`;
    if (section === null || typeof section !== "object") throw new Error(`${where}: expected an object.`);
    for (const key of ["start_pos", "stop_pos"]) {
      if (!isPosition(section[key])) {
        const hint = section.polyline ? " (sections given as a polyline cannot be edited on the page)" : "";
        throw new Error(`${where}.${key}: expected [lat, lon]${hint}.`);
      }
    }
    const previous = sections[index - 1];
    if (previous && !samePosition(previous.stop_pos, section.start_pos)) {
      throw new Error(`${where}.start_pos: the page edits a chain of stops, so it must equal section_list[${index - 1}].stop_pos.`);
    }
  });
  return body;
}

export async function readTourFile(file) {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is larger than 2 MB.`);
  try {
    return readTour(await file.text());
  } catch (error) {
    throw new Error(`${file.name}: ${error.message}`);
  }
}

export function saveTour(body, filename = "voltroute-tour.json") {
  const blob = new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Dropping a file anywhere on the page calls onFile(file); the hint shows while dragging.
export function acceptDroppedFiles(hint, onFile) {
  let depth = 0;
  const carriesFiles = (event) => Array.from(event.dataTransfer?.types || []).includes("Files");
  document.addEventListener("dragenter", (event) => {
    if (!carriesFiles(event)) return;
    depth += 1;
    hint.hidden = false;
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) hint.hidden = true;
  });
  document.addEventListener("dragover", (event) => {
    if (carriesFiles(event)) event.preventDefault(); // allows the drop
  });
  document.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // not: open the file in the tab
    depth = 0;
    hint.hidden = true;
    const [file] = event.dataTransfer.files;
    if (file) onFile(file);
  });
}

function isPosition(value) {
  return Array.isArray(value) && value.length >= 2 && value.slice(0, 2).every((v) => typeof v === "number" && Number.isFinite(v));
}

function samePosition(a, b) {
  return Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9;
}
