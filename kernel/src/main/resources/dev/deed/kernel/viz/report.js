"use strict";
// Deed's run report: draws the data embedded in this page. Plain DOM, canvas and SVG; no libraries.
window.addEventListener("error", e => {
  const errors = (document.body.dataset.errors || "") + (e.message || "error") + "; ";
  document.body.dataset.errors = errors;
});

const D = JSON.parse(document.getElementById("data").textContent);
const SVGNS = "http://www.w3.org/2000/svg";
const COLORS = ["#eef0f3", "#6b7280", "#2f6fde", "#e0a100", "#8e44ad", "#d9480f", "#2b9348"];
const EVENT_COLORS = { syscall: "#5a6476", fault: "#c0262d", shootdown: "#7b2cbf", ack: "#b388eb", fork: "#2b9348", exit: "#111", reap: "#1c7ed6" };
const ramBase = BigInt("0x" + (D.about["RAM base"] || "0").replace(/^0x/, ""));
const snaps = D.snapshots;
// A space written as {pid, same: true} is the one that pid had in the snapshot before.
snaps.forEach((s, i) => {
  s.spaces = s.spaces.map(sp => sp.same ? snaps[i - 1].spaces.find(p => p.pid === sp.pid) : sp);
});
// Open on the most telling moment: the most shared frames, then the most address spaces.
let current = snaps.reduce((best, s, i) => {
  const b = snaps[best];
  const score = x => x.shared.length * 1000 + x.spaces.length;
  return score(s) > score(b) ? i : best;
}, snaps.length - 1);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function hex(n) { return "0x" + n.toString(16); }
function frameAddr(i) { return hex(ramBase + BigInt(i) * 4096n); }
const tip = document.getElementById("tip");
function showTip(ev, text) {
  tip.textContent = text;
  tip.style.display = "block";
  tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 440) + "px";
  tip.style.top = (ev.clientY + 14) + "px";
}
function hideTip() { tip.style.display = "none"; }

// ---- header and stepper ----
const about = document.getElementById("about");
for (const k in D.about) {
  const d = el("div");
  d.append(el("dt", {}, k), el("dd", {}, D.about[k]));
  about.append(d);
}
const slider = document.getElementById("step");
slider.max = String(snaps.length - 1);
slider.value = String(current);
slider.addEventListener("input", () => select(Number(slider.value)));
document.getElementById("prev").addEventListener("click", () => select(Math.max(0, current - 1)));
document.getElementById("next").addEventListener("click", () => select(Math.min(snaps.length - 1, current + 1)));

// ---- physical memory ----
const frameCount = snaps.length ? snaps[0].frames.reduce((n, v, i) => i % 2 ? n + v : n, 0) : 0;
const perCell = Math.max(1, Math.ceil(frameCount / 65536));
const cells = Math.ceil(frameCount / perCell);
const cols = cells >= 16384 ? 256 : Math.max(64, Math.ceil(Math.sqrt(cells * 2)));
const rows = Math.ceil(cells / cols);
const cell = Math.max(3, Math.min(12, Math.floor(1100 / cols)));
const frameCanvas = document.getElementById("frames");
frameCanvas.width = cols * cell;
frameCanvas.height = rows * cell;
const legend = document.getElementById("legend");
D.usages.forEach((u, i) => {
  const s = el("span");
  const sw = el("i");
  sw.style.background = COLORS[i % COLORS.length];
  s.append(sw, document.createTextNode(u));
  legend.append(s);
});
{
  const s = el("span");
  const sw = el("i");
  sw.style.border = "2px solid #d9480f";
  s.append(sw, document.createTextNode("shared (refs > 1)"));
  legend.append(s);
}

function decodeFrames(snap) {
  const codes = new Uint8Array(frameCount);
  let at = 0;
  for (let i = 0; i < snap.frames.length; i += 2) {
    codes.fill(snap.frames[i], at, at + snap.frames[i + 1]);
    at += snap.frames[i + 1];
  }
  const refs = new Map();
  for (let i = 0; i < snap.shared.length; i += 2) refs.set(snap.shared[i], snap.shared[i + 1]);
  return { codes, refs };
}

