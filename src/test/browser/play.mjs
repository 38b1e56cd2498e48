// Plays a live stream in real headless Chromium and reports, as ONE line of JSON on stdout, whether it
// played. Used by the Java tests (dev.streamedge.testing.BrowserPlayback); runnable by hand:
//
//   cd src/test/browser && npm ci            # once (scripts/test does this; Chromium: apt-get install chromium)
//   node play.mjs --player hls    --url http://localhost:8080/live/test/index.m3u8 --seconds 10
//   node play.mjs --player mpegts --url http://localhost:8080/live/test.flv        --seconds 10
//   node play.mjs --player hls --low-latency true --url http://localhost:8080/hls/test.m3u8 --seconds 30
//   node play.mjs --player dash   --url http://localhost:8080/dash/test.mpd        --seconds 10
//   node play.mjs --player video  --url http://localhost:8080/vod/clip.mp4 --seconds 2 --start 3
//
// video is the <video> element's own playback of a file, with no player library, as a page with
// <video src="..."> has it (Chromium fetches the file by Range requests); --start S seeks to S seconds once
// the metadata is in, before playing.
//
// dash plays MPEG-DASH with dash.js ("levels" are its video Representations, "switches" each rendered
// quality change, with its bitrate; the throttle options work as for hls.js); "playedSeconds" is then the media time that advanced while playing
// (timeupdate steps), since dash.js's seek to the live edge shows in video.played; its output adds "dash": {"latencySeconds": samples every 250 ms of
// dash.js's getCurrentLiveLatency()}, and every player's adds "audioDecodedBytes" (Chromium's
// webkitAudioDecodedByteCount: the audio actually decoded).
// Options: --timeout S (default seconds+30), --live true|false (mpegts.js only, default true),
// --low-latency true (hls.js with lowLatencyMode; adds "ll": its playlist requests, how many carried
// _HLS_msn and _HLS_part, "waiting" events after playback started, and "latencyMs", samples every
// 250 ms of Date.now() minus hls.playingDate, the EXT-X-PROGRAM-DATE-TIME of what is on screen),
// --hls-config JSON (more hls.js settings, e.g. '{"maxLiveSyncPlaybackRate":1.5}'),
// --screenshot FILE.png (written when playback fails; add --screenshot-always to write it anyway),
// --chromium PATH (default $CHROMIUM or /usr/bin/chromium).
// Adaptive bitrate (hls.js): --throttle-kbps K --throttle-at S --throttle-for S limits the page's download
// to K kbit/s through the DevTools protocol (Network.emulateNetworkConditions) once S seconds have played,
// for S seconds of play, then lifts it. The output adds "levels" (hls.js's, with height and bitrate) and
// "switches" (each LEVEL_SWITCHED with the phase it came in: normal, throttled or lifted), and each
// "waiting" event in "events" carries its phase too. With --recovered-for S the play ends S seconds of play
// after the first switch since the lift to a higher bitrate than the last one under the throttle (or at
// --seconds, whichever comes first; "recoveredAt" says when it came, null if never).
// Switches the user asks for (hls.js, and dash.js by its Representations with its ABR then off): --levels-at
// "8:min,20:max" sets hls.nextLevel (a smooth switch at the
// next fragment, and manual levels from then on) to the lowest-bitrate level once 8 s have played, then to
// the highest at 20 s; each switch starts a phase named "forced-min" or "forced-max" (or "forced-<index>"),
// in which the LEVEL_SWITCHED and "waiting" events that follow are reported. No estimate is involved.
//
// A tiny static server on 127.0.0.1 (random port) serves the test page and hls.js / mpegts.js from
// node_modules, so the page's origin differs from the stream's: the stream server must send CORS headers.
// Output: {"ok","currentTime","playedSeconds","decodedFrames","droppedFrames","fatalErrors","errors",
// "firstFrameMs","elapsedMs",...}. "playedSeconds" is the media time actually played (the sum of
// video.played), so a live stream that starts at a large currentTime does not count as played.
// ok = playedSeconds >= seconds && no fatal error && decodedFrames > 0. Exit status 0 when ok, 1 when
// not, 2 on bad usage. Diagnostics (page console, network failures) go to stderr. Always bounded in
// time; the browser is killed on every way out.
import { createServer } from 'node:http';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const started = Date.now();

