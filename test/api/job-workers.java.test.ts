// Camunda's official Java client (io.camunda:zeebe-client-java 8.6.12, preferRestOverGrpc, a plain
// base URL with HTTP basic) as a job worker against a Yishi server on the embedded engine: it
// activates through the REST job API, fails each job once with a 1 s back-off, then completes it
// with variables or throws a BPMN error that the boundary event catches. Built by
// scripts/test-servers.sh (test/java/job-worker); its keys are read as Java longs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, waitFor, type Server } from '../support/server.js';
import { jobDiagram } from '../support/jobs.js';

const WORKER_DIR = path.resolve('test/java/job-worker/target');
const WORKER = { username: 'java.worker', password: 'java-worker-password' };
const TYPES = { lookup: 'java-lookup', sms: 'java-sms' };

let server: Server;
let official: Client;

/** Runs the Java worker until it has finished `jobs` jobs; its printed lines. */
function runWorker(type: string, jobs: number): Promise<{ event: string; jobKey: string; processInstanceKey: string; retries: number; at: number }[]> {
  const classpath = `${WORKER_DIR}/yishi-java-job-worker.jar${path.delimiter}${fs.readFileSync(`${WORKER_DIR}/classpath.txt`, 'utf8').trim()}`;
  const authorization = `Basic ${Buffer.from(`${WORKER.username}:${WORKER.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', classpath, 'yishi.JobWorkerMain', `${server.url}/camunda`, authorization, type, String(jobs)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`java worker exited ${code}:\n${out}\n${err}`));
      resolve(out.trim().split('\n').filter((l) => /^\w+ \d+ \d+ \d+ \d+$/.test(l)).map((l) => {
        const [event, jobKey, processInstanceKey, retries, at] = l.split(' ');
        return { event: event!, jobKey: jobKey!, processInstanceKey: processInstanceKey!, retries: Number(retries), at: Number(at) };
      }));
    });
  });
}

describe('a job worker written with Camunda’s Java client (REST) against Yishi', () => {
  beforeAll(async () => {
    if (!fs.existsSync(`${WORKER_DIR}/classpath.txt`)) throw new Error('the Java job worker is not built: run scripts/test-servers.sh');
    server = await startServer();
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const res = await admin.post('/api/users', { ...WORKER, displayName: 'Java 作业程序', memberships: [{ jurisdiction: 'town-a', roles: ['worker'] }] });
    expect(res.status).toBe(201);
    official = await Client.signIn(server.url, 'town-a.official');
    expect((await official.put('/api/processes/town-a/jobs-java', { xml: jobDiagram('jobs-java', TYPES.lookup, TYPES.sms), baseVersion: 0 })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const start = async (variables: Record<string, unknown>) => {
    const res = await official.post('/api/instances', { jurisdiction: 'town-a', processKey: 'jobs-java', variables });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const instance = async (id: string) => (await official.get(`/api/instances/${id}`)).body;
  const activeAt = (id: string, elementId: string) =>
    waitFor(async () => (await instance(id)).active.some((a: { elementId: string }) => a.elementId === elementId), 10_000, `${id} at ${elementId}`);

  it('activates, fails with back-off, completes with variables, and throws a BPMN error caught by the boundary event', async () => {
    const completed = await start({ parcel: 'J-1' });
    const lines = await runWorker(TYPES.lookup, 1);
    const [activated, failed, again, done] = lines;
    expect(lines.map((l) => l.event)).toEqual(['activated', 'failed', 'activated', 'completed']);
    expect(activated).toMatchObject({ retries: 2 });
    expect(again).toMatchObject({ jobKey: activated!.jobKey, retries: 1 });
    // Not activatable again before the back-off has passed.
    expect(again!.at - failed!.at).toBeGreaterThanOrEqual(900);
    await activeAt(completed, 'sms');
    const view = await instance(completed);
    // The key the Java client read as a long is the one the activation's audit entry gives for this instance.
    expect(view.variables).toMatchObject({ parcel: 'J-1', owner: '李四', area: 80, seenKey: Number(done!.processInstanceKey) });
    const audit = (await official.get(`/api/audit?instanceId=${completed}`)).body.items;
    const activation = audit.find((a: { action: string }) => a.action === 'job.activate');
    expect(activation.detail.jobs).toEqual([expect.objectContaining({ instanceId: completed, processInstanceKey: Number(done!.processInstanceKey) })]);

    // The SMS jobs: each failed once, then completed, or answered with a BPMN error the boundary event catches.
    const caught = await start({ errorAt: 'sms' });
    await runWorker(TYPES.lookup, 1);
    await activeAt(caught, 'sms');
    const sms = await runWorker(TYPES.sms, 2);
    expect(sms.filter((l) => l.event !== 'activated').map((l) => l.event).sort()).toEqual(['completed', 'error', 'failed', 'failed']);
    await activeAt(caught, 'call');
    expect((await instance(caught)).variables).toMatchObject({ errorAt: 'sms', owner: '李四', reason: '号码无效' });
    await activeAt(completed, 'review');
  }, 120_000);
});