function owners(snap) {
  const map = new Map();
  const add = (f, what) => { if (!map.has(f)) map.set(f, []); map.get(f).push(what); };
  for (const sp of snap.spaces) {
    for (const n of sp.nodes) add(n[0], "page-table node (level " + n[1] + ") of pid " + sp.pid + " " + sp.name);
    for (const l of sp.leaves) {
      const pages = Math.min(l[2], 512);
      for (let p = 0; p < pages; p++) add(l[1] + p, "pid " + sp.pid + " " + sp.name + " at " + hex(BigInt("0x" + l[0]) + BigInt(p) * 4096n)
        + ((l[3] & 1) ? " (writable)" : " (read-only)"));
    }
  }
  return map;
}

let frameState = null;
function drawFrames() {
  const snap = snaps[current];
  const { codes, refs } = decodeFrames(snap);
  frameState = { codes, refs, owners: owners(snap) };
  const g = frameCanvas.getContext("2d");
  g.clearRect(0, 0, frameCanvas.width, frameCanvas.height);
  for (let c = 0; c < cells; c++) {
    let code = 0;
    for (let f = c * perCell; f < Math.min(frameCount, (c + 1) * perCell); f++) code = Math.max(code, codes[f]);
    g.fillStyle = COLORS[code % COLORS.length];
    g.fillRect((c % cols) * cell, Math.floor(c / cols) * cell, cell - (cell > 3 ? 1 : 0), cell - (cell > 3 ? 1 : 0));
  }
  g.strokeStyle = "#d9480f";
  g.lineWidth = 1.5;
  for (const [f] of refs) {
    const c = Math.floor(f / perCell);
    g.strokeRect((c % cols) * cell + 0.75, Math.floor(c / cols) * cell + 0.75, cell - 2, cell - 2);
  }
  document.body.dataset.cells = String(cells);
}
frameCanvas.addEventListener("mousemove", ev => {
  if (!frameState) return;
  const r = frameCanvas.getBoundingClientRect();
  const x = Math.floor((ev.clientX - r.left) * frameCanvas.width / r.width / cell);
  const y = Math.floor((ev.clientY - r.top) * frameCanvas.height / r.height / cell);
  const c = y * cols + x;
  if (x >= cols || c >= cells) return hideTip();
  const lines = [];
  for (let f = c * perCell; f < Math.min(frameCount, (c + 1) * perCell) && lines.length < 6; f++) {
    const code = frameState.codes[f];
    const refs = code >= 2 ? (frameState.refs.get(f) || 1) : 0;
    const state = code === 0 ? "unused (free)" : code === 1 ? "reserved" : (refs > 1 ? "in use (" + refs + " references)" : "unique (1 reference)");
    let text = "frame " + frameAddr(f) + " — " + D.usages[code] + ", " + state;
    const who = frameState.owners.get(f);
    if (who) text += "\n  " + who.join("\n  ");
    else if (code === 5) text += "\n  a task's kernel stack";
    else if (code === 3) text += "\n  the kernel heap";
    else if (code === 2) text += "\n  the kernel (image, kernel page tables)";
    lines.push(text);
  }
  showTip(ev, lines.join("\n"));
});
frameCanvas.addEventListener("mouseleave", hideTip);

