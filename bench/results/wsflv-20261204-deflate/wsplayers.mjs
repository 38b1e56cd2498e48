// N WebSocket-FLV players with the npm package ws (8.x), which offers permessage-deflate as browsers do
// (DEFLATE=0: offers nothing). Runs RAMP_MS apart, then counts for SECONDS; prints one JSON line:
// players open, bytes and messages received in the window, and the extensions the server agreed to.
import WebSocket from 'ws';

const [url, n, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const deflate = process.env.DEFLATE !== '0';
const rampMs = Number(process.env.RAMP_MS || 5);
const sockets = [];
const agreed = new Map();
let bytes = 0, messages = 0, closed = 0, counting = false;
for (let i = 0; i < n; i++) {
  const ws = new WebSocket(url, { perMessageDeflate: deflate });
  ws.on('open', () => agreed.set(ws.extensions || '', (agreed.get(ws.extensions || '') || 0) + 1));
  ws.on('message', (data) => { if (counting) { bytes += data.length; messages++; } });
  ws.on('close', () => closed++);
  ws.on('error', () => {});
  sockets.push(ws);
  await new Promise((r) => setTimeout(r, rampMs));
}
await new Promise((r) => setTimeout(r, 3000));
counting = true;
process.stderr.write('window start\n');
await new Promise((r) => setTimeout(r, seconds * 1000));
counting = false;
process.stderr.write('window end\n');
const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
process.stdout.write(JSON.stringify({ players: n, open, closed, bytes, messages, extensions: Object.fromEntries(agreed) }) + '\n');
sockets.forEach((s) => s.terminate());
