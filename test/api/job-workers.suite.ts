// Camunda's own job worker (@camunda8/sdk 8.6, CamundaRestClient in REST mode, HTTP basic as a
// Yishi service account or a bearer token) against a Yishi server on the embedded engine:
// activation with long polling, completion with variables, failure with back-off, a BPMN error
// caught by a boundary event, a time-out that re-activates, an incident at 0 retries that an
// official retries; the service accounts' authentication and jurisdictions. Run on each store
// (job-workers.test.ts: SQLite, job-workers.mongodb.test.ts: MongoDB).
import fs from 'node:fs';
import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import type { CamundaRestClient } from '@camunda8/sdk/dist/c8/lib/CamundaRestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, waitFor, type Server } from '../support/server.js';
import { jobDiagram } from '../support/jobs.js';

let server: Server;
let admin: Client;
let official: Client;
let rest: CamundaRestClient;
const WORKER = { username: 'gis.worker', password: 'worker-password-1' };
const OTHER = { username: 'other.worker', password: 'worker-password-2' };

const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

function restClient(u: { username: string; password: string }): CamundaRestClient {
  return new Camunda8({
    ZEEBE_REST_ADDRESS: `${server.url}/camunda`,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: u.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: u.password,
    CAMUNDA_LOG_LEVEL: 'error',
  }).getCamundaRestClient();
}

