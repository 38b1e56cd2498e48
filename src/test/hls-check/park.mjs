// Parks many LL-HLS requests at once, each on a connection of its own, as that many players would:
//   node park.mjs <url> <count>
// Prints "sent <count>" once every request is on the wire, then, when every answer came (or the
// connection failed), one JSON line: the count of each status (or error), and the times from the
// first request to the last answer.
// Node's own HTTP client (no library): one socket per request, no keep-alive, no pool limit.
import http from 'node:http';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
if (!url || !(count > 0)) {
  console.error('usage: node park.mjs <url> <count>');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const statuses = {};
let sent = 0;
let done = 0;
let firstAnswerMs = -1;
const started = performance.now();

function finish(key) {
  statuses[key] = (statuses[key] || 0) + 1;
  if (firstAnswerMs < 0) firstAnswerMs = performance.now() - started;
  if (++done === count) {
    console.log(JSON.stringify({ statuses, firstAnswerMs: Math.round(firstAnswerMs),
      lastAnswerMs: Math.round(performance.now() - started) }));
    process.exit(0);
  }
}

// Opened in batches of 500 per turn, so that the event loop also takes in what comes back.
function open(from) {
  for (let i = from; i < Math.min(count, from + 500); i++) {
    const request = http.get(url + '&n=' + i, { agent }, (response) => {
      response.resume();
      response.on('end', () => finish(String(response.statusCode)));
      response.on('error', (e) => finish('error ' + e.code));
    });
    request.on('error', (e) => finish('error ' + (e.code || e.message)));
    request.on('finish', () => {
      if (++sent === count) console.log('sent ' + count);
    });
  }
  if (from + 500 < count) setImmediate(() => open(from + 500));
}
open(0);
