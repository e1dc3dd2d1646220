// The dashboard page: one WebSocket, columnar buffers, one uPlot chart used as a scope (one y
// scale per unit, engineering-notation ticks, x/y zoom, a reference cursor with Δt/Δy, a time
// window). Plain browser JS so the server can send it as is (no bundler).
'use strict';
(() => {
  const MAX_POINTS = 200000; // per signal kept in the page; beyond that the oldest half is min/max-decimated
  const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#558b2f', '#283593'];
  const PREFIX = { '-15': 'f', '-12': 'p', '-9': 'n', '-6': 'µ', '-3': 'm', '0': '', '3': 'k', '6': 'M', '9': 'G', '12': 'T' };
  // Units by name suffix, for columns whose recording carries no unit (e.g. x_ref_m in older run.meta.json).
  const SUFFIX_UNITS = { m: 'm', mm: 'mm', A: 'A', V: 'V', s: 's', W: 'W', Wh: 'Wh', J: 'J', N: 'N', Hz: 'Hz', kg: 'kg', K: 'K', rad: 'rad', mps: 'm/s', radps: 'rad/s', degC: '°C', ohm: 'Ω' };
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.hash.slice(1)).get('token');

  const state = {
    mode: '', columns: ['t_s'], units: {}, t: [], v: [], selected: new Set(),
    paused: false, xZoomed: false, yZoomed: false, window_s: 0, dirty: false,
    frames: 0, received: 0, dropped: 0, points: 0,
    replay: null, // { t, v, rows, loaded, cursor, playing, speed }
    ended: null, marker: null, // marker: { t, values[] } placed by a click
  };
  let plot = null;
  window.hilbench = state; // read by the browser test
  state.plot = () => plot;
  state.xRange = () => (plot ? [plot.scales.x.min, plot.scales.x.max] : null);
  /** The tick labels uPlot drew on the axis of a signal's scale. */
  state.ticksOf = (signal) => {
    if (!plot) return null;
    const s = plot.series.find((x) => x.signal === signal);
    const axis = s && plot.axes.find((a) => a.scale === s.scale);
    return axis ? axis._values : null;
  };

  function unitOf(c) {
    if (state.units[c]) return state.units[c];
    const m = /_([A-Za-z]+)$/.exec(c);
    return m && SUFFIX_UNITS[m[1]] ? SUFFIX_UNITS[m[1]] : '';
  }
  function unitLabel(c) { const u = unitOf(c); return u ? ` [${u}]` : ''; }
  /** Units that take SI prefixes; counts and unitless values are printed as plain numbers. */
  function prefixable(unit) { return unit !== '' && unit !== '1' && unit !== 'counts' && unit !== '%' && !/^°/.test(unit); }

  function engExponent(x, unit) {
    if (!x || !Number.isFinite(x)) return 0;
    const e = Math.floor(Math.log10(Math.abs(x)) / 3) * 3;
    if (!prefixable(unit)) return Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3 ? e : 0;
    return Math.max(-15, Math.min(12, e));
  }
  function withUnit(text, e, unit) {
    if (prefixable(unit)) return `${text} ${PREFIX[e]}${unit}`;
    return (e ? `${text}e${e}` : text) + (unit && unit !== '1' ? ` ${unit}` : '');
  }
  const formats = new Map();
  function numberFormat(opts) {
    const key = JSON.stringify(opts);
    if (!formats.has(key)) formats.set(key, new Intl.NumberFormat('en-US', { useGrouping: false, ...opts }));
    return formats.get(key);
  }
  /** A readout: 4 significant digits in engineering notation, e.g. 7.943 mm. */
  function formatValue(v, unit) {
    if (v == null) return '—';
    if (!Number.isFinite(v)) return String(v);
    const e = engExponent(v, unit);
    return withUnit(numberFormat({ minimumSignificantDigits: 4, maximumSignificantDigits: 4 }).format(v / 10 ** e), e, unit);
  }
  /** Tick labels: one engineering exponent per axis, as many decimals as the tick spacing needs. */
  function tickFormatter(unit) {
    return (u, splits, axisIdx, space, incr) => {
      const big = Math.max(...splits.map((x) => Math.abs(x)));
      const e = engExponent(big, unit);
      const step = incr > 0 ? incr / 10 ** e : 1;
      // Enough decimals to write the step exactly (a 2.5 mA step needs one): no two ticks round alike.
      let decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      while (decimals < 15 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++;
      const nf = numberFormat({ minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      return splits.map((x) => withUnit(nf.format(x / 10 ** e), e, unit));
    };
  }
  function axisSize(u, values) {
    const longest = values ? Math.max(0, ...values.map((s) => String(s).length)) : 6;
    return Math.max(40, longest * 7 + 22);
  }

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
      label.append(cb, ' ' + c + unitLabel(c));
      box.append(label);
    });
  }

  function shownColumns() { return state.columns.slice(1).filter((c) => state.selected.has(c)); }

  function currentData() {
    const idx = shownColumns().map((c) => state.columns.indexOf(c) - 1);
    if (state.replay) {
      const r = state.replay; const n = r.loaded < r.rows ? 0 : upperBound(r.t, r.cursor);
      return [r.t.slice(0, n), ...idx.map((i) => r.v[i].slice(0, n))];
    }
    return [state.t, ...idx.map((i) => state.v[i])];
  }

  function rebuildPlot() {
    if (plot) { plot.destroy(); plot = null; }
    const el = $('plot');
    const shown = shownColumns();
    // One y scale per unit: amperes never squash metres.
    const scaleKeys = [];
    const series = [{ label: 't', value: (u, v) => formatValue(v, 's') }];
    shown.forEach((c, i) => {
      const unit = unitOf(c) || '1';
      const key = `y:${unit}`;
      if (!scaleKeys.includes(key)) scaleKeys.push(key);
      series.push({ label: c, signal: c, scale: key, stroke: COLORS[i % COLORS.length], width: 1.25, spanGaps: false, value: (u, v) => formatValue(v, unit === '1' ? '' : unit) });
    });
    const scales = { x: { time: false, auto: false } };
    const axes = [{ label: 't', values: tickFormatter('s'), size: 34 }];
    scaleKeys.forEach((key, k) => {
      const unit = key.slice(2);
      scales[key] = { auto: () => !state.yZoomed };
      const names = shown.filter((c) => (unitOf(c) || '1') === unit);
      const firstColour = series.find((s) => s.scale === key).stroke;
      axes.push({
        scale: key, side: k % 2 === 0 ? 3 : 1, grid: { show: k === 0 }, values: tickFormatter(unit === '1' ? '' : unit), size: axisSize,
        label: names.join(', '), labelSize: 18, stroke: scaleKeys.length > 1 ? firstColour : '#222',
      });
    });
    let downAt = null;
    plot = new uPlot({
      width: Math.max(300, el.clientWidth - 2), height: 460,
      scales, axes, series,
      cursor: { drag: { x: true, y: true, uni: 40 } },
      legend: { live: true },
      hooks: {
        setSelect: [(u) => {
          const s = u.select;
          const w = u.over.clientWidth; const h = u.over.clientHeight;
          if (s.width > 0 && s.width < w - 1) state.xZoomed = true;
          if (s.height > 0 && s.height < h - 1) state.yZoomed = true;
          updateZoomNote();
        }],
        setCursor: [() => renderDelta()],
        draw: [(u) => drawMarker(u)],
        ready: [(u) => {
          u.over.addEventListener('mousedown', (e) => { downAt = [e.clientX, e.clientY]; });
          u.over.addEventListener('click', (e) => {
            if (!downAt || Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) > 3) return; // a drag, not a click
            placeMarker(u);
          });
        }],
      },
    }, currentData(), el);
    state.dirty = true;
    fitScales();
  }

  function placeMarker(u) {
    const i = u.cursor.idx;
    if (i == null) return;
    state.marker = { t: u.data[0][i], values: u.data.slice(1).map((col) => col[i]) };
    u.redraw(false);
    renderDelta();
  }

  function drawMarker(u) {
    if (!state.marker) return;
    const x = u.valToPos(state.marker.t, 'x', true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
    const ctx = u.ctx;
    ctx.save(); ctx.strokeStyle = '#555'; ctx.setLineDash([5, 4]); ctx.lineWidth = devicePixelRatio;
    ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke(); ctx.restore();
  }

  /** Δt and Δy between the clicked reference (A) and the cursor, per shown signal. */
  function renderDelta() {
    const box = $('delta');
    if (!state.marker || !plot) { box.textContent = 'click the plot to set reference A; the cursor then reads Δt and Δy from it'; return; }
    const i = plot.cursor.idx;
    const parts = [`A: t = ${formatValue(state.marker.t, 's')}`];
    if (i != null && plot.data[0][i] !== undefined) {
      parts.push(`Δt = ${formatValue(plot.data[0][i] - state.marker.t, 's')}`);
      plot.series.slice(1).forEach((s, k) => {
        const a = state.marker.values[k]; const b = plot.data[k + 1][i];
        const unit = unitOf(s.signal);
        parts.push(`Δ${s.signal} = ${a == null || b == null ? '—' : formatValue(b - a, unit)}`);
      });
    }
    box.textContent = parts.join(' · ');
  }

  function updateZoomNote() {
    $('zoomNote').textContent = [state.xZoomed ? 'x zoomed' : '', state.yZoomed ? 'y zoomed' : ''].filter(Boolean).join(', ');
  }

  function upperBound(arr, x) { let lo = 0, hi = arr.length; while (lo < hi) { const m = (lo + hi) >> 1; if (arr[m] <= x) lo = m + 1; else hi = m; } return lo; }

  function appendData(t, v) {
    for (let i = 0; i < t.length; i++) state.t.push(t[i]);
    v.forEach((col, c) => { const dst = state.v[c]; if (dst) for (let i = 0; i < col.length; i++) dst.push(col[i]); });
    state.received += t.length;
    if (state.t.length > MAX_POINTS * 1.25) compactOldest();
    state.dirty = true;
  }

  /** Keeps the whole run in bounded memory: the oldest half becomes a min/max envelope, 8 samples → 2 points. */
  function compactOldest() {
    const half = state.t.length >> 1; const G = 8;
    const t = []; const v = state.v.map(() => []);
    for (let i = 0; i < half; i += G) {
      const j = Math.min(half, i + G);
      t.push(state.t[i], state.t[(i + j) >> 1]);
      state.v.forEach((col, c) => {
        let lo = Infinity, hi = -Infinity;
        for (let k = i; k < j; k++) { const x = col[k]; if (x != null) { if (x < lo) lo = x; if (x > hi) hi = x; } }
        v[c].push(lo <= hi ? lo : null, lo <= hi ? hi : null);
      });
    }
    state.t = t.concat(state.t.slice(half));
    state.v = state.v.map((col, c) => v[c].concat(col.slice(half)));
  }

  /** x: the zoom the user chose, else the time window, else everything; y scales follow unless y-zoomed. */
  function fitScales() {
    if (!plot) return;
    const t = plot.data[0];
    if (!t.length || state.xZoomed) return;
    const end = t[t.length - 1];
    const start = state.window_s > 0 ? Math.max(t[0], end - state.window_s) : t[0];
    plot.setScale('x', { min: start, max: end > start ? end : start + 1e-3 });
  }

  function redraw() {
    if (!plot || !state.dirty || state.paused) return;
    state.dirty = false;
    const data = currentData();
    plot.setData(data, false);
    fitScales();
    state.points = data[0].length;
    $('points').textContent = state.points;
    $('received').textContent = state.received;
    $('frames').textContent = state.frames;
    $('dropped').textContent = state.dropped;
    const r = state.replay;
    if (r && r.loaded < r.rows) $('clock').textContent = `loading ${r.loaded} of ${r.rows} rows`;
    else if (r) $('clock').textContent = `t = ${r.cursor.toFixed(3)} s of ${last(r.t).toFixed(3)} s`;
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

  // Replay: rows arrive in chunks (the server sends the next when this page has taken the last);
  // once all are in, the page plays them up to the scrubber's time.
  function startReplay(msg) {
    state.replay = { t: [], v: state.columns.slice(1).map(() => []), rows: msg.rows, loaded: 0, cursor: 0, playing: false, speed: 1, wall: performance.now() };
    $('replayBar').hidden = false; $('scrub').hidden = false;
    if (msg.tornTail) message('the file ended in a torn line (a crash); that line is not shown');
    state.dirty = true;
  }

  function replayChunk(msg) {
    const r = state.replay; if (!r) return;
    for (let i = 0; i < msg.t.length; i++) r.t.push(msg.t[i]);
    msg.v.forEach((col, c) => { const dst = r.v[c]; if (dst) for (let i = 0; i < col.length; i++) dst.push(col[i]); });
    r.loaded += msg.t.length;
    state.received = r.loaded;
    if (msg.done) {
      r.cursor = r.t.length ? r.t[0] : 0; r.playing = true; r.wall = performance.now(); $('play').textContent = 'Pause replay';
    }
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
        case 'replay-data': replayChunk(msg); break;
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

  function resetZoom() { state.xZoomed = false; state.yZoomed = false; updateZoomNote(); state.dirty = true; if (plot) plot.setData(plot.data, true); redrawNow(); }
  function redrawNow() { state.dirty = true; const p = state.paused; state.paused = false; redraw(); state.paused = p; }

  $('pause').addEventListener('click', () => {
    state.paused = !state.paused; $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    if (!state.paused) state.dirty = true;
  });
  $('plot').addEventListener('dblclick', resetZoom);
  $('resetZoom').addEventListener('click', resetZoom);
  $('autoscale').addEventListener('click', () => { state.yZoomed = false; updateZoomNote(); if (plot) plot.setData(plot.data, false); fitScales(); redrawNow(); });
  $('window').addEventListener('change', () => { state.window_s = Number($('window').value); state.xZoomed = false; updateZoomNote(); redrawNow(); });
  $('clearMarker').addEventListener('click', () => { state.marker = null; if (plot) plot.redraw(false); renderDelta(); });
  $('play').addEventListener('click', () => {
    const r = state.replay; if (!r || r.loaded < r.rows) return;
    if (!r.playing && r.cursor >= last(r.t)) r.cursor = r.t[0] || 0;
    r.playing = !r.playing; r.wall = performance.now(); $('play').textContent = r.playing ? 'Pause replay' : 'Play';
  });
  $('speed').addEventListener('change', () => { if (state.replay) state.replay.speed = Number($('speed').value); });
  $('scrub').addEventListener('input', () => {
    const r = state.replay; if (!r) return;
    const t0 = r.t[0] || 0; r.cursor = t0 + (Number($('scrub').value) / 1000) * (last(r.t) - t0); state.dirty = true;
  });
  $('stop').addEventListener('click', () => send({ type: 'control', token, action: 'stop' }));
  window.addEventListener('resize', () => { if (plot) { plot.setSize({ width: Math.max(300, $('plot').clientWidth - 2), height: 460 }); } });
  setInterval(() => { stepReplay(); redraw(); }, 100);
  renderDelta();
  connect();
})();
