// Bench section "jobs": external job workers through Camunda's REST job API on the embedded engine
// (SQLite), HTTP basic as a worker account: BENCH_JOBS instances of a one-job process are started,
// then BENCH_JOB_WORKERS workers activate (batches of BENCH_JOB_BATCH) and complete every job —
// jobs/s is completions per second of that phase. With BENCH_ZEEBE_ADDRESS the same load runs on
// the Zeebe broker through @camunda8/sdk's gRPC client (the test broker serves no REST), side by side.
// Besides jobs/s (wall time, which other work on the machine lowers), each side reports the CPU
// time its server process spent per job (/proc, Linux): the Yishi server's, and the broker's when
// it is found listening on this machine (a broker other tests share counts their work too).
// Run alone with `npx tsx bench/jobs.ts`, or as part of `npm run bench`.
import fs from 'node:fs';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import { ADMIN_PASSWORD, Client, startServer } from '../test/support/server.js';
import { oneJobDiagram } from '../test/support/jobs.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 3000);
const WORKERS = Number(process.env.BENCH_JOB_WORKERS ?? 4);
const BATCH = Number(process.env.BENCH_JOB_BATCH ?? 32);
const TARGET = 1000;
const TYPE = 'bench-job';
const KEY = 'bench-jobs';
const WORKER = { username: 'bench.worker', password: 'bench-worker-password' };

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

const XML = oneJobDiagram(KEY, TYPE);

/** Runs `work` on `n` lanes until it returns false on every lane. */
async function lanes(n: number, work: () => Promise<boolean>) {
  await Promise.all(Array.from({ length: n }, async () => {
    while (await work());
  }));
}

