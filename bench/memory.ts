// Bench section "memory": the server's heap and RSS after GC with 1k, 10k and 50k waiting P1
// instances in its SQLite store. An instance lives in the store between requests, never in the
// server, so both should stay flat: this measures it. Twelve real instances are walked through HTTP
// to each of P1's twelve waits (test/support/p1.ts, so the walk follows the shipped diagram); their
// rows (instance, open task, groups, history, timers) are then copied under new ids, server
// stopped, up to each size. At each size the server starts afresh, ticks its scheduler, serves
// task lists and walks 24 more instances (their completions timed: a step must not slow down with
// the store's size either), then is asked (bench/memory-probe.mjs) for its memory.
// Run alone with `npx tsx bench/memory.ts`, or as part of `npm run bench`.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { Client, ROOT, startServer, tempDir, type Server } from '../test/support/server.js';
import { P1_PASSED } from '../test/support/p1.js';

const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '1000,10000,50000').split(',').map(Number);
/** Heap growth (MB) from the smallest to the largest size within which the heap counts as flat. */
const FLAT_HEAP_MB = 8;
const PATH = Object.keys(P1_PASSED);
const PROBE = path.join(ROOT, 'bench/memory-probe.mjs');

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mb = (bytes: number) => round(bytes / 1024 / 1024);

/** Starts P1 and completes its first `steps` tasks, timing each completion into `completeMs`; returns the instance id. */
async function walk(c: Client, steps: number, completeMs: number[] = []) {
  const inst = (await c.post('/api/instances', { jurisdiction: 'national', processKey: 'consultation' })).body;
  for (const elementId of PATH.slice(0, steps)) {
    const task = (await c.get(`/api/tasks?instanceId=${inst.id}&status=open&limit=5`)).body.items.find((t: any) => t.elementId === elementId);
    const t0 = performance.now();
    const res = await c.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED[elementId] });
    completeMs.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`memory: complete ${elementId}: ${res.status}`);
  }
  return inst.id as string;
}

/** Copies the templates' rows under new ids until the store holds `total` waiting instances; returns how many it holds. */
function copyInstances(file: string, templates: string[], total: number) {
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const active = () => (db.prepare(`SELECT COUNT(*) AS n FROM instances WHERE status = 'active'`).get() as { n: number }).n;
  // Copies are numbered in a case year of their own, clear of the server's case numbers.
  const copied = (db.prepare(`SELECT COUNT(*) AS n FROM instances WHERE case_year = 1900`).get() as { n: number }).n;
  const rows = (table: string, column: string, id: string) => db.prepare(`SELECT * FROM ${table} WHERE ${column} = ?`).all(id) as Record<string, unknown>[];
  const statements = new Map<string, Database.Statement>();
  const insert = (table: string, row: Record<string, unknown>) => {
    const sql = `INSERT INTO ${table} (${Object.keys(row).join(',')}) VALUES (${Object.keys(row).map(() => '?').join(',')})`;
    if (!statements.has(sql)) statements.set(sql, db.prepare(sql));
    statements.get(sql)!.run(...Object.values(row));
  };
  const source = templates.map((id) => ({
    instance: rows('instances', 'id', id)[0],
    tasks: rows('tasks', 'instance_id', id).filter((t) => t.status === 'open'),
    history: rows('history', 'instance_id', id),
    timers: rows('timers', 'instance_id', id),
  }));
  const groups = db.prepare('SELECT grp FROM task_groups WHERE task_id = ?');
  db.transaction(() => {
    for (let n = copied, end = copied + total - active(); n < end; n++) {
      const s = source[n % source.length];
      const id = crypto.randomUUID();
      insert('instances', { ...s.instance, id, case_year: 1900, case_seq: n + 1, case_no: `B${n + 1}` });
      for (const t of s.tasks) {
        const taskId = crypto.randomUUID();
        insert('tasks', { ...t, id: taskId, instance_id: id });
        for (const g of groups.all(t.id) as { grp: string }[]) insert('task_groups', { task_id: taskId, grp: g.grp });
      }
      for (const { seq: _seq, ...h } of s.history) insert('history', { ...h, instance_id: id });
      for (const t of s.timers) insert('timers', { ...t, instance_id: id });
    }
  })();
  const count = active();
  db.close();
  return count;
}

