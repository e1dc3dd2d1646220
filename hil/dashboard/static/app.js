// The dashboard page: one WebSocket, columnar buffers, one uPlot chart. Plain browser JS so the
// server can send it as is (no bundler).
'use strict';
(() => {
  const MAX_POINTS = 200000; // per signal kept in the page; older samples are dropped from view
  const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#558b2f', '#283593'];
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.hash.slice(1)).get('token');

  const state = {
    mode: '', columns: ['t_s'], units: {}, t: [], v: [], selected: new Set(),
    paused: false, zoomed: false, dirty: false, frames: 0, received: 0, dropped: 0, points: 0,
    replay: null, // { t, v, cursor, playing, speed }
    ended: null,
  };
  let plot = null;
  window.hilbench = state; // read by the browser test: points, received, frames, xRange()
  state.xRange = () => (plot ? [plot.scales.x.min, plot.scales.x.max] : null);

  function unitOf(c) { return state.units[c] ? ` [${state.units[c]}]` : ''; }

  function setColumns(columns, units, preferred) {
    state.columns = columns; state.units = units || {};
    state.t = []; state.v = columns.slice(1).map(() => []);
    const keep = [...state.selected].filter((c) => columns.includes(c));
    const wanted = (preferred || []).filter((c) => columns.includes(c));
    state.selected = new Set(keep.length ? keep : wanted.length ? wanted : columns.slice(1, 5));
    renderSignals(); rebuildPlot();
  }

  function renderSignals() {
    const box = $('signals'); box.textContent = '';
    state.columns.slice(1).forEach((c) => {
      const label = document.createElement('label');
      const cb = document.createElement('input');
      cb.type = 'checkbox'; cb.checked = state.selected.has(c); cb.dataset.signal = c;
      cb.addEventListener('change', () => { cb.checked ? state.selected.add(c) : state.selected.delete(c); rebuildPlot(); });
      label.append(cb, ' ' + c + unitOf(c));
      box.append(label);
    });
  }

  function shownColumns() { return state.columns.slice(1).filter((c) => state.selected.has(c)); }

  function currentData() {
    const idx = shownColumns().map((c) => state.columns.indexOf(c) - 1);
    if (state.replay) {
      const r = state.replay; const n = upperBound(r.t, r.cursor);
      return [r.t.slice(0, n), ...idx.map((i) => r.v[i].slice(0, n))];
    }
    return [state.t, ...idx.map((i) => state.v[i])];
  }

  function rebuildPlot() {
    if (plot) { plot.destroy(); plot = null; }
    const el = $('plot');
    const series = [{ label: 't [s]' }, ...shownColumns().map((c, i) => ({ label: c + unitOf(c), stroke: COLORS[i % COLORS.length], width: 1.25, spanGaps: false }))];
    plot = new uPlot({
      width: Math.max(300, el.clientWidth - 2), height: 420,
      scales: { x: { time: false } },
      axes: [{ label: 't [s]' }, {}],
      series,
      cursor: { drag: { x: true, y: false } },
      hooks: { setSelect: [(u) => { if (u.select.width > 0) state.zoomed = true; }] },
    }, currentData(), el);
    state.dirty = true;
  }

  function upperBound(arr, x) { let lo = 0, hi = arr.length; while (lo < hi) { const m = (lo + hi) >> 1; if (arr[m] <= x) lo = m + 1; else hi = m; } return lo; }

  function appendData(t, v) {
    for (let i = 0; i < t.length; i++) state.t.push(t[i]);
    v.forEach((col, c) => { const dst = state.v[c]; if (dst) for (let i = 0; i < col.length; i++) dst.push(col[i]); });
    state.received += t.length;
    if (state.t.length > MAX_POINTS * 1.25) {
      const cut = state.t.length - MAX_POINTS;
      state.t.splice(0, cut); state.v.forEach((col) => col.splice(0, cut));
    }
    state.dirty = true;
  }

  function redraw() {
    if (!plot || !state.dirty || state.paused) return;
    state.dirty = false;
    const data = currentData();
    plot.setData(data, !state.zoomed);
    state.points = data[0].length;
    $('points').textContent = state.points;
    $('received').textContent = state.received;
    $('frames').textContent = state.frames;
    $('dropped').textContent = state.dropped;
    if (state.replay) $('clock').textContent = `t = ${state.replay.cursor.toFixed(3)} s of ${last(state.replay.t).toFixed(3)} s`;
  }
  function last(a) { return a.length ? a[a.length - 1] : 0; }

  function renderMetrics(values) {
    const table = $('metrics'); table.textContent = '';
    for (const [k, v] of Object.entries(values || {})) {
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(5)) : String(v);
    }
  }

  function renderControl(control) {
    const box = $('control');
    if (!control || !token) { box.hidden = true; return; }
    box.hidden = false;
    const sp = $('setpoints'); sp.textContent = '';
    control.setpoints.forEach((s) => {
      const row = document.createElement('div');
      const input = document.createElement('input'); input.type = 'number'; input.step = 'any'; input.value = s.value;
      const btn = document.createElement('button'); btn.textContent = 'Set';
      btn.addEventListener('click', () => send({ type: 'control', token, action: 'setpoint', name: s.name, value: Number(input.value) }));
      row.append(s.name + ' ', input, btn); sp.append(row);
    });
    $('stop').hidden = !control.stop;
  }

  // Replay: the page holds the whole run and shows it up to the scrubber's time.
  function startReplay(msg) {
    state.replay = { t: msg.t, v: msg.v, cursor: msg.t.length ? msg.t[0] : 0, playing: true, speed: 1, wall: performance.now() };
    state.received = msg.t.length;
    $('replayBar').hidden = false; $('scrub').hidden = false; $('play').textContent = 'Pause replay';
    if (msg.tornTail) message('the file ended in a torn line (a crash); that line is not shown');
    state.dirty = true;
  }

  function stepReplay() {
    const r = state.replay; if (!r || !r.playing) return;
    const now = performance.now(); const t0 = r.t[0] || 0; const tEnd = last(r.t);
    r.cursor = Math.min(tEnd, r.cursor + ((now - r.wall) / 1000) * r.speed); r.wall = now;
    if (r.cursor >= tEnd) { r.playing = false; $('play').textContent = 'Play'; }
    $('scrub').value = String(tEnd > t0 ? Math.round(((r.cursor - t0) / (tEnd - t0)) * 1000) : 1000);
    state.dirty = true;
  }

  function message(text) { $('messages').textContent = text; }

  let ws = null;
  function send(obj) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(obj)); }

  function connect() {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.onopen = () => { $('conn').textContent = 'connected'; $('conn').className = 'ok'; };
    ws.onclose = () => { $('conn').textContent = state.ended ? `ended (${state.ended.status})` : 'disconnected'; $('conn').className = 'bad'; };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      switch (msg.type) {
        case 'hello':
          state.mode = msg.mode; $('title').textContent = msg.title; $('mode').textContent = msg.mode;
          setColumns(msg.columns, msg.units, msg.preferred); renderControl(msg.control); break;
        case 'columns': setColumns(msg.columns, msg.units); break;
        case 'data': state.frames++; if (msg.dropped) state.dropped = msg.dropped; appendData(msg.t, msg.v); break;
        case 'replay': startReplay(msg); break;
        case 'metrics': renderMetrics(msg.values); break;
        case 'event':
          if (msg.event.type === 'end') { state.ended = msg.event; message(`run ${msg.event.status}${msg.event.error ? ': ' + msg.event.error : ''}`); }
          else if (msg.event.type === 'gap') message(`gap: ${msg.event.closed_s} s → ${msg.event.reopened_s} s (${msg.event.reason})`);
          else if (msg.event.type === 'disconnected') message(`disconnected at ${msg.event.t_s} s: ${msg.event.reason}`);
          break;
        case 'control-result': message(msg.ok ? `${msg.action}: done` : `refused: ${msg.reason}`); break;
      }
    };
  }

  $('pause').addEventListener('click', () => {
    state.paused = !state.paused; $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    if (!state.paused) state.dirty = true;
  });
  $('plot').addEventListener('dblclick', () => { state.zoomed = false; state.dirty = true; });
  $('resetZoom').addEventListener('click', () => { state.zoomed = false; state.dirty = true; });
  $('play').addEventListener('click', () => {
    const r = state.replay; if (!r) return;
    if (!r.playing && r.cursor >= last(r.t)) r.cursor = r.t[0] || 0;
    r.playing = !r.playing; r.wall = performance.now(); $('play').textContent = r.playing ? 'Pause replay' : 'Play';
  });
  $('speed').addEventListener('change', () => { if (state.replay) state.replay.speed = Number($('speed').value); });
  $('scrub').addEventListener('input', () => {
    const r = state.replay; if (!r) return;
    const t0 = r.t[0] || 0; r.cursor = t0 + (Number($('scrub').value) / 1000) * (last(r.t) - t0); state.dirty = true;
  });
  $('stop').addEventListener('click', () => send({ type: 'control', token, action: 'stop' }));
  window.addEventListener('resize', () => { if (plot) { plot.setSize({ width: Math.max(300, $('plot').clientWidth - 2), height: 420 }); } });
  setInterval(() => { stepReplay(); redraw(); }, 100);
  connect();
})();