/** CPU time (user + system) a process has used, in ms; null when it cannot be read. */
function cpuMs(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    // The fields after the command name: utime and stime are the 12th and 13th, in ticks of 10 ms.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The local process listening on a TCP port (from /proc/net/tcp* and the processes' sockets), or null. */
function pidListening(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(`socket:[${cols[9]}]`);
    }
  }
  if (!inodes.size) return null;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readdirSync(`/proc/${pid}/fd`).some((fd) => inodes.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`)))) return Number(pid);
    } catch {
      // A process that ended, or not ours to read.
    }
  }
  return null;
}

/** Workers activate and complete until `total` jobs are done; the figures of that phase, with the server's CPU per job. */
async function drain(total: number, serverPid: number | null, activate: () => Promise<string[]>, complete: (key: string) => Promise<void>) {
  const cpuBefore = cpuMs(serverPid);
  let done = 0;
  let lastProgress = Date.now();
  const started = Date.now();
  await lanes(WORKERS, async () => {
    const keys = await activate();
    if (keys.length) lastProgress = Date.now();
    else if (Date.now() - lastProgress > 30_000) throw new Error(`jobs stopped arriving after ${done} of ${total}`);
    await Promise.all(keys.map(complete));
    done += keys.length;
    return done < total;
  });
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = cpuMs(serverPid);
  const serverCpuMsPerJob = cpuBefore === null || cpuAfter === null ? null : round((cpuAfter - cpuBefore) / done, 3);
  return { jobs: done, seconds: round(seconds, 2), jobsPerSec: round(done / seconds), serverCpuMsPerJob };
}

async function embedded(log: (text: string) => void) {
  const server = await startServer();
  try {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    await admin.post('/api/users', { ...WORKER, displayName: '压测作业程序', memberships: [{ jurisdiction: 'town-a', roles: ['worker'] }] });
    const official = await Client.signIn(server.url, 'town-a.official');
    const deployed = await official.put(`/api/processes/town-a/${KEY}`, { xml: XML, baseVersion: 0 });
    if (deployed.status !== 201) throw new Error(`deploy: ${deployed.status} ${JSON.stringify(deployed.body)}`);
    log(`jobs: starting ${JOBS} instances on the embedded engine`);
    let started = 0;
    await lanes(8, async () => {
      if (started >= JOBS) return false;
      started++;
      const res = await official.post('/api/instances', { jurisdiction: 'town-a', processKey: KEY, variables: { n: started } });
      if (res.status !== 201) throw new Error(`start: ${res.status}`);
      return true;
    });
    const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${WORKER.username}:${WORKER.password}`).toString('base64')}` };
    // node:http with keep-alive: the client shares the machine, and fetch costs it several times the CPU.
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS * BATCH });
    const post = (path: string, body: unknown) =>
      new Promise<unknown>((resolve, reject) => {
        const req = http.request(`${server.url}/camunda/v2${path}`, { method: 'POST', agent, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => (res.statusCode! >= 300 ? reject(new Error(`${path}: ${res.statusCode} ${text}`)) : resolve(text ? JSON.parse(text) : null)));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    log(`jobs: ${WORKERS} workers complete them through the job API`);
    try {
      return await drain(
      JOBS, server.proc.pid ?? null,
      async () => ((await post('/jobs/activation', { type: TYPE, worker: 'bench', timeout: 60_000, maxJobsToActivate: BATCH, requestTimeout: 1000 })) as { jobs: { jobKey: number }[] }).jobs.map((j) => String(j.jobKey)),
      async (key) => void (await post(`/jobs/${key}/completion`, { variables: { done: true } })),
      );
    } finally {
      agent.destroy();
    }
  } finally {
    await server.stop();
  }
}

async function zeebe(address: string, log: (text: string) => void) {
  const zbc = new Camunda8({
    ZEEBE_GRPC_ADDRESS: address, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_OAUTH_DISABLED: true, CAMUNDA_SECURE_CONNECTION: false,
    ZEEBE_CLIENT_LOG_LEVEL: 'NONE', CAMUNDA_LOG_LEVEL: 'error',
  } as never).getZeebeGrpcApiClient();
  try {
    const type = `${TYPE}-${Date.now()}`;
    await zbc.deployResource({ process: Buffer.from(oneJobDiagram(KEY, type)), name: `${KEY}.bpmn` });
    log(`jobs: starting ${JOBS} instances on Zeebe at ${address}`);
    let started = 0;
    await lanes(8, async () => {
      if (started >= JOBS) return false;
      started++;
      await zbc.createProcessInstance({ bpmnProcessId: KEY, variables: { n: started } });
      return true;
    });
    return await drain(
      JOBS, pidListening(Number(address.split(':').pop())),
      async () => {
        try {
          return (await zbc.activateJobs({ type, worker: 'bench', timeout: 60_000, maxJobsToActivate: BATCH, requestTimeout: 1000 })).map((j) => j.key);
        } catch (err) {
          // The broker's back-pressure: a worker tries again shortly, as the SDK's own worker does.
          if (!/RESOURCE_EXHAUSTED/.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 50));
          return [];
        }
      },
      async (jobKey) => void (await zbc.completeJob({ jobKey, variables: { done: true } })),
    );
  } finally {
    await zbc.close();
  }
}

export async function jobsBench(log: (text: string) => void) {
  const onEmbedded = await embedded(log);
  const address = process.env.BENCH_ZEEBE_ADDRESS ?? process.env.ZEEBE_ADDRESS;
  const onZeebe = address ? await zeebe(address, log) : null;
  return {
    workers: WORKERS, batch: BATCH, target: TARGET,
    embedded: onEmbedded,
    zeebe: onZeebe,
    ratios: {
      embeddedVsTarget: round(onEmbedded.jobsPerSec / TARGET, 3),
      embeddedVsZeebe: onZeebe ? round(onEmbedded.jobsPerSec / onZeebe.jobsPerSec, 3) : null,
      cpuPerJobEmbeddedVsZeebe: onEmbedded.serverCpuMsPerJob && onZeebe?.serverCpuMsPerJob ? round(onEmbedded.serverCpuMsPerJob / onZeebe.serverCpuMsPerJob, 3) : null,
    },
  };
}

export function printJobs(r: Awaited<ReturnType<typeof jobsBench>>): string[] {
  return [
    `external job workers (Camunda REST job API, ${r.workers} workers, batches of ${r.batch})   jobs/s   (target ${r.target})`,
    `  HTTP basic + SQLite + embedded engine   ${String(r.embedded.jobsPerSec).padStart(8)}   ×${r.ratios.embeddedVsTarget} of target (${r.embedded.jobs} jobs in ${r.embedded.seconds} s), server CPU ${r.embedded.serverCpuMsPerJob ?? '?'} ms/job`,
    r.zeebe
      ? `  Zeebe broker (gRPC job API)             ${String(r.zeebe.jobsPerSec).padStart(8)}   embedded/Zeebe ×${r.ratios.embeddedVsZeebe}, broker CPU ${r.zeebe.serverCpuMsPerJob ?? '?'} ms/job (CPU embedded/Zeebe ×${r.ratios.cpuPerJobEmbeddedVsZeebe ?? '?'})`
      : '  Zeebe broker: not measured (set BENCH_ZEEBE_ADDRESS to a broker)',
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  jobsBench((t) => process.stderr.write(`bench: ${t}\n`)).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      console.log(printJobs(r).join('\n'));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
