// Zeebe mode as an exact mirror of the broker (issue 12): what Zeebe does by itself — an
// interrupting timer, a cancel from outside, an incident of its own — shows in Yishi, from the
// records of the Yishi exporter. Own broker and server: no other adapter consumes these records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../support/broker.js';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { instance, startInstance } from '../support/walk.js';
import { dmn } from '../support/dmn.js';
import { diagram, importProcesses, processInstanceKey, tasksOf, userTask, zeebeClient } from '../support/zeebe.js';

const J = `zm-${process.pid}`;
const BOUNDARY = diagram('boundary', {
  s: 'startEvent',
  t: `userTask${userTask('审核')}`,
  b: 'boundaryEvent attachedToRef="t" name="两秒到期"||<bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition>',
  done: 'endEvent',
  late: 'endEvent name="超时结束"',
}, [['f1', 's', 't'], ['f2', 't', 'done'], ['f3', 'b', 'late']]);
const PLAIN = diagram('plain', { s: 'startEvent', t: `userTask${userTask('登记')}`, e: 'endEvent' }, [['f1', 's', 't'], ['f2', 't', 'e']]);
const CONDITION = diagram('condition', {
  s: 'startEvent',
  g: 'exclusiveGateway name="金额判断"',
  big: `userTask${userTask('大额审批')}`,
  small: `userTask${userTask('小额登记')}`,
  e1: 'endEvent', e2: 'endEvent',
}, [['f1', 's', 'g'], ['toBig', 'g', 'big', '=amount &gt; 10'], ['toSmall', 'g', 'small', '=amount &lt;= 10'], ['f2', 'big', 'e1'], ['f3', 'small', 'e2']]);
const DECISION = `matterClass${process.pid}`;
const RULES = diagram('rules', {
  s: 'startEvent',
  d: `businessRuleTask name="判定类别"|<bpmn:extensionElements><zeebe:calledDecision decisionId="${DECISION}" resultVariable="matterClass" /></bpmn:extensionElements>`,
  t: `userTask${userTask('处理')}`,
  e: 'endEvent',
}, [['f1', 's', 'd'], ['f2', 'd', 't'], ['f3', 't', 'e']]);

const CALLER = diagram('caller', {
  s: 'startEvent',
  call: 'callActivity name="调用办理流程"|<bpmn:extensionElements><zeebe:calledElement processId="callee" propagateAllChildVariables="true" /></bpmn:extensionElements>',
  after: `userTask${userTask('复核')}`,
  e: 'endEvent',
}, [['f1', 's', 'call'], ['f2', 'call', 'after'], ['f3', 'after', 'e']]);
const CALLEE = diagram('callee', { s: 'startEvent', t: `userTask${userTask('办理')}`, e: 'endEvent' }, [['f1', 's', 't'], ['f2', 't', 'e']]);

const TIMED = diagram('timed', {
  s: 'startEvent name="每秒发起"||<bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition>',
  t: `userTask${userTask('例会')}`,
  e: 'endEvent',
}, [['f1', 's', 't'], ['f2', 't', 'e']]);

let broker: Broker;
let server: Server;
let staff: Client;
let admin: Client;

beforeAll(async () => {
  broker = await startBroker();
  server = await startServer({ contentDir: ROOT, env: broker.serverEnv });
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  staff = await Client.signIn(server.url, 'national.staff');
  await importProcesses(admin, J, { boundary: BOUNDARY, plain: PLAIN, condition: CONDITION, caller: CALLER, callee: CALLEE, timed: TIMED, rules: RULES });
}, 240_000);
afterAll(async (suite) => {
  if (suite.tasks.some((t) => t.result?.state === 'fail')) console.log(server?.output().slice(-4000));
  await server?.stop();
  await broker?.stop();
});

const until = <T>(what: string, fn: () => Promise<T | false | undefined>, ms = 15_000) => waitFor(fn, ms, what);

describe('the Yishi exporter', () => {
  it('serves records and takes acknowledgements only with the shared token (401 otherwise)', async () => {
    const pull = (authorization?: string) => fetch(`${broker.exporterUrl}/records?after=&max=1`, { headers: authorization ? { authorization } : {} });
    expect((await pull()).status).toBe(401);
    expect((await pull(`Bearer ${broker.exporterToken}x`)).status).toBe(401);
    expect((await pull(broker.exporterToken)).status).toBe(401);
    expect((await fetch(`${broker.exporterUrl}/ack?positions=1:999999`, { method: 'POST' })).status).toBe(401);
    expect((await pull(`Bearer ${broker.exporterToken}`)).status).toBe(200);
  });
});

