// Drives streamedge's dashboard (the node's page at /) in real headless Chromium for the Java tests
// (dev.streamedge.testing.DashboardBrowser). Commands come as JSON lines on stdin; every answer and, every
// 200 ms, what the page shows go out as JSON lines on stdout:
//   {"state": {"feed": "live", "streams": {"live/test": {"viewers": {"rtmp": 1, ...}, "bitratePoints": 12,
//              "viewersPoints": 12, "bitrate": "750 kbit/s", "playing": "hls", "latency": "...",
//              "thumbnail": 320 (the picture's natural width, 0 while there is none)}},
//              "clients": [{"id": 3, "protocol": "rtmp", "role": "player"}]}}
//   {"reply": N, ...}  for command N
// Commands: {"id":N,"cmd":"open","url":U,"width":W,"height":H}   opens the dashboard, answers its status
//           {"id":N,"cmd":"play","stream":"live/test","kind":"hls"|"flv"}  presses Play, answers once two
//                frames drawn 1 s apart differ (or after 20 s): {"moving", "hashes", "latency", "currentTime"}
//           {"id":N,"cmd":"stop","stream":S}   {"id":N,"cmd":"kick","client":ID}
//           {"id":N,"cmd":"screenshot","path":P,"width":W,"height":H,"scheme":"light"|"dark"}
//           {"id":N,"cmd":"probe","url":U}  a fresh page's GET of U (page) and U+"ui/events", U+"ui/app.js"
//           {"id":N,"cmd":"quit"}
// Chromium: $CHROMIUM or /usr/bin/chromium. Bounded: --timeout S (default 300) ends everything.
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const timeoutS = Number(args[args.indexOf('--timeout') + 1]) || 300;
const started = Date.now();
const log = (...parts) => process.stderr.write(`[dashboard ${((Date.now() - started) / 1000).toFixed(1)}s] ${parts.join(' ')}\n`);
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

let browser;
let page;
let stateTimer;

async function quit(code) {
  clearInterval(stateTimer);
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
  process.exit(code);
}
setTimeout(() => { log('hard limit reached'); quit(1); }, timeoutS * 1000).unref();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => quit(1));

async function pageState() {
  if (!page) return null;
  return page.evaluate(() => {
    const streams = {};
    for (const card of document.querySelectorAll('[data-stream]')) {
      const viewers = {};
      for (const span of card.querySelectorAll('.viewers span')) {
        viewers[span.dataset.protocol] = span.dataset.count === '' ? null : Number(span.dataset.count);
      }
      streams[card.dataset.stream] = {
        viewers,
        bitratePoints: Number(card.querySelector('.graph-bitrate').dataset.points || 0),
        viewersPoints: Number(card.querySelector('.graph-viewers').dataset.points || 0),
        lastViewers: Number(card.querySelector('.graph-viewers').dataset.last || 0),
        bitrate: card.querySelector('.bitrate').textContent,
        video: card.querySelector('.video').textContent,
        playing: card.dataset.playing || null,
        latency: card.querySelector('.latency').textContent,
        thumbnail: card.querySelector('.thumbnail').hidden ? 0 : card.querySelector('.thumbnail').naturalWidth,
      };
    }
    const clients = [...document.querySelectorAll('#clients tbody tr')].map((tr) => ({
      id: Number(tr.dataset.client), protocol: tr.children[1].textContent, role: tr.children[2].textContent,
    }));
    const nodes = [...document.querySelectorAll('#nodes tbody tr')].map((tr) => ({
      id: tr.dataset.node, role: tr.dataset.role, published: tr.dataset.published, pulls: tr.dataset.pulls,
    }));
    return { feed: document.getElementById('feed').textContent, streams, clients, nodes };
  }).catch((e) => ({ error: e.message }));
}

async function frameHash(stream) {
  return page.evaluate((id) => {
    const video = document.querySelector(`[data-stream="${id}"] video`);
    if (!video || video.readyState < 2 || !video.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 160; canvas.height = 90;
    const g = canvas.getContext('2d');
    g.drawImage(video, 0, 0, 160, 90);
    const data = g.getImageData(0, 0, 160, 90).data;
    let h = 2166136261;
    for (let i = 0; i < data.length; i += 4) { h ^= data[i] + (data[i + 1] << 8) + (data[i + 2] << 16); h = Math.imul(h, 16777619) >>> 0; }
    return { hash: h, currentTime: video.currentTime, width: video.videoWidth, height: video.videoHeight };
  }, stream);
}

const commands = {
  async open({ url, width, height }) {
    page = await browser.newPage({ viewport: { width, height } });
    page.on('console', (m) => process.stderr.write(`[console.${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => log('page error:', e.stack || e.message));
    page.on('response', (r) => { if (r.status() >= 400) log('http', r.status(), r.url()); });
    const response = await page.goto(url, { timeout: 15_000 });
    stateTimer = setInterval(async () => out({ t: Date.now(), state: await pageState() }), 200);
    return { status: response.status() };
  },
  async play({ stream, kind }) {
    await page.click(`[data-stream="${stream}"] .play-${kind}`);
    const hashes = [];
    const deadline = Date.now() + 20_000;
    let previous = null;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const frame = await frameHash(stream);
      if (!frame) continue;
      hashes.push(frame);
      if (previous && frame.hash !== previous.hash && frame.currentTime > previous.currentTime) {
        const latency = await page.textContent(`[data-stream="${stream}"] .latency`);
        return { moving: true, hashes, latency };
      }
      previous = frame;
    }
    return { moving: false, hashes };
  },
  async stop({ stream }) {
    await page.click(`[data-stream="${stream}"] .stop`);
    return {};
  },
  async kick({ client }) {
    const button = `#clients tr[data-client="${client}"] button.kick`;
    await page.waitForSelector(button, { timeout: 5_000 });
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/clients/' + client), { timeout: 5_000 });
    await page.click(button);
    return { status: (await answer).status() };
  },
  async screenshot({ path, width, height, scheme }) {
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme || 'light' });
    // Two snapshots, so the graphs are drawn at the new width.
    await new Promise((r) => setTimeout(r, 2_500));
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: false, timeout: 10_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    return { path, horizontalOverflow: overflow, background };
  },
  async probe({ url }) {
    const other = await browser.newPage();
    try {
      const pageStatus = (await other.goto(url, { timeout: 10_000 })).status();
      const body = await other.content();
      // From the page itself, as its script would: the feed's status only (an open feed never ends).
      const status = (path) => other.evaluate(async (u) => {
        const r = await fetch(u, { cache: 'no-store' });
        r.body && r.body.cancel();
        return r.status;
      }, url + path);
      return { page: pageStatus, events: await status('ui/events'), script: await status('ui/app.js'),
        listsStreams: body.includes('data-stream=') };
    } finally {
      await other.close();
    }
  },
  async quit() {
    setTimeout(() => quit(0), 10);
    return {};
  },
};

browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  timeout: 30_000,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
log(`chromium ${browser.version()} up`);
out({ ready: true });
const lines = createInterface({ input: process.stdin });
// One command at a time, in order.
let chain = Promise.resolve();
lines.on('line', (line) => {
  chain = chain.then(async () => {
    let command;
    try {
      command = JSON.parse(line);
      const run = commands[command.cmd];
      if (!run) throw new Error('unknown command ' + command.cmd);
      out({ reply: command.id, ...(await run(command)) });
    } catch (e) {
      log('command failed:', line, e.stack || e.message);
      out({ reply: command ? command.id : -1, error: e.message });
    }
  });
});
lines.on('close', () => chain.then(() => quit(0)));
