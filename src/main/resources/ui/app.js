// streamedge dashboard: renders the snapshots the node pushes on /ui/events (server-sent events).
// No polling: one snapshot per ui.push-interval, kept here for the graphs (5 minutes).
'use strict';

const HISTORY_MS = 5 * 60 * 1000;
const THUMBNAIL_MS = 10 * 1000;
const PROTOCOLS = ['rtmp', 'rtmps', 'rtmpe', 'rtmpt', 'rtmpts', 'rtmpte', 'srt', 'rtsp', 'hls', 'dash', 'http-flv', 'ws-flv'];
const cards = new Map();      // "app/key" -> {el, history: [{t, bitrate, viewers}], player}
let lastSnapshot = null;

function $(sel, root) { return (root || document).querySelector(sel); }
function text(el, value) { if (el.textContent !== value) el.textContent = value; }

function bits(n) {
  if (n >= 1e6) return (n / 1e6).toFixed(2) + ' Mbit/s';
  if (n >= 1e3) return (n / 1e3).toFixed(0) + ' kbit/s';
  return n + ' bit/s';
}
function bytes(n) {
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(2) + ' GiB';
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(0) + ' KiB';
  return n + ' B';
}
function duration(s) {
  s = Math.floor(s);
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + sec + 's';
}
function totalViewers(v) {
  return PROTOCOLS.reduce((sum, p) => sum + (typeof v[p] === 'number' ? v[p] : 0), 0);
}

function connect() {
  const feed = $('#feed');
  const source = new EventSource('/ui/events');
  source.onopen = () => { text(feed, 'live'); feed.className = 'badge on'; };
  source.onerror = () => { text(feed, 'reconnecting…'); feed.className = 'badge off'; };
  source.onmessage = (event) => {
    lastSnapshot = JSON.parse(event.data);
    render(lastSnapshot);
  };
}

function render(s) {
  renderLoad(s);
  renderStreams(s);
  renderClients(s);
  renderCluster(s);
}

function renderLoad(s) {
  const load = s.load || {};
  const items = [
    ['node', s.node ? s.node.slice(0, 8) : 'single'],
    ['cpu', (load.cpu * 100).toFixed(0) + '% of ' + load.cores + ' cores'],
    ['heap', bytes(load.heapUsed) + ' / ' + bytes(load.heapMax)],
    ['uptime', duration(load.uptimeSeconds)],
    ['clients', String(s.clientsTotal != null ? s.clientsTotal : (s.clients || []).length)],
  ];
  const dl = $('#load');
  dl.replaceChildren(...items.map(([k, v]) => {
    const div = document.createElement('div');
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v; dd.dataset.load = k;
    div.append(dt, dd);
    return div;
  }));
}

function renderStreams(s) {
  const seen = new Set();
  const list = $('#streams');
  for (const st of s.streams) {
    const id = st.app + '/' + st.key;
    seen.add(id);
    let card = cards.get(id);
    if (!card) {
      card = makeCard(st);
      cards.set(id, card);
      list.append(card.el);
    }
    updateCard(card, st, s.time);
  }
  for (const [id, card] of cards) {
    if (!seen.has(id)) {
      stopPlayer(card);
      card.el.remove();
      cards.delete(id);
    }
  }
  $('#no-streams').hidden = s.streams.length > 0;
  text($('#stream-count'), s.streamsTotal > s.streams.length
    ? s.streams.length + ' of ' + s.streamsTotal + ' (the busiest; all in /api/v1/streams)' : String(s.streams.length));
}

function makeCard(st) {
  const el = $('#stream-card').content.firstElementChild.cloneNode(true);
  el.dataset.stream = st.app + '/' + st.key;
  text($('.name', el), st.app + '/' + st.key);
  const card = { el, app: st.app, key: st.key, history: [], player: null, thumbnailAt: 0 };

  $('.play-hls', el).addEventListener('click', () => play(card, 'hls'));
  $('.play-flv', el).addEventListener('click', () => play(card, 'flv'));
  $('.stop', el).addEventListener('click', () => stopPlayer(card));
  return card;
}

