// Small formatting helpers shared by the views.

export const STOP_LABELS = {
  origin: "Start",
  customer: "Customer",
  destination: "Destination",
  charging: "Charging",
  break: "Break",
  daily_rest: "Daily rest",
  weekly_rest: "Weekly rest",
};

export function percent(fraction) {
  return fraction === null || fraction === undefined ? "–" : `${Math.round(fraction * 100)} %`;
}

export function number(value, digits = 0) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

export function minutes(value) {
  if (value === null || value === undefined) return "–";
  const total = Math.round(value);
  return total >= 60 ? `${Math.floor(total / 60)} h ${total % 60} min` : `${total} min`;
}

// "+02:00" from "2026-05-04T09:12:00+02:00"; "Z" when there is none.
export function offsetOf(isoLocal) {
  const match = /([+-]\d\d:\d\d|Z)$/.exec(isoLocal || "");
  return match ? match[1] : "Z";
}

// "09:12" for an ISO UTC instant shown at a fixed UTC offset (the stop's local time), rounded
// to the minute like the command line's tables (timefmt.py): cutting showed 07:59:59 as 07:59.
export function clock(isoUtc, offset = "Z") {
  if (!isoUtc) return "–";
  const sign = offset === "Z" ? 0 : offset[0] === "-" ? -1 : 1;
  const [h, m] = offset === "Z" ? [0, 0] : offset.slice(1).split(":").map(Number);
  const minute = Math.round(Date.parse(isoUtc) / 60000) * 60000;
  const shifted = new Date(minute + sign * (h * 60 + m) * 60000);
  return shifted.toISOString().slice(11, 16);
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
