// Embedded engine v2 through real HTTP: 会签 assigned to each signer, call activities, timer starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, waitFor, type Server } from '../support/server.js';

let server: Server;
let admin: Client;
let staff: Client;
let official: Client;

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const diagram = (id: string, name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="${name}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

async function deploy(jurisdiction: string, key: string, xml: string) {
  const current = await official.get(`/api/processes/${jurisdiction}/${key}/versions`);
  const baseVersion = current.status === 200 ? Math.max(0, ...current.body.map((v: { version: number }) => v.version)) : 0;
  const res = await official.put(`/api/processes/${jurisdiction}/${key}`, { xml, baseVersion });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const tasksOf = async (c: Client, instanceId: string, status = 'open') =>
  (await c.get(`/api/tasks?status=${status}&limit=200&instanceId=${instanceId}`)).body.items;

async function signer(username: string) {
  const user = { username, displayName: username, password: 'long-enough-password', memberships: [{ jurisdiction: 'town-a', roles: ['council'] }] };
  expect((await admin.post('/api/users', user)).status).toBe(201);
  return Client.signIn(server.url, username, user.password);
}

beforeAll(async () => {
  server = await startServer();
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  staff = await Client.signIn(server.url, 'town-a.staff');
  official = await Client.signIn(server.url, 'town-a.official');
});
afterAll(async () => {
  await server?.stop();
});

describe('会签: each signer is the assignee of their own task', () => {
  const countersign = diagram('countersign', '会签', `
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sign"/>
    <bpmn:userTask id="sign" name="会签">
      <bpmn:extensionElements><zeebe:assignmentDefinition assignee="=signer" candidateGroups="official"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=signers" inputElement="signer"/></bpmn:extensionElements>
        <bpmn:completionCondition>=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="sign" targetRef="after"/>
    <bpmn:userTask id="after" name="归档"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>`);

  it('assigns the three tasks, lets only each signer (or an official) work on theirs, and closes the third after two', async () => {
    await deploy('town-a', 'countersign', countersign);
    const [a, b] = [await signer('signer.a'), await signer('signer.b')];
    await signer('signer.c');
    const started = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'countersign', variables: { signers: ['signer.a', 'signer.b', 'signer.c'] } });
    expect(started.status).toBe(201);
    const id = started.body.id;
    const tasks = await tasksOf(staff, id);
    expect(tasks.map((t: any) => t.assignee).sort()).toEqual(['signer.a', 'signer.b', 'signer.c']);
    const mine = (who: string) => tasks.find((t: any) => t.assignee === who);
    // signer.a holds no candidate group, yet may work on their own task, and only on it.
    expect((await a.get('/api/tasks?assignee=me&status=open')).body.items.map((t: any) => t.id)).toEqual([mine('signer.a').id]);
    expect((await a.post(`/api/tasks/${mine('signer.b').id}/complete`, { data: {} })).status).toBe(403);
    expect((await staff.post(`/api/tasks/${mine('signer.a').id}/complete`, { data: {} })).status).toBe(403);
    expect((await a.post(`/api/tasks/${mine('signer.a').id}/claim`, {})).status).toBe(200);
    expect((await a.post(`/api/tasks/${mine('signer.a').id}/complete`, { data: { opinion: '同意' } })).status).toBe(200);
    expect((await b.post(`/api/tasks/${mine('signer.b').id}/complete`, { data: { opinion: '同意' } })).status).toBe(200);
    const third = (await official.get(`/api/tasks/${mine('signer.c').id}`)).body;
    expect(third.status).toBe('cancelled');
    expect((await tasksOf(staff, id)).map((t: any) => [t.elementId, t.assignee])).toEqual([['after', null]]);
  });
});

describe('call activities: the child is an instance of its own, linked to its parent', () => {
  const task = (id: string, name: string, from: string, to: string) =>
    `<bpmn:userTask id="${id}" name="${name}"><bpmn:incoming>${from}</bpmn:incoming><bpmn:outgoing>${to}</bpmn:outgoing></bpmn:userTask>`;
  const child = diagram('called-work', '被调用的流程', `
    <bpmn:startEvent id="cs"><bpmn:outgoing>c1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="c1" sourceRef="cs" targetRef="work"/>${task('work', '子流程办理', 'c1', 'c2')}
    <bpmn:sequenceFlow id="c2" sourceRef="work" targetRef="ce"/>
    <bpmn:endEvent id="ce"><bpmn:incoming>c2</bpmn:incoming></bpmn:endEvent>`);
  const parent = diagram('caller', '调用方', `
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
    <bpmn:callActivity id="call" name="调用子流程">
      <bpmn:extensionElements><zeebe:calledElement processId="called-work"/>
        <zeebe:ioMapping><zeebe:input source="=amount * 2" target="budget"/></zeebe:ioMapping></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:callActivity>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="after"/>${task('after', '收尾', 'f2', 'f3')}
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="e"/>
    <bpmn:endEvent id="e"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>`);

  beforeAll(async () => {
    // The called process lives at the root: found from town-a through its jurisdiction's chain.
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const res = await admin.put('/api/processes/root/called-work', { xml: child, baseVersion: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await deploy('town-a', 'caller', parent);
  });

  async function startCaller() {
    const res = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'caller', variables: { amount: 5 } });
    expect(res.status).toBe(201);
    expect(res.body.children).toHaveLength(1);
    const childView = (await staff.get(`/api/instances/${res.body.children[0].id}`)).body;
    return { parent: res.body, child: childView };
  }

  it('starts the child with the parent variables and its inputs; its end brings its variables back and moves the parent on', async () => {
    const { parent: p, child: c } = await startCaller();
    expect(c).toMatchObject({ processKey: 'called-work', definedAt: 'root', jurisdiction: 'town-a', status: 'active', parentId: p.id, variables: { amount: 5, budget: 10 } });
    expect(p.children[0]).toMatchObject({ id: c.id, processKey: 'called-work', status: 'active' });
    expect(await tasksOf(staff, p.id)).toEqual([]);
    const [work] = await tasksOf(staff, c.id);
    expect(work.elementId).toBe('work');
    expect((await staff.post(`/api/tasks/${work.id}/complete`, { data: { result: '办结' } })).status).toBe(200);
    const [after] = await waitFor(async () => (await tasksOf(staff, p.id)).length && tasksOf(staff, p.id), 5000, 'the parent moves on');
    expect(after.elementId).toBe('after');
    const view = (await staff.get(`/api/instances/${p.id}`)).body;
    // budget is the call's local (its input mapping): as on Zeebe, the child's copy comes back to it, not to the process.
    expect(view.variables).toEqual({ amount: 5, result: '办结' });
    expect(view.children[0]).toMatchObject({ id: c.id, status: 'completed' });
  });

  it('cancels the child with its parent, and refuses to cancel the child alone', async () => {
    const { parent: p, child: c } = await startCaller();
    expect((await official.post(`/api/instances/${c.id}/cancel`, {})).status).toBe(409);
    expect((await official.post(`/api/instances/${p.id}/cancel`, {})).status).toBe(200);
    const childView = (await staff.get(`/api/instances/${c.id}`)).body;
    expect(childView.status).toBe('cancelled');
    expect((await tasksOf(staff, c.id, 'cancelled')).map((t: any) => t.elementId)).toEqual(['work']);
  });
});