describe('Zeebe mode mirrors the broker', () => {
  it('closes the task and ends the instance within 2 s of an interrupting boundary timer', async () => {
    const inst = await startInstance(staff, J, 'boundary');
    const open = await until('the task to open', async () => (await tasksOf(staff, inst.id)).find((t) => t.status === 'open'));
    expect(open.elementId).toBe('t');
    const view = await instance(staff, inst.id);
    const timer = view.active.find((a: any) => a.elementId === 'b');
    expect(timer, JSON.stringify(view.active)).toMatchObject({ name: '两秒到期' });
    const dueAt = Date.parse(timer.dueAt);
    const ended = await until('the instance to end', async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'completed' && v;
    });
    const lag = Date.now() - dueAt;
    console.log(`interrupting timer: due ${timer.dueAt}, instance ended in Yishi ${lag} ms after`);
    expect(lag).toBeLessThan(2000);
    expect((await tasksOf(staff, inst.id)).map((t) => t.status)).toEqual(['cancelled']);
    expect(ended.active).toEqual([]);
    expect(ended.history.map((h: any) => [h.elementId, h.type])).toEqual(expect.arrayContaining([['b', 'BoundaryEvent'], ['late', 'EndEvent']]));
    expect(ended.history.find((h: any) => h.elementId === 'b').name).toBe('两秒到期');
  });

  it('shows the process a call activity starts as its own instance, linked to its caller both ways', async () => {
    const parent = await startInstance(staff, J, 'caller', { topic: '修路' });
    const link = await until('the called instance', async () => (await instance(staff, parent.id)).children?.[0]);
    expect(link).toMatchObject({ processKey: 'callee', status: 'active' });
    const child = await until('the called instance to open its task', async () => {
      const v = await instance(staff, link.id);
      return v.active?.length && v;
    });
    expect(child).toMatchObject({ parentId: parent.id, processKey: 'callee', jurisdiction: J, variables: { topic: '修路' } });
    const [task] = (await tasksOf(staff, link.id)).filter((t) => t.status === 'open');
    expect(task.elementId).toBe('t');
    expect((await tasksOf(staff, parent.id)).filter((t) => t.status === 'open')).toEqual([]);
    expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: { fixed: true } })).status).toBe(200);
    const done = await until('the called instance to end', async () => {
      const v = await instance(staff, link.id);
      return v.status === 'completed' && v;
    });
    expect(done.history.map((h: any) => h.elementId)).toEqual(['s', 't', 'e']);
    const back = await until('the caller to go on', async () => {
      const v = await instance(staff, parent.id);
      return v.active.some((a: any) => a.elementId === 'after') && v;
    });
    expect(back.variables).toMatchObject({ topic: '修路', fixed: true });
    expect(back.history.map((h: any) => `${h.type}:${h.elementId}`)).toEqual(['StartEvent:s', 'CallActivity:call']);
    expect(back.children).toEqual([expect.objectContaining({ id: link.id, status: 'completed' })]);
  });

  it('cancels the called instance and its task with its caller', async () => {
    const parent = await startInstance(staff, J, 'caller', { topic: '修桥' });
    const link = await until('the called task', async () => {
      const c = (await instance(staff, parent.id)).children?.[0];
      return c && (await tasksOf(staff, c.id)).some((t) => t.status === 'open') && c;
    });
    const res = await admin.post(`/api/instances/${parent.id}/cancel`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const child = await until('the called instance to be cancelled', async () => {
      const v = await instance(staff, link.id);
      return v.status === 'cancelled' && v;
    });
    expect(child.parentId).toBe(parent.id);
    expect((await tasksOf(staff, link.id)).map((t) => t.status)).toEqual(['cancelled']);
    expect((await instance(staff, parent.id)).status).toBe('cancelled');
  });

  it('starts a timer-start process per its schedule where it is in effect, each instance on the broker (R2: exactly two)', async () => {
    const list = async () => (await staff.get(`/api/instances?jurisdiction=${J}&processKey=timed&limit=50`)).body.items as any[];
    const started = await until('two timer-started instances', async () => {
      const items = await list();
      return items.length >= 2 && items;
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await list()).toHaveLength(2);
    for (const i of started) {
      const v = await until('its task', async () => {
        const view = await instance(staff, i.id);
        return view.active.length && view;
      });
      expect(v).toMatchObject({ startedBy: 'system', status: 'active', active: [expect.objectContaining({ elementId: 't', name: '例会' })] });
      expect(v.history.map((h: any) => `${h.type}:${h.elementId}:${h.name}`)).toEqual(['StartEvent:s:每秒发起']);
    }
    // The instances run on the broker: a task completes there and the case ends.
    const [task] = (await tasksOf(staff, started[0].id)).filter((t) => t.status === 'open');
    expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: {} })).status).toBe(200);
    await until('the end', async () => (await instance(staff, started[0].id)).status === 'completed');
  });

  it('ends the instance and its task when it is cancelled directly in Zeebe', async () => {
    const inst = await startInstance(staff, J, 'plain');
    await until('the task to open', async () => (await tasksOf(staff, inst.id)).find((t) => t.status === 'open'));
    const zeebe = zeebeClient(broker.address);
    await zeebe.cancelProcessInstance(processInstanceKey(server, inst.id));
    await zeebe.close();
    const cancelled = await until('the instance to be cancelled', async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'cancelled' && v;
    });
    expect(cancelled.endedAt).toBeTruthy();
    expect((await tasksOf(staff, inst.id)).map((t) => t.status)).toEqual(['cancelled']);
  });

  it('shows an incident Zeebe raises (a FEEL error in a condition) and retries it with corrected data', async () => {
    const inst = await startInstance(staff, J, 'condition', { amount: 'viel' });
    const failed = await until('the incident', async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'incident' && v;
    });
    expect(failed.incident.elementId).toBe('g');
    expect(failed.incident.message).toMatch(/^表达式求值失败 \(EXTRACT_VALUE_ERROR\): .*amount/);
    expect(failed.history.map((h: any) => h.type)).toContain('Incident');
    // The case page shows it on its element; the retry names that element.
    const at = failed.active.find((a: any) => a.elementId === 'g');
    expect(at.incident).toMatchObject({ ref: expect.any(String), message: failed.incident.message });
    const retried = await admin.post(`/api/instances/${inst.id}/retry`, { ref: at.incident.ref, variables: { amount: 20 } });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const moved = await until('the task after the gateway', async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'active' && v.active.some((a: any) => a.elementId === 'big') && v;
    });
    expect(moved.incident).toBeNull();
    expect(moved.variables.amount).toBe(20);
    const open = (await tasksOf(staff, inst.id)).filter((t) => t.status === 'open');
    expect(open.map((t) => t.elementId)).toEqual(['big']);
    expect((await staff.post(`/api/tasks/${open[0].id}/complete`, { data: { approved: true } })).status).toBe(200);
    const done = await until('the end', async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'completed' && v;
    });
    // The gateway's choice is in the history: the gateway, then the branch it took, as on the embedded engine.
    const steps = done.history.filter((h: any) => h.type !== 'Incident').map((h: any) => `${h.type}:${h.elementId}`);
    expect(steps).toEqual(['StartEvent:s', 'ExclusiveGateway:g', 'UserTask:big', 'EndEvent:e1']);
    expect(done.history.find((h: any) => h.elementId === 'g' && h.type === 'ExclusiveGateway').name).toBe('金额判断');
    expect(done.history.find((h: any) => h.elementId === 'big')).toMatchObject({ by: 'national.staff', data: { approved: true } });
  });

  it('deploys the jurisdiction’s DMN document with the diagram: the broker evaluates the business rule task', async () => {
    const table = dmn('matter-class', [{
      id: DECISION, hitPolicy: 'FIRST', inputs: ['category'], outputs: [{ name: 'class' }],
      rules: [[['"基础设施管理"'], ['"大事"']], [['-'], ['"小事"']]],
    }]);
    expect((await admin.put(`/api/decisions/${J}/matter-class`, { xml: table, baseVersion: 0 })).status).toBe(201);
    const inst = await startInstance(staff, J, 'rules', { category: '基础设施管理' });
    await until('the task after the decision', async () => (await tasksOf(staff, inst.id)).find((t) => t.status === 'open' && t.elementId === 't'));
    expect((await instance(staff, inst.id)).variables.matterClass).toBe('大事');
  });
});
