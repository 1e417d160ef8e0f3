// Loaded into a bench server (NODE_OPTIONS="--expose-gc --import …"): on SIGUSR2 it collects garbage
// twice and writes the process's memory to BENCH_MEMORY_FILE, so the bench reads heap and RSS after GC.
import fs from 'node:fs';

process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  fs.writeFileSync(process.env.BENCH_MEMORY_FILE, JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers }));
});