// ---- small multiples (buddy lists, census) ----
function spark(parent, title, values, baseline, leak) {
  const w = 170, h = 60;
  const fig = el("figure");
  const cap = el("figcaption");
  cap.append(document.createTextNode(title + ": "));
  const b = el("b", leak ? { class: "leak" } : {}, String(values[current]) + (leak ? " (baseline " + baseline + ")" : ""));
  cap.append(b);
  const s = svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h });
  const max = Math.max(1, ...values, baseline === null ? 0 : baseline);
  const x = i => values.length < 2 ? w / 2 : 2 + i * (w - 4) / (values.length - 1);
  const y = v => h - 3 - v * (h - 8) / max;
  if (baseline !== null) s.append(svg("line", { x1: 0, x2: w, y1: y(baseline), y2: y(baseline), stroke: "#9aa3b2", "stroke-dasharray": "3 3" }));
  s.append(svg("polyline", { points: values.map((v, i) => x(i) + "," + y(v)).join(" "), fill: "none", stroke: leak ? "#c0262d" : "#2f6fde", "stroke-width": 1.5 }));
  s.append(svg("line", { x1: x(current), x2: x(current), y1: 0, y2: h, stroke: "#d9480f" }));
  fig.append(cap, s);
  parent.append(fig);
}
function drawBuddy() {
  const box = document.getElementById("buddycharts");
  box.replaceChildren();
  const orders = snaps.length ? snaps[0].buddy.length : 0;
  for (let k = 0; k < orders; k++) {
    const values = snaps.map(s => s.buddy[k]);
    if (values.every(v => v === 0)) continue;
    spark(box, "order " + k + " (" + (4 << k) + " KiB)", values, null, false);
  }
}
function drawCensus() {
  const box = document.getElementById("censuscharts");
  box.replaceChildren();
  D.census.forEach((name, i) => {
    const values = snaps.map(s => s.census[i]);
    const base = values[0];
    spark(box, name, values, base, values[values.length - 1] !== base);
  });
}

// ---- page-table trees ----
function drawTrees() {
  const box = document.getElementById("treebox");
  box.replaceChildren();
  const snap = snaps[current];
  const refs = frameState ? frameState.refs : new Map();
  const leafPos = new Map();
  const rowH = 16, maxLeaves = 24;
  let top = 4;
  const s = svg("svg", {});
  const levels = Math.max(1, ...snap.spaces.flatMap(sp => sp.nodes.map(n => n[1] + 1)));
  for (const sp of snap.spaces) {
    s.append(svg("text", { x: 2, y: top + 11, "font-weight": "bold" }, "pid " + sp.pid + " " + sp.name + " (" + sp.state + ") — "
      + sp.nodes.length + " nodes, " + sp.leaves.length + " leaves"));
    top += rowH + 12;
    let y = top;
    for (const n of sp.nodes) {
      const x = 8 + (levels - 1 - n[1]) * 40;
      const r = svg("rect", { x, y: y - 11, width: 130, height: 14, rx: 3, fill: "#efe3f7", stroke: "#8e44ad" });
      r.append(svg("title", {}, "node " + frameAddr(n[0]) + ", level " + n[1] + ", from " + hex(BigInt("0x" + n[2])) + ", " + n[3] + " valid entries"));
      s.append(r, svg("text", { x: x + 4, y }, "L" + n[1] + " " + frameAddr(n[0]) + " (" + n[3] + ")"));
      y += rowH;
    }
    let ly = top;
    const lx = 8 + levels * 40 + 150;
    sp.leaves.slice(0, maxLeaves).forEach(l => {
      const shared = refs.get(l[1]) > 1;
      const big = l[2] > 1;
      const r = svg("rect", { x: lx, y: ly - 11, width: big ? 300 : 250, height: 14, rx: 3,
        fill: shared ? "#fde2cf" : "#dff3e4", stroke: (l[3] & 8) ? (shared ? "#d9480f" : "#2b9348") : "#111", "stroke-dasharray": (l[3] & 8) ? "" : "3 2" });
      r.append(svg("title", {}, hex(BigInt("0x" + l[0])) + " → " + frameAddr(l[1]) + ", " + (l[2] * 4) + " KiB, "
        + ((l[3] & 1) ? "writable" : "read-only") + ((l[3] & 2) ? ", executable" : "") + ((l[3] & 8) ? ", tracked" : ", untracked")
        + (shared ? ", shared: " + refs.get(l[1]) + " references" : "")));
      s.append(r, svg("text", { x: lx + 4, y: ly }, hex(BigInt("0x" + l[0])) + " → " + frameAddr(l[1]) + (big ? " (" + (l[2] * 4) + " KiB)" : "")
        + ((l[3] & 1) ? " rw" : " r-")));
      if (shared) {
        if (!leafPos.has(l[1])) leafPos.set(l[1], []);
        leafPos.get(l[1]).push({ x: lx + (big ? 300 : 250), y: ly - 4 });
      }
      ly += rowH;
    });
    if (sp.leaves.length > maxLeaves) {
      s.append(svg("text", { x: lx, y: ly }, "… " + (sp.leaves.length - maxLeaves) + " more leaves"));
      ly += rowH;
    }
    top = Math.max(y, ly) + 10;
  }
  let links = 0;
  for (const [, ps] of leafPos) {
    for (let i = 1; i < ps.length; i++) {
      const a = ps[i - 1], b = ps[i];
      const bend = 40 + 10 * (links % 8);
      s.append(svg("path", { d: "M" + a.x + "," + a.y + " C" + (a.x + bend) + "," + a.y + " " + (b.x + bend) + "," + b.y + " " + b.x + "," + b.y,
        fill: "none", stroke: "#d9480f", "stroke-width": 1.2, opacity: 0.8 }));
      links++;
    }
  }
  s.setAttribute("width", String(8 + levels * 40 + 150 + 300 + 140));
  s.setAttribute("height", String(top + 4));
  if (!snap.spaces.length) box.append(el("p", { class: "hint" }, "No address space is live at this snapshot."));
  else box.append(s);
  document.body.dataset.links = String(links);
}

