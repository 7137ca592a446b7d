// Loaded into the soak's backend with --require: every SOAK_PROBE_SECONDS it appends one JSON line to
// SOAK_PROBE_OUT with the heap after a full GC (--expose-gc), RSS, the event-loop delay p99 over the interval,
// and the open sockets and file descriptors of the process (from /proc). Reads nothing of the backend itself.
'use strict';
const { appendFileSync, readdirSync, readlinkSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { isMainThread } = require('node:worker_threads');

const out = process.env.SOAK_PROBE_OUT;
const seconds = Number(process.env.SOAK_PROBE_SECONDS || 60);
// Worker threads inherit --require: only the main thread samples.
if (out && isMainThread) {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = Date.now();
  const sample = () => {
    const lagP99Ms = lag.percentile(99) / 1e6;
    const lagMaxMs = lag.max / 1e6;
    lag.reset();
    if (global.gc) global.gc();
    const mem = process.memoryUsage();
    let fds = 0;
    let sockets = 0;
    for (const fd of readdirSync('/proc/self/fd')) {
      fds++;
      try {
        if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:'))
          sockets++;
      } catch {
        // closed meanwhile
      }
    }
    appendFileSync(
      out,
      `${JSON.stringify({
        at: new Date().toISOString(),
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        heapUsedMb: +(mem.heapUsed / 2 ** 20).toFixed(1),
        heapTotalMb: +(mem.heapTotal / 2 ** 20).toFixed(1),
        externalMb: +(mem.external / 2 ** 20).toFixed(1),
        rssMb: +(mem.rss / 2 ** 20).toFixed(1),
        lagP99Ms: +lagP99Ms.toFixed(1),
        lagMaxMs: +lagMaxMs.toFixed(1),
        fds,
        sockets,
      })}\n`,
    );
  };
  setInterval(sample, seconds * 1000).unref();
}