/** The job API without the SDK, to see statuses and problem documents. */
async function raw(path: string, body: unknown, authorization?: string) {
  const res = await fetch(`${server.url}/camunda/v2${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), challenge: res.headers.get('www-authenticate'), body: text ? JSON.parse(text) : null };
}

/** Deploys the job diagram under its own key and job types, and starts an instance of it. */
async function scenario(name: string, variables: Record<string, unknown> = {}) {
  const key = `jobs-${name}`;
  const types = { lookup: `${name}-lookup`, sms: `${name}-sms` };
  const res = await official.put(`/api/processes/town-a/${key}`, { xml: jobDiagram(key, types.lookup, types.sms), baseVersion: 0 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const started = await official.post('/api/instances', { jurisdiction: 'town-a', processKey: key, variables });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return { id: started.body.id as string, types };
}

/** A job and a user task in parallel, joined before the end. */
const parallelDiagram = (processId: string, type: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${processId}" targetNamespace="t">
  <bpmn:process id="${processId}" name="并行作业" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
    <bpmn:parallelGateway id="fork"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>f3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="lookup"/>
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="register"/>
    <bpmn:serviceTask id="lookup" name="地块查询">
      <bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="1"/></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:userTask id="register" name="登记">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="official"/></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="lookup" targetRef="join"/>
    <bpmn:sequenceFlow id="f5" sourceRef="register" targetRef="join"/>
    <bpmn:parallelGateway id="join"><bpmn:incoming>f4</bpmn:incoming><bpmn:incoming>f5</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

const instance = async (id: string) => (await official.get(`/api/instances/${id}`)).body;
const activeAt = (id: string, elementId: string) => waitFor(async () => (await instance(id)).active.some((a: { elementId: string }) => a.elementId === elementId), 10_000, `${id} at ${elementId}`);
const activate = (type: string, opts: { timeout?: number; requestTimeout?: number } = {}) =>
  rest.activateJobs({ type, worker: 'gis-worker', timeout: opts.timeout ?? 30_000, maxJobsToActivate: 10, requestTimeout: opts.requestTimeout ?? -1 });

/** The whole suite against a server started with this environment (the store it runs on). */
export function jobWorkerSuite(env: () => Record<string, string>) {
  let storeEnv: Record<string, string> = {};
  beforeAll(async () => {
    storeEnv = env();
    server = await startServer({ env: storeEnv });
    admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    official = await Client.signIn(server.url, 'town-a.official');
    for (const [u, j] of [[WORKER, 'town-a'], [OTHER, 'town-b']] as const) {
      const res = await admin.post('/api/users', { ...u, displayName: `作业程序 ${u.username}`, memberships: [{ jurisdiction: j, roles: ['worker'] }] });
      expect(res.status).toBe(201);
    }
    rest = restClient(WORKER);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describe('a Camunda SDK job worker against Yishi', () => {
    it('activates with variables and headers, completes with variables seen by the instance and its next task', async () => {
      const { id, types } = await scenario('complete', { parcel: 'A-17' });
      const seen: { parcel?: unknown; layer?: unknown; retries?: number; instance?: string }[] = [];
      const worker = rest.createJobWorker({
        type: types.lookup, worker: 'gis-worker', timeout: 30_000, maxJobsToActivate: 5, pollIntervalMs: 100,
        jobHandler: (job) => {
          const { variables, customHeaders } = job as unknown as { variables: Record<string, unknown>; customHeaders: Record<string, unknown> };
          seen.push({ parcel: variables.parcel, layer: customHeaders.layer, retries: job.retries, instance: job.processInstanceKey });
          return job.complete({ owner: '张三', area: 120 });
        },
      });
      try {
        await activeAt(id, 'sms');
      } finally {
        await worker.stop();
      }
      // The instance's key is Camunda's int64 (the SDK reads it losslessly into a string).
      expect(seen).toEqual([{ parcel: 'A-17', layer: 'parcels', retries: 2, instance: expect.stringMatching(/^\d{16}$/) }]);
      const [sms] = await activate(types.sms);
      expect(sms!.variables).toMatchObject({ parcel: 'A-17', owner: '张三', area: 120 });
      await sms!.complete({ delivered: true });
      await activeAt(id, 'review');
      const view = await instance(id);
      // The SMS task's output mapping took `delivered` into smsDelivered; the lookup's result went to the process.
      expect(view.variables).toEqual({ parcel: 'A-17', owner: '张三', area: 120, smsDelivered: true });
      expect(view.history.map((h: { elementId: string }) => h.elementId)).toEqual(expect.arrayContaining(['lookup', 'sms']));
      const tasks = (await official.get(`/api/tasks?status=open&instanceId=${id}`)).body.items;
      expect(tasks.map((t: { name: string }) => t.name)).toEqual(['复核']);
      // The job is gone once completed: a second completion is Zeebe's NOT_FOUND.
      const again = await raw(`/jobs/${sms!.jobKey}/completion`, { variables: {} }, basic(WORKER));
      expect(again.status).toBe(404);
      expect(again.type).toMatch(/problem\+json/);
    });

    it('a failure with back-off keeps the job from workers until it passes; at 0 retries an incident that an official retries', async () => {
      const { id, types } = await scenario('fail');
      const [job] = await activate(types.lookup);
      expect(job!.retries).toBe(2);
      await job!.fail({ errorMessage: 'GIS 服务不可用', retries: 1, retryBackOff: 1500 });
      const failedAt = Date.now();
      expect(await activate(types.lookup)).toEqual([]);
      // Not open while backing off: Zeebe answers INVALID_STATE.
      expect((await raw(`/jobs/${job!.jobKey}/completion`, {}, basic(WORKER))).status).toBe(409);
      const [again] = await activate(types.lookup, { requestTimeout: 5000 });
      expect(Date.now() - failedAt).toBeGreaterThanOrEqual(1400);
      expect(again!.jobKey).toBe(job!.jobKey);
      expect(again!.retries).toBe(1);
      await again!.fail({ errorMessage: 'GIS 仍不可用', retries: 0 });
      const stuck = await instance(id);
      expect(stuck.status).toBe('incident');
      expect(stuck.incident).toMatchObject({ elementId: 'lookup', message: expect.stringContaining('GIS 仍不可用') });
      expect(await activate(types.lookup)).toEqual([]);
      const retried = await official.post(`/api/instances/${id}/retry`, { retries: 2 });
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body.status).toBe('active');
      const [third] = await activate(types.lookup);
      expect(third!.jobKey).toBe(job!.jobKey);
      expect(third!.retries).toBe(2);
      await third!.complete({});
      await activeAt(id, 'sms');
    });

    it('a BPMN error thrown by the worker is caught by the error boundary event, with its variables', async () => {
      const { id, types } = await scenario('error');
      const [lookup] = await activate(types.lookup);
      await lookup!.complete({});
      const [sms] = await activate(types.sms);
      await sms!.error({ errorCode: 'SMS_FAILED', errorMessage: '号码为空', variables: { reason: '无号码' } });
      await activeAt(id, 'call');
      const view = await instance(id);
      expect(view.status).toBe('active');
      expect(view.variables.reason).toBe('无号码');
      expect((await official.get(`/api/tasks?status=open&instanceId=${id}`)).body.items.map((t: { name: string }) => t.name)).toEqual(['电话联系']);
    });

    it('an error code nobody catches is an incident; retrying makes the job activatable again', async () => {
      const { id, types } = await scenario('uncaught');
      const [lookup] = await activate(types.lookup);
      await lookup!.error({ errorCode: 'NO_SUCH_CODE', errorMessage: '未知', variables: {} });
      const view = await instance(id);
      expect(view.status).toBe('incident');
      expect(view.incident.message).toContain('NO_SUCH_CODE');
      expect((await official.post(`/api/instances/${id}/retry`, {})).body.status).toBe('active');
      const [again] = await activate(types.lookup);
      expect(again!.jobKey).toBe(lookup!.jobKey);
      expect(again!.retries).toBe(1);
    });

    it('a job out of retries stops only its element: the parallel task goes on, and the official retries that element', async () => {
      const key = 'jobs-parallel';
      const type = 'parallel-lookup';
      expect((await official.put(`/api/processes/town-a/${key}`, { xml: parallelDiagram(key, type), baseVersion: 0 })).status).toBe(201);
      const id = (await official.post('/api/instances', { jurisdiction: 'town-a', processKey: key, variables: {} })).body.id as string;
      const [job] = await activate(type);
      await job!.fail({ errorMessage: 'GIS service unavailable', retries: 0 });
      const stuck = await instance(id);
      expect(stuck.status).toBe('incident');
      const lookup = stuck.active.find((a: { elementId: string }) => a.elementId === 'lookup');
      expect(lookup.incident).toMatchObject({ message: '外部服务多次处理失败，已停止重试（GIS service unavailable）', ref: expect.any(String) });
      expect(stuck.history).toContainEqual(expect.objectContaining({ type: 'Incident', elementId: 'lookup', name: '地块查询' }));
      // The other branch's task is open and completes while the incident stands.
      const [task] = (await official.get(`/api/tasks?status=open&instanceId=${id}`)).body.items;
      expect(task.name).toBe('登记');
      expect((await official.post(`/api/tasks/${task.id}/complete`, { data: {} })).status).toBe(200);
      const waiting = await instance(id);
      expect(waiting.status).toBe('incident');
      expect(waiting.active).toEqual([{ elementId: 'lookup', name: '地块查询', incident: lookup.incident }]);
      expect((await official.post(`/api/instances/${id}/retry`, { ref: 'no-such-element' })).status).toBe(409);
      const retried = await official.post(`/api/instances/${id}/retry`, { ref: lookup.incident.ref, retries: 1 });
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body).toMatchObject({ status: 'active', active: [{ elementId: 'lookup', name: '地块查询' }] });
      const [again] = await activate(type);
      expect(again!.jobKey).toBe(job!.jobKey);
      await again!.complete({});
      await waitFor(async () => (await instance(id)).status === 'completed', 10_000, `${id} completed`);
    });

    it('a job whose worker does not answer before its timeout is activated again, with its retries', async () => {
      const { id, types } = await scenario('timeout');
      const [first] = await activate(types.lookup, { timeout: 700 });
      expect(await activate(types.lookup)).toEqual([]);
      const [second] = await activate(types.lookup, { timeout: 30_000, requestTimeout: 5000 });
      expect(second!.jobKey).toBe(first!.jobKey);
      expect(second!.retries).toBe(2);
      await second!.complete({});
      await activeAt(id, 'sms');
    });

    it('a worker extends its timeout and changes the retries (PATCH /jobs/:jobKey)', async () => {
      const { id, types } = await scenario('update');
      const [job] = await activate(types.lookup, { timeout: 600 });
      await job!.modifyJobTimeout({ newTimeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 800));
      expect(await activate(types.lookup)).toEqual([]);
      await rest.updateJob({ jobKey: job!.jobKey, retries: 5, timeout: 1 });
      await new Promise((r) => setTimeout(r, 20));
      const [again] = await activate(types.lookup);
      expect([again!.jobKey, again!.retries]).toEqual([job!.jobKey, 5]);
      await again!.complete({});
      await activeAt(id, 'sms');
      const gone = await fetch(`${server.url}/camunda/v2/jobs/${job!.jobKey}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: basic(WORKER) }, body: JSON.stringify({ changeset: { retries: 1 } }) });
      expect(gone.status).toBe(404);
    });

    it('long polling answers as soon as a job is there, and with none at the request timeout', async () => {
      const t0 = Date.now();
      expect(await activate('nothing-of-this-type', { requestTimeout: 400 })).toEqual([]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
      const key = 'jobs-poll';
      const types = { lookup: 'poll-lookup' };
      const polling = activate(types.lookup, { requestTimeout: 8000 });
      await new Promise((r) => setTimeout(r, 300));
      const deployed = Date.now();
      expect((await official.put(`/api/processes/town-a/${key}`, { xml: jobDiagram(key, types.lookup, 'poll-sms'), baseVersion: 0 })).status).toBe(201);
      expect((await official.post('/api/instances', { jurisdiction: 'town-a', processKey: key, variables: { n: 1, m: 2 } })).status).toBe(201);
      const [job] = await polling;
      expect(Date.now() - deployed).toBeLessThan(3000);
      expect(job!.type).toBe(types.lookup);
      // fetchVariable narrows what a job carries.
      await raw(`/jobs/${job!.jobKey}/failure`, { retries: 2, errorMessage: 'again' }, basic(WORKER));
      const narrowed = await raw('/jobs/activation', { type: types.lookup, timeout: 1000, maxJobsToActivate: 1, fetchVariable: ['m'], requestTimeout: -1 }, basic(WORKER));
      expect(narrowed.body.jobs[0].variables).toEqual({ m: 2 });
    });
  });

  describe('a worker that hangs up', () => {
    it('takes no job with its abandoned long poll', async () => {
      const ctl = new AbortController();
      const polling = fetch(`${server.url}/camunda/v2/jobs/activation`, {
        method: 'POST', signal: ctl.signal, headers: { 'content-type': 'application/json', authorization: basic(WORKER) },
        body: JSON.stringify({ type: 'gone-lookup', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: 10_000 }),
      }).then(() => 'answered', () => 'aborted');
      await new Promise((r) => setTimeout(r, 300));
      ctl.abort();
      expect(await polling).toBe('aborted');
      await new Promise((r) => setTimeout(r, 100));
      const key = 'jobs-gone';
      expect((await official.put(`/api/processes/town-a/${key}`, { xml: jobDiagram(key, 'gone-lookup', 'gone-sms'), baseVersion: 0 })).status).toBe(201);
      expect((await official.post('/api/instances', { jurisdiction: 'town-a', processKey: key })).status).toBe(201);
      const [job] = await activate('gone-lookup', { requestTimeout: 3000 });
      expect(job!.type).toBe('gone-lookup');
    });
  });

  describe('service accounts', () => {
    it('401 without credentials or with a wrong password, with a basic challenge', async () => {
      const none = await raw('/jobs/activation', { type: 'x', timeout: 1000, maxJobsToActivate: 1 });
      expect(none.status).toBe(401);
      expect(none.type).toMatch(/problem\+json/);
      expect(none.challenge).toMatch(/^Basic/);
      expect((await raw('/jobs/activation', { type: 'x', timeout: 1000, maxJobsToActivate: 1 }, basic({ ...WORKER, password: 'wrong-password' }))).status).toBe(401);
    });

    it('403 for an account without the worker role, and for another jurisdiction’s job', async () => {
      const staff = await raw('/jobs/activation', { type: 'x', timeout: 1000, maxJobsToActivate: 1 }, basic({ username: 'town-a.staff', password: 'yishi-demo-2026' }));
      expect(staff.status).toBe(403);
      const { types } = await scenario('jurisdiction');
      // town-b's worker does not see town-a's job, nor may it answer it.
      const other = restClient(OTHER);
      expect(await other.activateJobs({ type: types.lookup, worker: 'b', timeout: 1000, maxJobsToActivate: 5, requestTimeout: -1 })).toEqual([]);
      const [job] = await activate(types.lookup);
      const refused = await raw(`/jobs/${job!.jobKey}/completion`, { variables: {} }, basic(OTHER));
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/辖区/);
    });

    it('broadcast signals in their own jurisdictions (the tenant), with Camunda\'s answer', async () => {
      const xml = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/deploy/signal-catch-boundary-event-subprocess.bpmn'), 'utf8');
      expect((await official.put('/api/processes/town-a/signal-events', { xml, baseVersion: 0 })).status).toBe(201);
      const started = await official.post('/api/instances', { jurisdiction: 'town-a', processKey: 'signal-events', variables: {} });
      const answer = await restClient(WORKER).broadcastSignal({ signalName: 'go', variables: { by: 'gis' }, tenantId: 'town-a' });
      expect(answer).toMatchObject({ tenantId: 'town-a' });
      expect(String(answer.signalKey)).toMatch(/^\d+$/);
      await activeAt(started.body.id, 'after');
      expect((await instance(started.body.id)).variables).toMatchObject({ by: 'gis' });
      expect((await raw('/signals/broadcast', { signalName: 'stop', tenantId: 'town-a' }, basic(OTHER))).status).toBe(403);
      expect((await raw('/signals/broadcast', { signalName: 'stop' }, basic(WORKER))).status).toBe(400);
      expect((await instance(started.body.id)).active.map((a: { elementId: string }) => a.elementId)).toContain('work');
    });

    it('bearer tokens: issued by an admin where they are admin, shown once, scoped to jurisdictions, audited, revocable', async () => {
      const townAdmin = await Client.signIn(server.url, 'town-a.admin');
      expect((await official.post('/api/service-tokens', { name: 'GIS', jurisdictions: ['town-a'] })).status).toBe(403);
      expect((await townAdmin.post('/api/service-tokens', { name: 'GIS', jurisdictions: ['town-b'] })).status).toBe(403);
      const bad = await townAdmin.post('/api/service-tokens', { name: '', jurisdictions: [] });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['/name', '/jurisdictions']);
      const issued = await townAdmin.post('/api/service-tokens', { name: '地块查询服务', jurisdictions: ['town-a'] });
      expect(issued.status).toBe(201);
      expect(issued.body.token).toMatch(/^yishi_[\w-]{40,}$/);
      const listed = (await townAdmin.get('/api/service-tokens')).body;
      expect(listed).toEqual([expect.objectContaining({ id: issued.body.id, name: '地块查询服务', jurisdictions: ['town-a'], createdBy: 'town-a.admin', revokedAt: null })]);
      expect(JSON.stringify(listed)).not.toContain(issued.body.token);
      expect(listed[0]).not.toHaveProperty('tokenHash');

      const { id, types } = await scenario('bearer');
      const viaToken = new Camunda8({
        ZEEBE_REST_ADDRESS: `${server.url}/camunda`, CAMUNDA_AUTH_STRATEGY: 'BEARER', CAMUNDA_OAUTH_TOKEN: issued.body.token, CAMUNDA_LOG_LEVEL: 'error',
      }).getCamundaRestClient();
      const [job] = await viaToken.activateJobs({ type: types.lookup, worker: 'token-worker', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
      await job!.complete({ viaToken: true });
      await activeAt(id, 'sms');
      const audit = (await townAdmin.get(`/api/audit?instanceId=${id}`)).body.items;
      expect(audit.find((a: { action: string }) => a.action === 'job.complete')).toMatchObject({ actor: 'token:地块查询服务' });

      expect((await townAdmin.del(`/api/service-tokens/${issued.body.id}`)).status).toBe(204);
      const revoked = await raw('/jobs/activation', { type: types.sms, timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 }, `Bearer ${issued.body.token}`);
      expect(revoked.status).toBe(401);
      const trail = (await townAdmin.get('/api/audit?jurisdiction=town-a&limit=200')).body.items.map((a: { action: string }) => a.action);
      expect(trail).toEqual(expect.arrayContaining(['serviceToken.issue', 'serviceToken.revoke']));
    });

    it('keys are JSON int64 numbers as in Camunda 8.6; each activation that takes jobs is audited once, with the keys of its instances', async () => {
      const one = await scenario('keys-1');
      const two = await scenario('keys-2');
      await official.post('/api/instances', { jurisdiction: 'town-a', processKey: 'jobs-keys-1', variables: {} });
      const townAdmin = await Client.signIn(server.url, 'town-a.admin');
      const trail = async () => (await townAdmin.get('/api/audit?jurisdiction=town-a&limit=200')).body.items.filter((a: { action: string }) => a.action === 'job.activate');
      const before = (await trail()).length;
      const empty = await raw('/jobs/activation', { type: 'keys-nobody', timeout: 1000, maxJobsToActivate: 5, requestTimeout: -1 }, basic(WORKER));
      expect(empty.body.jobs).toEqual([]);
      const taken = await raw('/jobs/activation', { type: one.types.lookup, worker: 'keys-worker', timeout: 5000, maxJobsToActivate: 5, requestTimeout: -1 }, basic(WORKER));
      expect(taken.body.jobs).toHaveLength(2);
      for (const job of taken.body.jobs) {
        for (const k of ['jobKey', 'processInstanceKey', 'processDefinitionKey', 'elementInstanceKey', 'deadline']) expect(Number.isSafeInteger(job[k]), k).toBe(true);
        // Zeebe's keys carry the partition above bit 51: partition 1, as /topology says.
        expect(Math.floor(job.processInstanceKey / 2 ** 51)).toBe(1);
      }
      const [a, b] = taken.body.jobs;
      expect(a.processInstanceKey).not.toBe(b.processInstanceKey);
      expect(a.processDefinitionKey).toBe(b.processDefinitionKey);
      const [other] = (await raw('/jobs/activation', { type: two.types.lookup, timeout: 5000, maxJobsToActivate: 5, requestTimeout: -1 }, basic(WORKER))).body.jobs;
      expect(other.processDefinitionKey).not.toBe(a.processDefinitionKey);

      const entries = await trail();
      expect(entries).toHaveLength(before + 2);
      const entry = entries.find((e: { detail: { jobs: { jobKey: string }[] } }) => e.detail.jobs.some((j) => j.jobKey === String(a.jobKey)));
      expect(entry).toMatchObject({ actor: WORKER.username, jurisdiction: 'town-a', targetType: 'jobType', targetId: one.types.lookup, detail: { worker: 'keys-worker', timeout: 5000 } });
      expect(entry.detail.jobs).toHaveLength(2);
      // The entry reads a Camunda key back to the instance.
      const mine = entry.detail.jobs.find((j: { instanceId: string }) => j.instanceId === one.id);
      expect(mine.elementId).toBe('lookup');
      expect(taken.body.jobs.map((j: { processInstanceKey: number }) => j.processInstanceKey)).toContain(mine.processInstanceKey);
    });

    it('400 for a malformed activation, 404 for an unknown job, with problem documents', async () => {
      const bad = await raw('/jobs/activation', { type: '', timeout: 1000, maxJobsToActivate: 1 }, basic(WORKER));
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('/type');
      expect((await raw('/jobs/123456789/completion', {}, basic(WORKER))).status).toBe(404);
      expect((await raw('/jobs/not-a-key/failure', { retries: 1 }, basic(WORKER))).status).toBe(404);
    });
  });

  describe('jobs in the store', () => {
    it('survive a restart: an activated job times out and is taken again, with its retries', async () => {
      const { id, types } = await scenario('restart');
      const [job] = await activate(types.lookup, { timeout: 1000 });
      await job!.fail({ errorMessage: '稍后再试', retries: 1, retryBackOff: 0 });
      const [taken] = await activate(types.lookup, { timeout: 1000 });
      await server.stop();
      server = await startServer({ dataDir: server.dataDir, env: storeEnv });
      official = await Client.signIn(server.url, 'town-a.official');
      rest = restClient(WORKER);
      const [again] = await activate(types.lookup, { requestTimeout: 5000 });
      // The same keys after a restart: derived from the ids, not counted by a server.
      expect(again).toMatchObject({ jobKey: taken!.jobKey, retries: 1, processInstanceKey: taken!.processInstanceKey });
      await again!.complete({ checked: true });
      await activeAt(id, 'sms');
      expect((await instance(id)).variables).toEqual({ checked: true });
    }, 60_000);
  });
}
