extension DashboardPage {
    /// `dashboard.js`: keeps the last state it was sent and redraws at most once per frame.
    ///
    /// Events: `snapshot` replaces the state, `update` adds to it (new segments and samples; the
    /// rest whole), `finished` is the last snapshot and closes the stream. When the connection
    /// drops the page keeps what it has and says so.
    static let script = #"""
    "use strict";
    const COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
    const MAX_SEGMENTS = 20000, MAX_SAMPLES = 20000;
    const state = { time: 0, finished: false, active: 0, kinds: [], progress: [], computes: [], layers: [], lanes: [], segments: [], resources: [], updates: 0 };
    window.tesseraDashboard = state;
    const $ = (id) => document.getElementById(id);
    const color = (k) => COLORS[k % COLORS.length];

    function apply(msg, replace) {
      if (replace) { state.segments = []; state.resources = []; }
      for (const key of ["time", "finished", "active", "kinds", "progress", "computes", "layers", "lanes"]) state[key] = msg[key];
      for (const s of msg.segments) state.segments.push(s);
      for (const r of msg.resources) state.resources.push(r);
      if (state.segments.length > MAX_SEGMENTS) state.segments.splice(0, state.segments.length - MAX_SEGMENTS);
      if (state.resources.length > MAX_SAMPLES) state.resources.splice(0, state.resources.length - MAX_SAMPLES);
      state.updates += 1;
      schedule();
    }

