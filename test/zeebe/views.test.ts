// The differential corpus through the whole product: a subset of test/differential's cases runs
// through the HTTP API on a server with the embedded engine and on one with ENGINE=zeebe (the
// mirror fed by the Yishi exporter), and the instance views must agree — the open tasks after each
// action, the history entries by element (with each completed task's data), the variables and the
// end. test/differential compares the engines through the port; this compares what an official sees.
// Own broker: no other adapter consumes these records.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../server/json.js';
import { CASES } from '../differential/cases.js';
import { choose, comparable, difference, expectationsMet, normalise, runScript, type Driver, type EndStatus, type Hint, type OpenTask } from '../differential/script.js';
import { startBroker, type Broker } from '../support/broker.js';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { importProcesses } from '../support/zeebe.js';

/**
 * The cases run here: gateways, scopes, errors, terminate ends, timers, multi-instance, mappings,
 * service handlers, cancel. Left to test/differential: messages (published with a time to live of
 * 0, which the API does not take), rule-set parameters, and call activities (the called process's
 * instance is its own Yishi instance only on the embedded engine: see docs/zeebe.md).
 */
const SUBSET = [
  'exclusive gateway: condition',
  'exclusive gateway: default flow',
  'exclusive gateway: loop back',
  'parallel gateway: fork and join',
  'inclusive gateway: two of three',
  'embedded sub-process',
  'event sub-process: error',
  'boundary error on a sub-process: thrown',
  'boundary timer on a sub-process',
  'intermediate timer catch',
  'terminate end in a parallel branch',
  'error through nested sub-processes',
  'multi-instance user task, parallel',
  'multi-instance: 2 of 3 signers suffice',
  'input/output mappings on a task',
  'service task: set-variables',
  'service tasks: notify and publish-result',
  'cancel an instance',
];
const cases = CASES.filter((c) => SUBSET.includes(c.name));
const J = `views-${process.pid}`;
const keyOf = (file: string) => path.basename(file, '.bpmn');
const ENDED = new Set(['completed', 'cancelled']);

interface View {
  status: string;
  variables: JsonObject;
  history: { elementId: string; type: string; by: string | null; data: JsonObject | null }[];
}

/** Runs a script through the HTTP API as national.staff (an admin cancels), then keeps the final view. */
class ApiDriver implements Driver {
  private id = '';
  view: View | null = null;

  constructor(
    private readonly staff: Client,
    private readonly admin: Client,
    private readonly processKey: string,
    private readonly end: EndStatus,
  ) {}

  async start(variables: JsonObject) {
    const res = await this.staff.post('/api/instances', { jurisdiction: J, processKey: this.processKey, variables });
    if (res.status !== 201) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
    this.id = res.body.id;
  }

  private async open(): Promise<{ id: string; elementId: string; locals?: JsonObject }[]> {
    return (await this.staff.get(`/api/tasks?instanceId=${this.id}&status=open&limit=200`)).body.items;
  }

  private async instance() {
    return (await this.staff.get(`/api/instances/${this.id}`)).body;
  }

  async complete(elementId: string, where: JsonObject | undefined, variables: JsonObject) {
    const task = choose(await this.open(), (t) => t.elementId, (t) => t.locals, elementId, where);
    const res = await this.staff.post(`/api/tasks/${task.id}/complete`, { data: variables });
    if (res.status !== 200) throw new Error(`complete ${elementId}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async publish(): Promise<void> {
    throw new Error('messages are not in this subset');
  }

  async signal(): Promise<void> {
    throw new Error('signals are not in this subset');
  }

  async sleep(ms: number) {
    await new Promise((r) => setTimeout(r, ms));
  }

  async cancel() {
    const res = await this.admin.post(`/api/instances/${this.id}/cancel`);
    if (res.status !== 200) throw new Error(`cancel: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** What the view shows once it shows what the script expects next (bounded: a slow broker is not a wrong one). */
  async observe(hint: Hint): Promise<OpenTask[]> {
    const read = async () => (await this.open()).map((t) => ({ elementId: t.elementId }));
    const fits = async (tasks: OpenTask[]) => {
      if (!hint) return true;
      if ('tasks' in hint) return JSON.stringify(tasks.map((t) => t.elementId).sort()) === JSON.stringify([...hint.tasks].sort());
      if ('element' in hint) return tasks.some((t) => t.elementId === hint.element);
      return ENDED.has((await this.instance()).status);
    };
    const settled = await waitFor(async () => {
      const tasks = await read();
      return (await fits(tasks)) && tasks;
    }, 10_000, 'the view the script expects').catch(() => null);
    return settled ?? read();
  }

  async finish() {
    if (this.id && ENDED.has(this.end)) await waitFor(async () => ENDED.has((await this.instance()).status), 10_000, 'the end').catch(() => null);
    const v = this.id ? await this.instance() : null;
    this.view = v && { status: v.status, variables: v.variables, history: v.history };
    return { status: (v?.status ?? 'refused') as EndStatus, variables: v?.variables ?? null };
  }
}

/** The history as an official reads it, by element: each element's entries with type, who and data; order within an element kept. */
function byElement(view: View) {
  const out: Record<string, string[]> = {};
  for (const h of view.history) (out[h.elementId] ??= []).push(JSON.stringify(normalise({ type: h.type, by: h.by, data: h.data })));
  return normalise(out);
}

let broker: Broker;
let embedded: Server;
let zeebe: Server;
const clients = new Map<Server, { staff: Client; admin: Client }>();

beforeAll(async () => {
  broker = await startBroker();
  [embedded, zeebe] = await Promise.all([
    startServer({ contentDir: ROOT }),
    startServer({ contentDir: ROOT, env: broker.serverEnv }),
  ]);
  const processes = Object.fromEntries(cases.map((c) => [keyOf(c.file), fs.readFileSync(path.join(ROOT, c.file), 'utf8')]));
  for (const server of [embedded, zeebe]) {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    await importProcesses(admin, J, processes);
    clients.set(server, { admin, staff: await Client.signIn(server.url, 'national.staff') });
  }
}, 240_000);
afterAll(async (suite) => {
  if (suite.tasks.some((t) => t.result?.state === 'fail')) console.log(zeebe?.output().slice(-4000));
  await Promise.all([embedded?.stop(), zeebe?.stop()]);
  await broker?.stop();
});

describe('the instance view is the same on both engines', () => {
  it('runs the whole subset', () => expect(cases.map((c) => c.name).sort()).toEqual([...SUBSET].sort()));

  for (const c of cases) {
    it.concurrent(c.name, async () => {
      const drive = (server: Server) => {
        const { staff, admin } = clients.get(server)!;
        const driver = new ApiDriver(staff, admin, keyOf(c.file), c.end);
        return runScript(c, driver).then((trace) => ({ trace, view: driver.view }));
      };
      const [ours, reference] = await Promise.all([drive(embedded), drive(zeebe)]);
      expect(expectationsMet(c, reference.trace), `Zeebe: ${JSON.stringify(reference.trace)}`).toEqual([]);
      expect(difference(comparable(ours.trace, false), comparable(reference.trace, false))).toBeNull();
      expect(byElement(ours.view!), 'history by element (embedded, then Zeebe)').toEqual(byElement(reference.view!));
    }, 60_000);
  }
});