function updateCard(card, st, time) {
  const el = card.el;
  const state = $('.state', el);
  text(state, st.live ? (st.relayed ? 'live, pulled' : 'live') : 'waiting');
  state.className = 'badge state ' + (st.live ? 'on' : 'off');
  const v = st.video;
  // The node makes a stream's thumbnail at most once per thumbnail.max-age (10 s by default): asked as often.
  if (st.live && v && time - card.thumbnailAt >= THUMBNAIL_MS) {
    card.thumbnailAt = time;
    // Loaded aside and shown once complete: a refused one (no ffmpeg, no keyframe yet, a busy node) leaves the
    // last picture in place, or none.
    const next = new Image();
    next.addEventListener('load', () => {
      const thumbnail = $('.thumbnail', el);
      thumbnail.src = next.src;
      thumbnail.hidden = false;
    });
    next.src = '/api/v1/streams/' + encodeURIComponent(st.app) + '/' + encodeURIComponent(st.key)
      + '/thumbnail.jpg?at=' + time;
  }
  text($('.video', el), v ? (v.codec || '?') : '—');
  text($('.audio', el), st.audio ? st.audio.codec : '—');
  text($('.fps', el), v && v.fps ? v.fps.toFixed(2) + ' fps' : '—');
  text($('.bitrate', el), bits(st.bitrate));
  text($('.uptime', el), st.uptimeSeconds == null ? '—' : duration(st.uptimeSeconds));
  text($('.origin', el), st.relayed ? 'pulled from ' + (st.origin || '?').slice(0, 8) : (st.origin ? 'this node' : 'published here'));
  // A transcoded stream's renditions play as <key>_<name> (docs/transcoding.md): listed here by name.
  const ladder = (lastSnapshot && lastSnapshot.transcoders || [])
    .find((t) => t.stream.app === st.app && t.stream.key === st.key);
  const renditions = ladder ? lastSnapshot.streams
    .filter((o) => o.app === st.app && o.key.startsWith(st.key + '_'))
    .map((o) => o.key.slice(st.key.length + 1) + (o.video && o.video.width ? ' ' + o.video.width + '×' + o.video.height : ''))
    : [];
  text($('.renditions', el), 'source' + (v && v.width ? ' ' + v.width + '×' + v.height : '')
    + (renditions.length ? ', ' + renditions.join(', ') : '')
    + (ladder ? ' (transcoder ' + ladder.state + ')' : '') + ' · HLS (LL-HLS, fMP4, TS) · MPEG-DASH · HTTP-FLV · RTMP');
  const viewers = $('.viewers', el);
  if (!viewers.childElementCount) {
    for (const p of PROTOCOLS) {
      const span = document.createElement('span');
      span.dataset.protocol = p;
      viewers.append(span);
    }
  }
  for (const span of viewers.children) {
    const n = st.viewers[span.dataset.protocol];
    text(span, span.dataset.protocol + ' ' + (n == null ? '–' : n));
    span.dataset.count = n == null ? '' : String(n);
    span.className = n > 0 ? 'some' : '';
  }
  const last = card.history[card.history.length - 1];
  if (!last || last.t !== time) card.history.push({ t: time, bitrate: st.bitrate, viewers: totalViewers(st.viewers) });
  while (card.history.length && card.history[0].t < time - HISTORY_MS) card.history.shift();
  drawGraph($('.graph-bitrate', el), card.history, 'bitrate', '--graph1', time, bits);
  drawGraph($('.graph-viewers', el), card.history, 'viewers', '--graph2', time, String);
}

function drawGraph(canvas, history, field, color, now, label) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const g = canvas.getContext('2d');
  const css = getComputedStyle(document.documentElement);
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...history.map((p) => p[field]));
  // The window grows with what this page has seen, from a minute up to five: a page opened a moment ago
  // shows its first samples across the graph, not squeezed at its right edge.
  const span = Math.min(HISTORY_MS, Math.max(60_000, history.length ? now - history[0].t : 0));
  g.strokeStyle = css.getPropertyValue(color).trim();
  g.lineWidth = 2 * ratio;
  g.beginPath();
  history.forEach((p, i) => {
    const x = w - ((now - p.t) / span) * w;
    const y = h - 4 * ratio - (p[field] / max) * (h - 16 * ratio);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
  g.fillStyle = css.getPropertyValue('--muted').trim();
  g.font = (11 * ratio) + 'px system-ui, sans-serif';
  g.fillText('max ' + label(max) + ' · last ' + Math.round(span / 60_000) + ' min', 4 * ratio, 12 * ratio);
  canvas.dataset.points = String(history.length);
  canvas.dataset.last = String(history.length ? history[history.length - 1][field] : 0);
}

function randomToken() {
  const a = new Uint8Array(9);
  crypto.getRandomValues(a);
  return btoa(String.fromCharCode(...a)).replace(/\+/g, '-').replace(/\//g, '_');
}

function play(card, kind) {
  stopPlayer(card);
  const el = card.el;
  const video = $('video', el);
  video.hidden = false;
  $('.stop', el).hidden = false;
  const path = encodeURIComponent(card.app) + '/' + encodeURIComponent(card.key);
  const latency = $('.latency', el);
  let timer;
  if (kind === 'hls') {
    // hls_ctx: this player's own HLS session, counted apart from other players at this address.
    const url = '/hls/' + path + '.m3u8?hls_ctx=' + randomToken();
    if (window.Hls && Hls.isSupported()) {
      // No liveSync* setting: hls.js would let it override the LL-HLS playlist's PART-HOLD-BACK and
      // play a TS-like 4 s behind; 1.5x catch-up keeps it near the live edge (docs/playback.md).
      const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 });
      hls.loadSource(url);
      hls.attachMedia(video);
      card.player = { destroy: () => hls.destroy() };
      timer = setInterval(() => {
        const l = hls.latency;
        text(latency, 'HLS · latency ' + (Number.isFinite(l) && l > 0 ? l.toFixed(2) + ' s' : '…'));
        latency.dataset.seconds = Number.isFinite(l) ? String(l) : '';
      }, 500);
    } else {
      video.src = url;   // Safari plays HLS itself
      card.player = { destroy: () => { video.removeAttribute('src'); video.load(); } };
    }
  } else {
    const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: location.origin + '/' + path + '.flv' },
      { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false });
    player.attachMediaElement(video);
    player.load();
    card.player = { destroy: () => { player.pause(); player.unload(); player.detachMediaElement(); player.destroy(); } };
    timer = setInterval(() => {
      const b = video.buffered;
      const l = b.length ? b.end(b.length - 1) - video.currentTime : NaN;
      text(latency, 'HTTP-FLV · buffered ahead ' + (Number.isFinite(l) ? l.toFixed(2) + ' s' : '…'));
      latency.dataset.seconds = Number.isFinite(l) ? String(l) : '';
    }, 500);
  }
  const destroy = card.player.destroy;
  card.player.destroy = () => { clearInterval(timer); destroy(); };
  card.player.kind = kind;
  el.dataset.playing = kind;
  video.play().catch(() => {});
}