function usage(message) {
  process.stderr.write(`play.mjs: ${message}\nusage: node play.mjs --player hls|mpegts|dash|video --url URL --seconds N `
    + '[--start S] [--timeout S] [--live true|false] [--screenshot FILE.png] [--screenshot-always] [--chromium PATH]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { live: true, screenshotAlways: false, lowLatency: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--player': opts.player = value(); break;
      case '--url': opts.url = value(); break;
      case '--start': opts.start = Number(value()); break;
      case '--seconds': opts.seconds = Number(value()); break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--live': opts.live = value() !== 'false'; break;
      case '--low-latency': opts.lowLatency = value() === 'true'; break;
      case '--hls-config': opts.hlsConfig = value(); JSON.parse(opts.hlsConfig); break;
      case '--screenshot': opts.screenshot = value(); break;
      case '--screenshot-always': opts.screenshotAlways = true; break;
      case '--chromium': opts.chromium = value(); break;
      case '--throttle-kbps': opts.throttleKbps = Number(value()); break;
      case '--throttle-at': opts.throttleAt = Number(value()); break;
      case '--throttle-for': opts.throttleFor = Number(value()); break;
      case '--levels-at': opts.levelsAt = parseLevelsAt(value()); break;
      case '--recovered-for': opts.recoveredFor = Number(value()); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  if (!['hls', 'mpegts', 'dash', 'video'].includes(opts.player)) usage('--player must be hls, mpegts, dash or video');
  if (!opts.url) usage('--url is required');
  if (!(opts.seconds > 0)) usage('--seconds must be a positive number');
  if (opts.timeout === undefined) opts.timeout = opts.seconds + 30;
  if (!(opts.timeout > 0)) usage('--timeout must be a positive number');
  opts.chromium ??= process.env.CHROMIUM || '/usr/bin/chromium';
  return opts;
}

function parseLevelsAt(text) {
  const steps = text.split(',').map((step) => {
    const [at, level] = step.split(':');
    if (!(Number(at) >= 0) || !/^(min|max|[0-9]+)$/.test(level ?? '')) usage(`--levels-at: bad step "${step}"`);
    return { at: Number(at), level };
  });
  return steps.sort((a, b) => a.at - b.at);
}

const opts = parseArgs(process.argv.slice(2));
const log = (...parts) => process.stderr.write(`[play ${((Date.now() - started) / 1000).toFixed(1)}s] ${parts.join(' ')}\n`);

// The page: everything it learns goes into window.__play, which the harness polls.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>streamedge playback test</title>
<style>body{margin:0;background:#222;color:#eee;font:12px monospace}video{width:640px;height:360px;background:#000;display:block}</style>
</head><body>
<video id="v" muted autoplay playsinline></video>
<div id="status"></div>
<script>
// The extensions each WebSocket the player opens agreed with the server (RFC 6455 §9; Chromium offers
// permessage-deflate): what the server answered, which the page cannot otherwise see.
window.__webSocketExtensions = [];
window.WebSocket = class extends window.WebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('open', () => window.__webSocketExtensions.push(this.extensions));
  }
};
</script>
<script src="/player.js"></script>
<script>
(function () {
  const params = new URLSearchParams(location.search);
  const kind = params.get('player'), url = params.get('url'), live = params.get('live') !== 'false';
  const lowLatency = params.get('lowLatency') === 'true';
  const hlsConfig = Object.assign(lowLatency ? { lowLatencyMode: true } : {}, JSON.parse(params.get('hlsConfig') || '{}'));
  const video = document.getElementById('v');
  const state = window.__play = { fatalErrors: [], errors: [], firstFrameMs: null, events: [], levels: [],
    switches: [], waits: [] };
  window.__phase = 'normal';
  const t0 = performance.now();
  const note = (list, text) => { if (list.length < 50) list.push(String(text)); console.log('[page] ' + text); };
  if (video.requestVideoFrameCallback) {
    video.requestVideoFrameCallback(() => { state.firstFrameMs = Math.round(performance.now() - t0); });
  }
  video.addEventListener('error', () => {
    const e = video.error;
    note(state.fatalErrors, 'video element error ' + (e ? e.code + ' ' + e.message : '?'));
  });
  for (const ev of ['loadedmetadata', 'playing', 'waiting', 'stalled', 'ended']) {
    video.addEventListener(ev, () => {
      if (state.events.length < 200) state.events.push(ev + '@' + video.currentTime.toFixed(2) + '@' + window.__phase);
    });
  }
  // How long each wait lasted, by the wall clock (media time stands still while waiting): "phase@ms",
  // from a 'waiting' to the next 'playing'; a wait still going at the end is left out.
  let waitingSince = null;
  video.addEventListener('waiting', () => { if (waitingSince === null) waitingSince = [performance.now(), window.__phase]; });
  video.addEventListener('playing', () => {
    if (waitingSince !== null && state.waits.length < 200) {
      state.waits.push(waitingSince[1] + '@' + Math.round(performance.now() - waitingSince[0]));
    }
    waitingSince = null;
  });
  // Media time that advanced while playing, step by step: video.played is no measure for dash.js, whose start
  // at the live edge (a seek before any frame) shows in it as a range played from 0.
  state.advanced = 0;
  let lastTime = null;
  video.addEventListener('timeupdate', () => {
    const t = video.currentTime;
    if (lastTime !== null && !video.paused && !video.seeking && t > lastTime && t - lastTime <= 1) state.advanced += t - lastTime;
    lastTime = t;
  });
  video.addEventListener('seeking', () => { lastTime = null; });
  const play = () => video.play().catch((e) => note(state.errors, 'video.play() rejected: ' + e));
  try {
    if (kind === 'hls') {
      if (!Hls.isSupported()) { note(state.fatalErrors, 'Hls.isSupported() is false'); return; }
      const hls = window.__player = new Hls(hlsConfig);
      hls.on(Hls.Events.ERROR, (_, d) => {
        const text = 'hls.js ' + d.type + ' ' + d.details + (d.reason ? ' ' + d.reason : '')
          + (d.response && d.response.code !== undefined ? ' http=' + d.response.code : '')
          + (d.error ? ' ' + d.error : '');
        note(d.fatal ? state.fatalErrors : state.errors, text);
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        state.levels = hls.levels.map((l) => ({ height: l.height, width: l.width, bitrate: l.bitrate }));
        play();
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_, d) => {
        if (state.switches.length < 200) {
          state.switches.push({ level: d.level, height: (hls.levels[d.level] || {}).height, phase: window.__phase,
            at: Number(video.currentTime.toFixed(2)) });
        }
      });
      hls.attachMedia(video);
      hls.loadSource(url);
    } else if (kind === 'dash') {
      const player = window.__player = dashjs.MediaPlayer().create();
      player.updateSettings({ debug: { logLevel: dashjs.Debug.LOG_LEVEL_WARNING } });
      // dash.js reports what it gave up on (a manifest it cannot read, a download it retried out) as ERROR.
      player.on(dashjs.MediaPlayer.events.ERROR, (e) => {
        const err = e && e.error ? e.error : e;
        note(state.fatalErrors, 'dash.js error ' + (err && err.code !== undefined ? err.code + ' ' : '')
          + (err && err.message ? err.message : JSON.stringify(err)));
      });
      player.on(dashjs.MediaPlayer.events.PLAYBACK_ERROR, (e) => note(state.errors, 'dash.js playback error ' + JSON.stringify(e.error || e)));
      // A ladder's video Representations, as "levels", and each rendered switch, as hls.js's are reported.
      player.on(dashjs.MediaPlayer.events.STREAM_INITIALIZED, () => {
        state.levels = player.getRepresentationsByType('video')
          .map((r) => ({ height: r.height, width: r.width, bitrate: r.bandwidth }));
      });
      player.on(dashjs.MediaPlayer.events.QUALITY_CHANGE_RENDERED, (e) => {
        if (e.mediaType !== 'video' || state.switches.length >= 200) return;
        const r = e.newRepresentation || {};
        state.switches.push({ level: r.id, height: r.height, bitrate: r.bandwidth, phase: window.__phase,
          at: Number(video.currentTime.toFixed(2)) });
      });
      // Autoplay by dash.js itself: a play() before it attaches would pass it by, and dash.js refreshes the MPD
      // only after it saw playback start.
      player.initialize(video, url, true);
    } else if (kind === 'video') {
      const start = Number(params.get('start') || 0);
      video.addEventListener('loadedmetadata', () => {
        if (start > 0) video.currentTime = start;
        play();
      }, { once: true });
      video.src = url;
    } else {
      if (!mpegts.isSupported()) { note(state.fatalErrors, 'mpegts.isSupported() is false'); return; }
      const player = window.__player = mpegts.createPlayer({ type: 'flv', isLive: live, url: url });
      player.on(mpegts.Events.ERROR, (type, detail, info) => {
        note(state.fatalErrors, 'mpegts.js ' + type + ' ' + detail + (info ? ' ' + JSON.stringify(info) : ''));
      });
      player.attachMediaElement(video);
      player.load();
      play();
    }
  } catch (e) {
    note(state.fatalErrors, 'page exception: ' + (e && e.stack || e));
  }
})();
</script></body></html>`;

// The <video> element alone needs no library: its page gets an empty /player.js.
const PLAYER_JS = opts.player === 'video' ? null : opts.player === 'hls'
  ? join(here, 'node_modules', 'hls.js', 'dist', 'hls.min.js')
  : opts.player === 'dash'
    ? join(here, 'node_modules', 'dashjs', 'dist', 'modern', 'umd', 'dash.all.min.js')
    : join(here, 'node_modules', 'mpegts.js', 'dist', 'mpegts.js');

let server;
let browser;
let printed = false;
let stopping = false; // a signal came: what fails after it is the shutdown, not the stream
const result = {
  ok: false, player: opts.player, url: opts.url, seconds: opts.seconds,
  currentTime: 0, playedSeconds: 0, decodedFrames: 0, droppedFrames: 0,
  fatalErrors: [], errors: [], firstFrameMs: null, elapsedMs: 0, recoveredAt: null,
};
if (opts.player === 'dash') result.dash = { latencySeconds: [] };

function finish(code) {
  if (!printed) {
    printed = true;
    result.elapsedMs = Date.now() - started;
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  const proc = browser?.process?.();
  if (proc && proc.exitCode === null) {
    try { proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
  server?.close();
  process.exit(code); // stdout is synchronous for files and pipes on Linux: the line is out
}

// Hard bound: whatever hangs (browser launch, page, close), the process ends.
const hardLimitMs = (opts.timeout + 15) * 1000;
setTimeout(() => {
  result.fatalErrors.push(`harness hard limit ${hardLimitMs} ms reached`);
  finish(1);
  process.exit(1);
}, hardLimitMs).unref();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    result.fatalErrors.push(`harness got ${signal}`);
    // Close the browser politely (its helpers exit with it), but for at most 2 s.
    const closing = browser ? browser.close().catch(() => {}) : Promise.resolve();
    Promise.race([closing, new Promise((r) => setTimeout(r, 2_000))]).then(() => finish(1));
  });
}

// How much play the run needs: --seconds, or less once the player switched back up (see --recovered-for).
function enough() {
  return result.recoveredAt === null || result.recoveredAt === undefined ? opts.seconds
    : Math.min(opts.seconds, result.recoveredAt + opts.recoveredFor);
}

// Whether, since the throttle was lifted, a switch went above the last bitrate under it.
function recovered(snapshot) {
  const bitrate = (sw) => sw.bitrate ?? ((snapshot.levels || [])[sw.level] || {}).bitrate ?? 0;
  const switches = snapshot.switches || [];
  const under = switches.filter((sw) => sw.phase === 'throttled');
  if (under.length === 0) return false;
  const floor = bitrate(under[under.length - 1]);
  return switches.some((sw) => sw.phase === 'lifted' && bitrate(sw) > floor);
}

// The DevTools protocol's network emulation, on and off by played seconds (see --throttle-kbps).
let cdp;
let phase = 'normal';
async function throttle(page, played) {
  const next = phase === 'normal' && played >= opts.throttleAt ? 'throttled'
    : phase === 'throttled' && played >= opts.throttleAt + opts.throttleFor ? 'lifted' : null;
  if (next === null) return;
  cdp ??= await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', next === 'throttled'
    ? { offline: false, latency: 20, downloadThroughput: opts.throttleKbps * 1000 / 8, uploadThroughput: -1 }
    // Lifted, dash.js keeps 20 ms of latency: it takes a faster download for a cache hit and leaves it out of its
    // throughput estimate, which on loopback would keep the throttled estimate for good.
    : { offline: false, latency: opts.player === 'dash' ? 20 : 0, downloadThroughput: -1, uploadThroughput: -1 });
  phase = next;
  await page.evaluate((p) => { window.__phase = p; }, next);
  log(`network ${next} at ${played.toFixed(2)} s played` + (next === 'throttled' ? ` (${opts.throttleKbps} kbit/s)` : ''));
}

// The user's switches, by played seconds (see --levels-at): hls.js's nextLevel, a smooth switch.
let levelStep = 0;
async function forceLevels(page, played) {
  const step = opts.levelsAt[levelStep];
  if (step === undefined || played < step.at) return;
  levelStep++;
  const name = 'forced-' + step.level;
  if (opts.player === 'dash') {
    // dash.js: its own ABR off for video, then the Representation asked for (a switch at the next segment).
    const id = await page.evaluate(([level, phaseName]) => {
      const player = window.__player;
      const reps = player.getRepresentationsByType('video').slice().sort((a, b) => a.bandwidth - b.bandwidth);
      const rep = level === 'min' ? reps[0] : level === 'max' ? reps[reps.length - 1] : reps[Number(level)];
      window.__phase = phaseName;
      player.updateSettings({ streaming: { abr: { autoSwitchBitrate: { video: false } } } });
      player.setRepresentationForTypeById('video', rep.id, false);
      return rep.id;
    }, [step.level, name]);
    log(`representation ${step.level} (${id}) asked for at ${played.toFixed(2)} s played`);
    return;
  }
  const target = await page.evaluate(([level, phaseName]) => {
    const hls = window.__player;
    const index = level === 'min' ? 0 : level === 'max' ? hls.levels.length - 1 : Number(level);
    window.__phase = phaseName;
    hls.nextLevel = index; // hls.js keeps its levels sorted by bitrate
    return index;
  }, [step.level, name]);
  log(`level ${step.level} (index ${target}) asked for at ${played.toFixed(2)} s played`);
}

async function main() {
  let playerSource;
  try {
    playerSource = PLAYER_JS === null ? '' : readFileSync(PLAYER_JS);
  } catch (e) {
    result.fatalErrors.push(`cannot read ${PLAYER_JS} (run npm ci in ${here}): ${e.message}`);
    return 1;
  }
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE);
    } else if (path === '/player.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(playerSource);
    } else if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${server.address().port}/?` + new URLSearchParams({
    player: opts.player, url: opts.url, live: String(opts.live), lowLatency: String(opts.lowLatency),
    start: String(opts.start || 0),
    hlsConfig: opts.hlsConfig || '{}',
  });

  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    timeout: 30_000,
    // Playwright gives the browser a fresh temporary --user-data-dir and removes it on close.
    // --ignore-certificate-errors: the tests' HTTPS node has a self-signed certificate.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--ignore-certificate-errors',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
  log(`chromium ${browser.version()} up; page ${pageUrl}`);
  const page = await browser.newPage({ viewport: { width: 640, height: 400 } });
  page.on('console', (m) => process.stderr.write(`[console.${m.type()}] ${m.text()}\n`));
  const pageErrors = [];
  page.on('pageerror', (e) => {
    if (pageErrors.length < 50) pageErrors.push(`page error: ${e.message}`);
    log('page error:', e.stack || e.message);
  });
  page.on('requestfailed', (r) => log('request failed:', r.url(), r.failure()?.errorText ?? ''));
  page.on('response', (r) => { if (r.status() >= 400) log('http', r.status(), r.url()); });
  const ll = { playlistRequests: 0, withMsn: 0, withPart: 0, sampleUrls: [], waitingAfterPlay: 0, latencyMs: [] };
  if (opts.lowLatency) {
    result.ll = ll;
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!u.pathname.endsWith('.m3u8')) return;
      ll.playlistRequests++;
      if (u.searchParams.has('_HLS_msn')) ll.withMsn++;
      if (u.searchParams.has('_HLS_part')) ll.withPart++;
      if (ll.sampleUrls.length < 5 || ll.playlistRequests % 50 === 0) ll.sampleUrls.push(r.url());
    });
  }

  await page.goto(pageUrl, { timeout: 15_000 });
  const deadline = started + opts.timeout * 1000;
  // What the harness itself noted before the polls; each poll's page lists are whole, not news.
  const ownFatal = [...result.fatalErrors];
  const ownErrors = [...result.errors];
  let snapshot;
  for (;;) {
    snapshot = await page.evaluate(() => {
      const v = document.getElementById('v');
      const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : { totalVideoFrames: 0, droppedVideoFrames: 0 };
      let played = 0;
      for (let i = 0; i < v.played.length; i++) played += v.played.end(i) - v.played.start(i);
      const s = window.__play || { fatalErrors: ['page script did not run'], errors: [], events: [] };
      if (new URLSearchParams(location.search).get('player') === 'dash') played = s.advanced || 0;
      return {
        currentTime: v.currentTime, playedSeconds: played,
        decodedFrames: q.totalVideoFrames, droppedFrames: q.droppedVideoFrames,
        fatalErrors: s.fatalErrors, errors: s.errors, firstFrameMs: s.firstFrameMs, events: s.events,
        waits: s.waits || [], readyState: v.readyState, paused: v.paused,
        playingDate: window.__player && window.__player.playingDate ? window.__player.playingDate.getTime() : null,
        now: Date.now(),
        videoWidth: v.videoWidth, videoHeight: v.videoHeight, levels: s.levels, switches: s.switches,
        webSocketExtensions: window.__webSocketExtensions || [],
        audioDecodedBytes: v.webkitAudioDecodedByteCount || 0,
        dashLatency: window.__player && typeof window.__player.getCurrentLiveLatency === 'function'
          ? window.__player.getCurrentLiveLatency() : null,
      };
    });
    Object.assign(result, snapshot, {
      fatalErrors: [...ownFatal, ...snapshot.fatalErrors],
      errors: [...ownErrors, ...pageErrors, ...snapshot.errors],
    });
    delete result.dashLatency;
    if (opts.player === 'dash' && typeof snapshot.dashLatency === 'number' && snapshot.dashLatency > 0
        && !snapshot.paused && snapshot.playedSeconds > 0) {
      result.dash.latencySeconds.push(Number(snapshot.dashLatency.toFixed(3)));
    }
    if (opts.lowLatency && snapshot.playingDate !== null && !snapshot.paused && snapshot.playedSeconds > 0) {
      ll.latencyMs.push(snapshot.now - snapshot.playingDate);
    }
    if (opts.lowLatency) {
      const firstPlaying = snapshot.events.indexOf(snapshot.events.find((e) => e.startsWith('playing@')));
      ll.waitingAfterPlay = firstPlaying < 0 ? 0
        : snapshot.events.slice(firstPlaying).filter((e) => e.startsWith('waiting@')).length;
    }
    if (opts.recoveredFor > 0 && result.recoveredAt === null && recovered(snapshot)) {
      result.recoveredAt = Number(snapshot.playedSeconds.toFixed(2));
      log(`switched back up at ${result.recoveredAt} s played`);
    }
    if (snapshot.fatalErrors.length > 0 || snapshot.playedSeconds >= enough() || Date.now() >= deadline) break;
    if (opts.throttleKbps > 0) await throttle(page, snapshot.playedSeconds);
    if (opts.levelsAt) await forceLevels(page, snapshot.playedSeconds);
    await new Promise((r) => setTimeout(r, 250));
  }
  result.ok = result.playedSeconds >= enough() && result.fatalErrors.length === 0 && result.decodedFrames > 0;
  if (!result.ok && Date.now() >= deadline && result.fatalErrors.length === 0) {
    result.errors.push(`timeout: played ${result.playedSeconds.toFixed(2)} s of ${opts.seconds} s in ${opts.timeout} s`);
  }
  if (opts.screenshot && (!result.ok || opts.screenshotAlways)) {
    try {
      mkdirSync(dirname(opts.screenshot), { recursive: true });
      await page.screenshot({ path: opts.screenshot, timeout: 5_000 });
      result.screenshot = opts.screenshot;
    } catch (e) {
      log('screenshot failed:', e.message);
    }
  }
  await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5_000))]);
  return result.ok ? 0 : 1;
}

main().then(finish, (e) => {
  if (stopping) return;
  result.fatalErrors.push(`harness error: ${e && e.message || e}`);
  log(e && e.stack || e);
  finish(1);
});