async function measure(server: Server, file: string) {
  const c = await Client.signIn(server.url, 'national.staff');
  // Two scheduler ticks at least (timers due, timer starts), task lists as the UI reads them, and work.
  await new Promise((r) => setTimeout(r, 2500));
  for (const url of ['/api/tasks?status=open&limit=50', '/api/tasks?status=open&assignee=none&limit=50', '/api/instances?jurisdiction=national&limit=50']) {
    if ((await c.get(url)).status !== 200) throw new Error(`memory: ${url}`);
  }
  const completeMs: number[] = [];
  for (let k = 0; k < 24; k++) await walk(c, k % PATH.length, completeMs);
  completeMs.sort((x, y) => x - y);
  fs.rmSync(file, { force: true });
  server.proc.kill('SIGUSR2');
  for (let t = 0; t < 100 && !fs.existsSync(file); t++) await new Promise((r) => setTimeout(r, 100));
  const memory = JSON.parse(fs.readFileSync(file, 'utf8')) as { rss: number; heapUsed: number };
  return { ...memory, completeP50Ms: round(completeMs[Math.floor(completeMs.length / 2)], 2) };
}

export async function memoryBench(log: (text: string) => void = () => {}) {
  const dataDir = tempDir('yishi-bench-memory-');
  const probeFile = path.join(dataDir, 'memory.json');
  const env = { TIMER_POLL_MS: '1000', NODE_OPTIONS: `--expose-gc --import ${pathToFileURL(PROBE).href}`, BENCH_MEMORY_FILE: probeFile };
  const first = await startServer({ dataDir, contentDir: ROOT, env });
  let templates: string[];
  try {
    const c = await Client.signIn(first.url, 'national.staff');
    templates = [];
    for (let steps = 0; steps < PATH.length; steps++) templates.push(await walk(c, steps));
  } finally {
    await first.stop();
  }
  const file = path.join(dataDir, 'yishi.db');
  const rows: { waiting: number; rssMb: number; heapMb: number; completeP50Ms: number }[] = [];
  for (const size of SIZES) {
    const t0 = Date.now();
    const waiting = copyInstances(file, templates, size);
    log(`memory: ${waiting} waiting instances stored in ${round((Date.now() - t0) / 1000)} s`);
    const server = await startServer({ dataDir, contentDir: ROOT, env });
    try {
      const m = await measure(server, probeFile);
      rows.push({ waiting, rssMb: mb(m.rss), heapMb: mb(m.heapUsed), completeP50Ms: m.completeP50Ms });
    } finally {
      await server.stop();
    }
  }
  // The 50k store is some 400 MB.
  fs.rmSync(dataDir, { recursive: true, force: true });
  const [a, b] = [rows[0], rows[rows.length - 1]];
  const per10k = (d: number) => round((d / (b.waiting - a.waiting)) * 10_000, 2);
  return {
    sizes: rows,
    heapGrowthMb: round(b.heapMb - a.heapMb), rssGrowthMb: round(b.rssMb - a.rssMb),
    heapMbPer10kWaiting: per10k(b.heapMb - a.heapMb), rssMbPer10kWaiting: per10k(b.rssMb - a.rssMb),
    flat: b.heapMb - a.heapMb <= FLAT_HEAP_MB,
    flatHeapMb: FLAT_HEAP_MB,
  };
}

export function printMemory(r: Awaited<ReturnType<typeof memoryBench>>): string[] {
  return [
    'server memory after GC, by waiting P1 instances in the store (SQLite)',
    ...r.sizes.map((s) => `  ${String(s.waiting).padStart(7)} waiting   heap ${String(s.heapMb).padStart(6)} MB   RSS ${String(s.rssMb).padStart(6)} MB   complete p50 ${s.completeP50Ms} ms (one client)`),
    `  growth ${r.sizes[0].waiting} → ${r.sizes[r.sizes.length - 1].waiting}: heap ${r.heapGrowthMb} MB (${r.heapMbPer10kWaiting} MB per 10k), RSS ${r.rssGrowthMb} MB (${r.rssMbPer10kWaiting} MB per 10k): ` +
      (r.flat ? `flat ✓ (heap within ${r.flatHeapMb} MB)` : `NOT flat ✗ (heap grew more than ${r.flatHeapMb} MB)`),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  memoryBench((t) => process.stderr.write(`bench: ${t}\n`)).then(
    (r) => (console.log(printMemory(r).join('\n')), process.exit(0)),
    (err) => (console.error(err), process.exit(1)),
  );
}
