// The preview page of `cv serve`: it shows one view (the CV's cv.html, the bio's or a
// document's PDF) and the state of the builds, and reloads the view when the server says a
// new one is written. Everything it shows of the builds is set as text, never as markup.
"use strict";

const view = location.pathname === "/" ? "cv" : decodeURIComponent(location.pathname.slice(6));
const frame = document.getElementById("preview");
let shown = -1;

if (view === "cv") {
  // cv.html runs no script (its own policy says so); the frame may not either.
  frame.sandbox = "allow-same-origin allow-popups allow-popups-to-escape-sandbox";
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function load(src) {
  let y = 0;
  try { y = frame.contentWindow.scrollY; } catch (_error) { /* nothing shown yet */ }
  frame.onload = () => {
    try { frame.contentWindow.scrollTo(0, y); } catch (_error) { /* a PDF */ }
  };
  frame.src = src;
}

function links(status) {
  const nav = document.getElementById("views");
  nav.replaceChildren();
  for (const [name, href] of [["CV", "/"], ["bio", "/view/bio"],
    ...status.documents.map((d) => [d, `/view/${encodeURIComponent(d)}`])]) {
    const link = document.createElement("a");
    link.href = href;
    link.textContent = name;
    if ((name === "CV" ? "cv" : name) === view) link.setAttribute("aria-current", "page");
    nav.append(link, " ");
  }
}

function lines(id, items, summary) {
  const box = document.getElementById(id);
  box.hidden = items.length === 0;
  box.querySelector("pre").textContent = items.join("\n");
  if (summary) box.querySelector("summary").textContent = summary;
}

function show(status) {
  links(status);
  const pdfs = Object.entries(status.pdfs)
    .map(([name, pages]) => (pages ? `${name} ${plural(pages, "page")}` : name)).join(", ");
  const building = { building: "building the PDFs…", failed: "the PDFs failed (below)",
    off: "", done: "" }[status.pdf_state];
  const parts = [`updated ${status.updated}`, pdfs, building].filter(Boolean);
  document.getElementById("state").textContent = parts.join(" · ");
  const errors = [...status.errors, ...status.pdf_errors].map((e) => `error: ${e}`);
  if (errors.length && shown >= 0) errors.push("(showing the last good preview)");
  lines("errors", errors);
  const warnings = [...status.warnings, ...status.pdf_warnings].map((w) => `warning: ${w}`)
    .concat(status.pdf_notes);
  lines("warnings", warnings, plural(warnings.length, "warning") + " and notes");
  const version = view === "cv" ? status.html : status.pdf;
  const ready = view === "cv" ? status.html > 0 : `${view}.pdf` in status.pdfs;
  if (ready && version !== shown) {
    shown = version;
    load(view === "cv" ? `/cv.html?v=${version}` : `/${encodeURIComponent(view)}.pdf?v=${version}`);
  }
  document.body.dataset.version = String(status.version);
  document.body.dataset.shown = String(shown);
}

const events = new EventSource("/_cv/events");
events.onmessage = (event) => show(JSON.parse(event.data));
events.onerror = () => {
  document.getElementById("state").textContent = "cv serve stopped; reconnecting…";
};