function stopPlayer(card) {
  if (!card.player) return;
  card.player.destroy();
  card.player = null;
  const el = card.el;
  const video = $('video', el);
  video.hidden = true;
  $('.stop', el).hidden = true;
  text($('.latency', el), '');
  delete el.dataset.playing;
}

function renderClients(s) {
  const clients = s.clients || [];
  text($('#client-count'), s.clientsTotal > clients.length
    ? clients.length + ' of ' + s.clientsTotal + ' (publishers first; all in /api/v1/clients)' : String(clients.length));
  const body = $('#clients tbody');
  body.replaceChildren(...clients.map((c) => {
    const tr = document.createElement('tr');
    tr.dataset.client = String(c.id);
    const cells = [c.id, c.protocol, c.role, c.address, c.stream ? c.stream.app + '/' + c.stream.key : '',
      new Date(c.connectedAt).toLocaleTimeString(), bytes(c.bytesIn), bytes(c.bytesOut)];
    cells.forEach((v, i) => {
      const td = document.createElement('td');
      td.textContent = String(v);
      if (i >= 6) td.className = 'num';
      // The RTMP client's own name for itself (connect's flashVer: the encoder or player), on hover.
      if (i === 1 && c.flashVersion) td.title = c.flashVersion;
      tr.append(td);
    });
    const td = document.createElement('td');
    const kick = document.createElement('button');
    kick.type = 'button';
    kick.className = 'kick';
    kick.textContent = 'Kick';
    kick.addEventListener('click', () => kickClient(c.id, kick));
    td.append(kick);
    tr.append(td);
    return tr;
  }));
}

async function kickClient(id, button) {
  button.disabled = true;
  // The API's kick, under the same access rule as this page (the browser resends its credentials).
  const response = await fetch('/api/v1/clients/' + id, { method: 'DELETE' });
  button.textContent = response.status === 204 ? 'Kicked' : 'Failed (' + response.status + ')';
}

function renderCluster(s) {
  const root = $('#cluster');
  if (!s.node) {
    root.replaceChildren(para('A single node: no cluster.'));
    return;
  }
  // Each node's own word on the cluster's node board (role, load, what it publishes and pulls), and
  // the stream directory for streams whose origin has not written its entry yet.
  const nodes = s.nodes || [];
  const rows = nodes.map((n) => {
    const load = n.load || {};
    return [
      n.id.slice(0, 8) + (n.id === s.node ? ' (this node)' : ''), n.role,
      (load.cpu * 100).toFixed(0) + '% of ' + load.cores, bytes(load.heapUsed) + ' / ' + bytes(load.heapMax),
      String(n.players), (n.published || []).join(', ') || '—', (n.pulls || []).join(', ') || '—',
    ];
  });
  const table = document.createElement('table');
  table.id = 'nodes';
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const h of ['node', 'role', 'cpu', 'heap', 'players', 'origin of', 'pulls']) {
    const th = document.createElement('th'); th.textContent = h; hr.append(th);
  }
  head.append(hr);
  const tbody = document.createElement('tbody');
  nodes.forEach((n, i) => {
    const tr = document.createElement('tr');
    tr.dataset.node = n.id;
    tr.dataset.role = n.role;
    tr.dataset.published = (n.published || []).join(' ');
    tr.dataset.pulls = (n.pulls || []).join(' ');
    for (const v of rows[i]) { const td = document.createElement('td'); td.textContent = v; tr.append(td); }
    tbody.append(tr);
  });
  table.append(head, tbody);
  const wrap = document.createElement('div');
  wrap.className = 'scroll';
  wrap.append(table);
  const directory = (s.cluster || []).map((e) => e.app + '/' + e.key + ' from ' + e.origin.slice(0, 8));
  root.replaceChildren(para(nodes.length + ' node(s). Stream directory: ' + (directory.length ? directory.join(', ') : 'empty') + '.'), wrap);
}

function para(t) { const p = document.createElement('p'); p.textContent = t; return p; }

window.addEventListener('resize', () => { if (lastSnapshot) renderStreams(lastSnapshot); });
document.addEventListener('DOMContentLoaded', connect);
