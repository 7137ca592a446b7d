// A small closed-loop load generator over node:http (loopback only): `concurrency` clients, each sending its next
// request when the previous one is answered, until `total` requests are done or `maxMs` has passed.
import http from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** One HTTP request; resolves with status, body (text) and latency in ms. */
export function request(agent, { method = 'GET', url, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined
        ? undefined
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const started = performance.now();
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          // What a browser's fetch sends (Backstage's frontend): JSON, compressed if the server likes.
          Accept: 'application/json',
          'Accept-Encoding': 'gzip, deflate, br',
          ...headers,
          ...(payload
            ? {
                'Content-Type': 'application/json',
                'Content-Length': payload.length,
              }
            : {}),
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          let body = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          // decoded after the clock stops, as a browser does it off the server's time
          if (encoding === 'gzip') body = gunzipSync(body);
          else if (encoding === 'br') body = brotliDecompressSync(body);
          else if (encoding === 'deflate') body = inflateSync(body);
          resolve({
            status: res.statusCode,
            text: body.toString('utf8'),
            ms,
            wireBytes: chunks.reduce((n, c) => n + c.length, 0),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Runs the closed loop. `next(i)` gives the i-th request's options. Returns every latency (ms) of a 2xx answer,
 * the count of other answers and errors, and the wall time.
 */
export async function closedLoop({
  concurrency,
  total,
  maxMs = 120_000,
  next,
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const failures = [];
  let issued = 0;
  const started = performance.now();
  const deadline = started + maxMs;
  async function client() {
    while (issued < total && performance.now() < deadline) {
      const i = issued++;
      try {
        const res = await request(agent, next(i));
        if (res.status >= 200 && res.status < 300) latencies.push(res.ms);
        else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
      } catch (e) {
        failures.push(String(e?.message ?? e));
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  const wallMs = performance.now() - started;
  return { latencies, failures, wallMs, ...summarize(latencies) };
}

/** Nearest-rank percentiles. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