// ---- timeline ----
const laneCanvas = document.getElementById("lanes");
const laneH = 34, laneTop = 18, left = 48;
const eventLegend = document.getElementById("eventlegend");
for (const k in EVENT_COLORS) {
  const s = el("span");
  const sw = el("i");
  sw.style.background = EVENT_COLORS[k];
  s.append(sw, document.createTextNode(k));
  eventLegend.append(s);
}
const zoom = document.getElementById("zoom");
zoom.addEventListener("change", drawTimeline);
function taskColor(tid) { return "hsl(" + ((tid * 137) % 360) + ",55%,72%)"; }
let window0 = 0, window1 = 1;
function drawTimeline() {
  const width = 1200;
  laneCanvas.width = width;
  laneCanvas.height = laneTop + D.cpus * laneH + 8;
  const g = laneCanvas.getContext("2d");
  const span = Number(zoom.value);
  const at = snaps.length ? snaps[current].step : 0;
  window0 = span ? Math.max(0, at - span / 2) : 0;
  window1 = span ? Math.min(Math.max(D.steps, 1), window0 + span) : Math.max(D.steps, 1);
  const x = step => left + (step - window0) * (width - left - 4) / Math.max(1, window1 - window0);
  g.clearRect(0, 0, width, laneCanvas.height);
  g.font = "11px sans-serif";
  g.fillStyle = "#5a6476";
  g.fillText("step " + Math.round(window0), left, 12);
  g.fillText("step " + Math.round(window1), width - 70, 12);
  for (let c = 0; c < D.cpus; c++) {
    g.fillStyle = "#1d2330";
    g.fillText("cpu" + c, 4, laneTop + c * laneH + 20);
    g.fillStyle = "#f1f3f6";
    g.fillRect(left, laneTop + c * laneH, width - left - 4, laneH - 6);
  }
  for (const l of D.lanes) {
    if (l[2] < window0 || l[1] > window1) continue;
    const x0 = Math.max(left, x(l[1])), x1 = Math.min(width - 4, x(l[2]));
    g.fillStyle = taskColor(l[3]);
    g.fillRect(x0, laneTop + l[0] * laneH, Math.max(1, x1 - x0), laneH - 6);
    if (x1 - x0 > 40) {
      g.fillStyle = "#1d2330";
      g.fillText(D.strings[l[4]], x0 + 3, laneTop + l[0] * laneH + 12, x1 - x0 - 6);
    }
  }
  for (const e of D.events) {
    if (e[0] < window0 || e[0] > window1) continue;
    const ex = x(e[0]), ly = laneTop + e[1] * laneH;
    g.strokeStyle = g.fillStyle = EVENT_COLORS[e[2]] || "#000";
    if (e[2] === "shootdown") {
      const ty = laneTop + e[3] * laneH + 14;
      g.beginPath(); g.moveTo(ex, ly + 14); g.lineTo(ex + 3, ty); g.stroke();
      g.fillRect(ex + 1, ty - 2, 4, 4);
    } else if (e[2] === "syscall") {
      g.fillRect(ex, ly + 18, 1, 8);
    } else {
      g.fillRect(ex - 1.5, ly + 16, 3, 10);
    }
  }
  g.strokeStyle = "#d9480f";
  g.beginPath(); g.moveTo(x(at), laneTop - 4); g.lineTo(x(at), laneCanvas.height); g.stroke();
}
function describe(e) {
  const t = e[5] >= 0 ? D.strings[e[5]] : "";
  switch (e[2]) {
    case "syscall": return "pid " + e[3] + " (tid " + e[4] + ") " + t + "()";
    case "fault": return "pid " + e[3] + " page fault at " + hex(BigInt("0x" + e[4])) + ": " + t;
    case "shootdown": return "TLB shootdown to cpu" + e[3];
    case "ack": return "acknowledged " + e[3] + " shootdown" + (e[3] === 1 ? "" : "s");
    case "fork": return "pid " + e[3] + " forked pid " + e[4];
    case "exit": return "pid " + e[3] + " exited, status " + e[4];
    case "reap": return "pid " + e[3] + " reaped by " + (e[4] ? "pid " + e[4] : "the kernel");
    default: return e[2];
  }
}
laneCanvas.addEventListener("mousemove", ev => {
  const r = laneCanvas.getBoundingClientRect();
  const px = (ev.clientX - r.left) * laneCanvas.width / r.width;
  const py = (ev.clientY - r.top) * laneCanvas.height / r.height;
  const cpu = Math.floor((py - laneTop) / laneH);
  if (cpu < 0 || cpu >= D.cpus || px < left) return hideTip();
  const step = window0 + (px - left) * (window1 - window0) / (laneCanvas.width - left - 4);
  const tol = Math.max(0.5, 3 * (window1 - window0) / (laneCanvas.width - left));
  const near = D.events.filter(e => e[1] === cpu && Math.abs(e[0] - step) <= tol).slice(0, 6).map(e => "step " + e[0] + ": " + describe(e));
  const lane = D.lanes.find(l => l[0] === cpu && l[1] <= step && step <= l[2]);
  const head = "cpu" + cpu + ", step " + Math.round(step) + ": " + (lane ? D.strings[lane[4]] + " (tid " + lane[3] + ")" : "idle");
  showTip(ev, [head].concat(near).join("\n"));
});
laneCanvas.addEventListener("mouseleave", hideTip);

// ---- selection ----
function select(i) {
  current = i;
  slider.value = String(i);
  const s = snaps[i];
  document.getElementById("steplabel").textContent = "step " + s.step + " of " + D.steps + " — " + s.label
    + " (snapshot " + (i + 1) + " of " + snaps.length + ")";
  drawFrames();
  drawBuddy();
  drawTrees();
  drawTimeline();
  drawCensus();
  document.getElementById("meminfo").textContent = s.meminfo;
  document.getElementById("buddyinfo").textContent = s.buddyinfo;
}
if (D.droppedEvents > 0) {
  document.getElementById("timeline").append(el("p", { class: "hint" }, D.droppedEvents + " events after the first "
    + D.events.length + " were counted but not kept."));
}
if (snaps.length) select(current);
else document.querySelector("main").prepend(el("p", { class: "hint" }, "The run left no snapshot to draw."));
document.body.dataset.rendered = "yes";
