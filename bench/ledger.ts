// Bench section "ledger": GET /api/ledger at 100k cases on SQLite — the first page and page 20 (the
// UI's 50 rows), a Chinese search and a class filter, the full .xlsx and CSV exports — and
// GET /api/stats over the quarter with the most cases.
// Run alone with `npx tsx bench/ledger.ts`, or as part of `npm run bench`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { caseYear, formatCaseNo } from '../server/store/cases.js';
import { Client, ROOT, startServer, tempDir } from '../test/support/server.js';

const CASES = Number(process.env.BENCH_LEDGER_CASES ?? 100_000);
const CATEGORIES: [string, string][] = [['环境管理', '大事'], ['治安与消防', '大事'], ['文体活动', '小事'], ['便民服务', '小事'], ['邻里互助', '私事']];
const GROUPS = ['two-committees', 'department', 'service-centre'];

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const p = (samples: number[], q: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(q * samples.length))];

/** 100k 三事 cases over the last year, written straight into the SQLite file in one transaction. */
function seed(file: string, count: number) {
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const now = Date.now();
  const insInstance = db.prepare(
    `INSERT INTO instances (id, jurisdiction, process_key, version, defined_at, status, started_at, started_by, ended_at, variables, params, active, incident,
      engine_state, revision, case_year, case_seq, case_no, title, reporter, category, class) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insTask = db.prepare(
    `INSERT INTO tasks (id, instance_id, ref, element_id, name, jurisdiction, process_key, form_key, candidate_groups, assignee, status, data, created_at, due,
      completed_at, completed_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insGroup = db.prepare('INSERT INTO task_groups (task_id, grp) VALUES (?, ?)');
  const seqs = new Map<number, number>();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const startedAt = new Date(now - (count - i) * ((365 * 86_400_000) / count)).toISOString();
      const year = caseYear(startedAt);
      const seq = (seqs.get(year) ?? 0) + 1;
      seqs.set(year, seq);
      const [category, cls] = CATEGORIES[i % CATEGORIES.length];
      const status = i % 20 === 0 ? 'cancelled' : i % 4 === 0 ? 'active' : 'completed';
      const matter = `第${i}号反映：${category}方面的问题，${i % 7 === 0 ? '路灯损坏' : '需要协调解决'}`;
      const variables = { date: startedAt.slice(0, 10), matter, category, department: '村委会', reporter: `居民${i % 997}`, contact: '13800000000', matterClass: cls };
      const active = status === 'active' ? [{ elementId: 'classify', name: '协商分流：界定大事、小事、私事' }] : [];
      insInstance.run(
        `case-${i}`, 'township-triage', 'triage', 1, 'township-triage', status, startedAt, 'bench', status === 'active' ? null : new Date(Date.parse(startedAt) + 5 * 86_400_000).toISOString(),
        JSON.stringify(variables), '{}', JSON.stringify(active), null, null, 1, year, seq, formatCaseNo(year, seq), matter, variables.reporter, category, cls,
      );
      if (status === 'active') {
        const group = GROUPS[i % GROUPS.length];
        insTask.run(`case-task-${i}`, `case-${i}`, `r${i}`, 'classify', '协商分流', 'township-triage', 'triage', 'triage-classify', JSON.stringify([group]), null, 'open', null, startedAt,
          new Date(Date.parse(startedAt) + 15 * 86_400_000).toISOString(), null, null, 1);
        insGroup.run(`case-task-${i}`, group);
      }
    }
  })();
  db.close();
}

async function timed(n: number, fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(ms(t0));
  }
  return { p50: round(p(samples, 0.5), 2), p95: round(p(samples, 0.95), 2) };
}

export async function ledgerBench(log: (text: string) => void = () => {}) {
  const dataDir = tempDir('yishi-bench-ledger-');
  await (await startServer({ dataDir, contentDir: ROOT })).stop();
  const t0 = process.hrtime.bigint();
  seed(path.join(dataDir, 'yishi.db'), CASES);
  log(`ledger: seeded ${CASES} cases in ${round(ms(t0) / 1000)} s`);
  const server = await startServer({ dataDir, contentDir: ROOT });
  try {
    const c = await Client.signIn(server.url, 'township-triage.staff');
    const url = '/api/ledger?jurisdiction=township-triage&limit=50';
    const ok = async (u: string) => {
      const res = await c.get(u);
      if (res.status !== 200 || !res.body.items.length) throw new Error(`${u}: ${res.status}`);
      return res.body;
    };
    const firstPage = await timed(30, () => ok(url));
    let cursor: string | null = null;
    for (let n = 0; n < 19; n++) cursor = (await ok(`${url}${cursor ? `&cursor=${cursor}` : ''}`)).nextCursor;
    const page20 = await timed(30, () => ok(`${url}&cursor=${cursor}`));
    const search = await timed(10, () => ok(`${url}&q=${encodeURIComponent('路灯')}`));
    const classFilter = await timed(30, () => ok(`${url}&class=${encodeURIComponent('私事')}&period=${new Date(Date.now() + 8 * 3600_000).getUTCFullYear()}`));
    const exportFile = async (format: 'xlsx' | 'csv') => {
      const t = process.hrtime.bigint();
      const res = await c.download(`/api/ledger?jurisdiction=township-triage&format=${format}`);
      const bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${format} export: ${res.status}`);
      return { seconds: round(ms(t) / 1000, 2), mb: round(bytes / 1024 / 1024, 1) };
    };
    const local = new Date(Date.now() + 8 * 3600_000);
    const quarter = `${local.getUTCFullYear()}Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
    const statsQuarter = await timed(3, async () => {
      const res = await c.get(`/api/stats?jurisdiction=township-triage&period=${quarter}`);
      if (res.status !== 200 || !res.body.total) throw new Error(`stats: ${res.status}`);
    });
    const xlsx = await exportFile('xlsx');
    log(`ledger: .xlsx of ${CASES} cases in ${xlsx.seconds} s`);
    const csv = await exportFile('csv');
    return { cases: CASES, firstPageMs: firstPage, page20Ms: page20, searchMs: search, classFilterMs: classFilter, statsQuarterMs: statsQuarter, xlsxExport: xlsx, csvExport: csv };
  } finally {
    await server.stop();
  }
}

export function printLedger(r: Awaited<ReturnType<typeof ledgerBench>>): string[] {
  return [
    `ledger (GET /api/ledger, ${r.cases} cases, SQLite)   p50 / p95 ms`,
    `  first page ${r.firstPageMs.p50}/${r.firstPageMs.p95}   page 20 ${r.page20Ms.p50}/${r.page20Ms.p95}   search 路灯 ${r.searchMs.p50}/${r.searchMs.p95}   class+year ${r.classFilterMs.p50}/${r.classFilterMs.p95}`,
    `  full export: .xlsx ${r.xlsxExport.seconds} s (${r.xlsxExport.mb} MB)   CSV ${r.csvExport.seconds} s (${r.csvExport.mb} MB)`,
    `  GET /api/stats for this quarter (a quarter of the ${r.cases} cases): ${r.statsQuarterMs.p50} ms p50`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  ledgerBench((t) => process.stderr.write(`bench: ${t}\n`)).then(
    (r) => (console.log(printLedger(r).join('\n')), process.exit(0)),
    (err) => (console.error(err), process.exit(1)),
  );
}
