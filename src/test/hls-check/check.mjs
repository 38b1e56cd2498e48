// A strict checker for the media playlists a test fetched from one stream, in fetch order:
//
//   node check.mjs A.m3u8 B.m3u8 ...
//
// Each playlist is parsed by videojs' m3u8-parser (its warnings are problems), then held to rules of
// RFC 8216 / 8216bis that a parser does not enforce: every tag known; EXTINF rounded <= TARGETDURATION
// (§4.3.3.1); TARGETDURATION constant and MEDIA-SEQUENCE never going back across the playlists
// (§6.2.1); EXT-X-PROGRAM-DATE-TIME on every segment; and for LL-HLS (EXT-X-PART-INF present):
// every part's duration <= PART-TARGET and, unless INDEPENDENT or a segment's last, >= 85% of it
// (§4.4.4.9), exactly one EXT-X-PRELOAD-HINT of TYPE=PART, PART-HOLD-BACK >= 3 x PART-TARGET and
// CAN-BLOCK-RELOAD=YES (§4.4.3.8), EXT-X-SKIP only in a delta update and CAN-SKIP-UNTIL >= 6 x
// TARGETDURATION, each EXT-X-RENDITION-REPORT with a quoted URI, LAST-MSN and LAST-PART decimal
// integers (§4.4.5.4: LAST-PART is required of a rendition with parts). Prints one line of JSON
// {"ok","checked","problems"};
// exit status 0 when ok, 1 when not, 2 on bad usage.
import { readFileSync } from 'node:fs';
import { Parser } from 'm3u8-parser';

const KNOWN = new Set(['EXTM3U', 'EXT-X-VERSION', 'EXT-X-TARGETDURATION', 'EXT-X-MEDIA-SEQUENCE',
  'EXT-X-DISCONTINUITY-SEQUENCE', 'EXT-X-DISCONTINUITY', 'EXT-X-MAP', 'EXT-X-PROGRAM-DATE-TIME', 'EXTINF',
  'EXT-X-SERVER-CONTROL', 'EXT-X-PART-INF', 'EXT-X-PART', 'EXT-X-PRELOAD-HINT', 'EXT-X-SKIP',
  'EXT-X-RENDITION-REPORT', 'EXT-X-INDEPENDENT-SEGMENTS', 'EXT-X-ENDLIST']);
const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node check.mjs PLAYLIST.m3u8...\n');
  process.exit(2);
}
const problems = [];
const problem = (file, text) => { if (problems.length < 100) problems.push(`${file}: ${text}`); };
let target = null;
let lastSequence = -1;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const parser = new Parser();
  parser.on('warn', (w) => problem(file, `m3u8-parser: ${w.message}`));
  parser.push(text);
  parser.end();
  const m = parser.manifest;
  const lines = text.split('\n');
  if (lines[0] !== '#EXTM3U') problem(file, 'does not start with #EXTM3U');
  for (const line of lines) {
    if (line.startsWith('#EXT')) {
      const tag = line.slice(1).split(':')[0];
      if (!KNOWN.has(tag)) problem(file, `unknown tag ${tag}`);
    }
  }
  if (!(m.targetDuration > 0)) problem(file, 'no EXT-X-TARGETDURATION');
  if (target !== null && m.targetDuration !== target) problem(file, `TARGETDURATION ${m.targetDuration} after ${target}`);
  target = m.targetDuration;
  if (m.mediaSequence < lastSequence) problem(file, `MEDIA-SEQUENCE ${m.mediaSequence} went back from ${lastSequence}`);
  lastSequence = m.mediaSequence;
  if (m.segments.length === 0) problem(file, 'no segment');
  for (const s of m.segments) {
    if (Math.round(s.duration) > m.targetDuration) problem(file, `EXTINF ${s.duration} of ${s.uri} rounds above the target`);
    if (!s.dateTimeString) problem(file, `${s.uri} has no EXT-X-PROGRAM-DATE-TIME`);
  }
  const lowLatency = m.partInf !== undefined;
  const hints = lines.filter((l) => l.startsWith('#EXT-X-PRELOAD-HINT:'));
  const skip = lines.some((l) => l.startsWith('#EXT-X-SKIP:'));
  if (!lowLatency) {
    if (hints.length > 0 || m.serverControl) problem(file, 'LL-HLS tags without EXT-X-PART-INF');
    continue;
  }
  const partTarget = m.partInf.partTarget;
  if (!(partTarget > 0)) problem(file, 'PART-TARGET missing');
  const parts = [...m.segments.flatMap((s) => s.parts || []), ...((m.preloadSegment && m.preloadSegment.parts) || [])];
  for (const p of parts) {
    if (!(p.duration <= partTarget)) problem(file, `part ${p.uri} lasts ${p.duration} > PART-TARGET ${partTarget}`);
  }
  // §4.4.4.9: at least 85% of PART-TARGET, except an INDEPENDENT part and the last part of a finished segment
  // (an open segment's parts all have one after them).
  const segmentParts = [...m.segments.map((s) => ({ parts: s.parts || [], finished: true })),
    { parts: (m.preloadSegment && m.preloadSegment.parts) || [], finished: false }];
  for (const { parts: own, finished } of segmentParts) {
    own.forEach((p, i) => {
      if (p.independent || (finished && i === own.length - 1)) return;
      if (!(p.duration >= 0.85 * partTarget - 1e-9)) {
        problem(file, `part ${p.uri} lasts ${p.duration} < 85% of PART-TARGET ${partTarget}`);
      }
    });
  }
  if (parts.length === 0) problem(file, 'LL-HLS playlist without a part');
  if (hints.length !== 1 || !/TYPE=PART/.test(hints[0])) problem(file, `${hints.length} EXT-X-PRELOAD-HINT tags, want one of TYPE=PART`);
  const sc = m.serverControl || {};
  if (sc.canBlockReload !== true) problem(file, 'no CAN-BLOCK-RELOAD=YES');
  if (!(sc.partHoldBack >= 3 * partTarget - 1e-9)) problem(file, `PART-HOLD-BACK ${sc.partHoldBack} < 3 x ${partTarget}`);
  if (!(sc.canSkipUntil >= 6 * m.targetDuration)) problem(file, `CAN-SKIP-UNTIL ${sc.canSkipUntil} < 6 x ${m.targetDuration}`);
  for (const line of lines.filter((l) => l.startsWith('#EXT-X-RENDITION-REPORT:'))) {
    if (!/[:,]URI="[^"]+"/.test(line)) problem(file, `no URI in ${line}`);
    if (!/[:,]LAST-MSN=\d+(,|$)/.test(line)) problem(file, `no LAST-MSN decimal-integer in ${line}`);
    if (!/[:,]LAST-PART=\d+(,|$)/.test(line)) problem(file, `no LAST-PART decimal-integer in ${line}`);
  }
  if (skip && !/_HLS_skip=/.test(file) && !/delta/.test(file)) problem(file, 'EXT-X-SKIP in a playlist that was not a delta request');
}
const ok = problems.length === 0;
process.stdout.write(JSON.stringify({ ok, checked: files.length, problems }) + '\n');
process.exit(ok ? 0 : 1);