    // Drawn on the next frame, or after 50 ms where frames don't come (a hidden tab, a headless
    // browser), whichever is first; several messages in between make one drawing.
    let pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      const run = () => { if (pending) { pending = false; draw(); } };
      requestAnimationFrame(run);
      setTimeout(run, 50);
    }

    function setStatus(status, text) {
      document.body.dataset.status = status;
      $("status").textContent = text;
    }

    function fmtDuration(s) {
      if (s < 1) return (s * 1000).toFixed(0) + " ms";
      if (s < 60) return s.toFixed(2) + " s";
      return Math.floor(s / 60) + "m " + Math.floor(s % 60) + "s";
    }

    function sizeCanvas(canvas, cssHeight) {
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth || 800;
      canvas.style.height = cssHeight + "px";
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(cssHeight * ratio);
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, cssHeight);
      ctx.font = "11px system-ui, sans-serif";
      return { ctx, width, height: cssHeight };
    }

    function drawTaskStream() {
      const canvas = $("task-stream");
      const lanes = state.lanes;
      const rowHeight = lanes.length > 24 ? 8 : 18;
      const { ctx, width, height } = sizeCanvas(canvas, Math.max(60, lanes.length * (rowHeight + 2) + 24));
      const left = 64, right = width - 8, top = 4, axis = height - 16;
      const row = new Map(lanes.map((l, i) => [l[0] + "/" + l[1], i]));
      let t0 = Infinity, t1 = -Infinity;
      for (const s of state.segments) { if (s[3] < t0) t0 = s[3]; if (s[4] > t1) t1 = s[4]; }
      if (!isFinite(t0)) { t0 = 0; t1 = 1; }
      if (t1 <= t0) t1 = t0 + 1e-3;
      const scale = (right - left) / (t1 - t0);
      ctx.fillStyle = "#777";
      ctx.textBaseline = "middle";
      lanes.forEach((l, i) => ctx.fillText(l[0] + "/" + l[1], 4, top + i * (rowHeight + 2) + rowHeight / 2));
      let drawn = 0;
      for (const s of state.segments) {
        const i = row.get(s[0] + "/" + s[1]);
        if (i === undefined) continue;
        ctx.fillStyle = color(s[2]);
        const x = left + (s[3] - t0) * scale;
        ctx.fillRect(x, top + i * (rowHeight + 2), Math.max(1, (s[4] - s[3]) * scale), rowHeight);
        drawn += 1;
      }
      canvas.dataset.segments = String(drawn);
      canvas.dataset.lanes = String(lanes.length);
      ctx.fillStyle = "#777";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(t0.toFixed(2) + " s", left, axis + 12);
      const end = t1.toFixed(2) + " s";
      ctx.fillText(end, right - ctx.measureText(end).width, axis + 12);
      $("legend").innerHTML = "";
      const counts = new Map();
      for (const s of state.segments) counts.set(s[2], (counts.get(s[2]) || 0) + s[5]);
      for (const [k, n] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
        const item = document.createElement("span");
        item.innerHTML = '<i style="background:' + color(k) + '"></i>';
        item.appendChild(document.createTextNode(state.kinds[k] + ": " + n + " tasks"));
        $("legend").appendChild(item);
      }
    }

    function drawProgress() {
      const box = $("progress");
      box.innerHTML = "";
      for (const p of state.progress) {
        const rowEl = document.createElement("div");
        rowEl.className = "progress-row";
        rowEl.dataset.kind = state.kinds[p.kind];
        rowEl.dataset.done = String(p.done);
        rowEl.dataset.total = String(p.total);
        const name = document.createElement("span");
        name.className = "name";
        name.innerHTML = '<i style="background:' + color(p.kind) + '"></i>';
        name.appendChild(document.createTextNode(state.kinds[p.kind]));
        const bar = document.createElement("div");
        bar.className = "bar";
        const fill = document.createElement("div");
        fill.className = "fill";
        fill.style.width = (p.total ? 100 * p.done / p.total : 100).toFixed(1) + "%";
        fill.style.background = color(p.kind);
        bar.appendChild(fill);
        const count = document.createElement("span");
        count.className = "count";
        count.textContent = p.done + " / " + p.total;
        rowEl.append(name, bar, count);
        box.appendChild(rowEl);
      }
    }

    function drawResources() {
      const { ctx, width, height } = sizeCanvas($("resources"), 180);
      const samples = state.resources;
      const left = 48, right = width - 48, top = 8, bottom = height - 18;
      if (samples.length === 0) { ctx.fillStyle = "#777"; ctx.fillText("no samples yet", left, top + 12); return; }
      let t0 = Infinity, t1 = -Infinity, maxRss = 1, maxCpu = 100;
      for (const r of samples) { t0 = Math.min(t0, r[1]); t1 = Math.max(t1, r[1]); maxRss = Math.max(maxRss, r[3]); maxCpu = Math.max(maxCpu, r[2]); }
      if (t1 <= t0) t1 = t0 + 1;
      const x = (t) => left + (t - t0) / (t1 - t0) * (right - left);
      const ranks = [...new Set(samples.map((r) => r[0]))];
      ctx.strokeStyle = "#ddd";
      ctx.strokeRect(left, top, right - left, bottom - top);
      for (const [field, max, stroke, label] of [[3, maxRss, "#4e79a7", "RSS"], [2, maxCpu, "#e15759", "CPU"]]) {
        for (const rank of ranks) {
          ctx.strokeStyle = stroke;
          ctx.globalAlpha = rank === ranks[0] ? 1 : 0.6;
          ctx.beginPath();
          let first = true;
          for (const r of samples) {
            if (r[0] !== rank) continue;
            const y = bottom - (r[field] / max) * (bottom - top);
            if (first) ctx.moveTo(x(r[1]), y); else ctx.lineTo(x(r[1]), y);
            first = false;
          }
          ctx.stroke();
        }
      }
      ctx.globalAlpha = 1;
      const last = samples[samples.length - 1];
      ctx.fillStyle = "#4e79a7";
      ctx.fillText((maxRss / 1048576).toFixed(0) + " MiB", 2, top + 8);
      ctx.fillText("RSS " + (last[3] / 1048576).toFixed(1) + " MiB", left + 4, bottom + 14);
      ctx.fillStyle = "#e15759";
      ctx.fillText(maxCpu.toFixed(0) + " %", right + 4, top + 8);
      ctx.fillText("CPU " + last[2].toFixed(0) + " %", left + 140, bottom + 14);
      $("resources").dataset.samples = String(samples.length);
    }

    function fillTable(id, rows) {
      const body = $(id).tBodies[0];
      body.innerHTML = "";
      for (const cells of rows) {
        const tr = document.createElement("tr");
        for (const [text, cls] of cells) {
          const td = document.createElement("td");
          td.textContent = text;
          if (cls) td.className = cls;
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
    }

    function draw() {
      drawTaskStream();
      drawProgress();
      drawResources();
      fillTable("layers", state.layers.map((l) => [[l.kind], [l.name !== null ? l.name : l.layers + " layers"], [String(l.tasks), "n"]]));
      fillTable("computes", state.computes.slice().reverse().map((c) => [
        [String(c.rank)], [String(c.id)], [String(c.tasks), "n"], [String(c.done), "n"],
        [fmtDuration((c.end === null ? state.time : c.end) - c.start), "n"],
        c.error !== null ? ["failed: " + c.error, "failed"] : [c.end === null ? "running" : "done"]]));
      const done = state.progress.reduce((a, p) => a + p.done, 0), total = state.progress.reduce((a, p) => a + p.total, 0);
      $("summary").textContent = state.lanes.length + " lanes · " + done + " / " + total + " tasks · " + state.computes.length + " computes";
      if (state.finished) setStatus("finished", "run finished");
      else if (document.body.dataset.status !== "disconnected") setStatus(state.active > 0 ? "running" : "idle", state.active > 0 ? "running" : "idle");
    }

    const events = new EventSource("events");
    // A page opened after the run finished gets a finished snapshot: nothing more will come.
    events.addEventListener("snapshot", (e) => { apply(JSON.parse(e.data), true); if (state.finished) events.close(); });
    events.addEventListener("update", (e) => apply(JSON.parse(e.data), false));
    events.addEventListener("finished", (e) => { apply(JSON.parse(e.data), true); events.close(); });
    events.onerror = () => {
      if (state.finished) { events.close(); return; }
      setStatus("disconnected", "connection lost: the program ended or is unreachable (showing the last state)");
    };
    events.onopen = () => { if (document.body.dataset.status === "disconnected") setStatus("idle", "reconnected"); };
    window.addEventListener("resize", schedule);
    """#
}
