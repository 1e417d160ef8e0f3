// Migrating running instances (POST /api/instances/migrate): 50 instances waiting on an unchanged
// task move to version 2 by the automatic mapping (dry run first: same verdicts, nothing changed);
// one waiting on a task version 2 renamed is refused and untouched until a mapping names its
// counterpart; migrated instances then run version 2's flow; every migration is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';

let server: Server;
let admin: Client;
/** Works the tasks (admins start and migrate, staff complete). */
let staff: Client;

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const task = (id: string, name: string) =>
  `<bpmn:userTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:formDefinition formKey="check-form" /><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements></bpmn:userTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const diagram = (second: string, name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="mig-defs" targetNamespace="http://yishi.example/test">
  <bpmn:process id="mig" name="迁移测试" isExecutable="true">
    <bpmn:startEvent id="start" />${task('first', '受理')}${task(second, name)}<bpmn:endEvent id="end" />
    ${flow('f1', 'start', 'first')}${flow('f2', 'first', second)}${flow('f3', second, 'end')}
  </bpmn:process>
</bpmn:definitions>`;
const data = { kind: 'b', count: 1, expected: 3, present: 3 };

beforeAll(async () => {
  server = await startServer();
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  staff = await Client.signIn(server.url, 'root.staff');
});
afterAll(async () => {
  await server?.stop();
});

async function openTask(instanceId: string) {
  return (await admin.all(`/api/tasks?status=open&limit=200`)).find((t: any) => t.instanceId === instanceId);
}

describe('POST /api/instances/migrate', () => {
  it('migrates 50 instances (dry run, then real), refuses the one it cannot map, then maps it explicitly', { timeout: 120_000 }, async () => {
    expect((await admin.put('/api/processes/root/mig', { xml: diagram('second', '审核'), baseVersion: 0 })).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) ids.push((await admin.post('/api/instances', { jurisdiction: 'root', processKey: 'mig' })).body.id);
    const ahead = ids[50];
    const t = await openTask(ahead);
    expect((await staff.post(`/api/tasks/${t.id}/complete`, { data })).status).toBe(200);
    expect((await admin.get(`/api/instances/${ahead}`)).body.active.map((a: any) => a.elementId)).toEqual(['second']);
    expect((await admin.put('/api/processes/root/mig', { xml: diagram('review', '复核'), baseVersion: 1 })).status).toBe(201);

    const request = { jurisdiction: 'root', processKey: 'mig', fromVersion: 1, toVersion: 2 };
    const dry = await admin.post('/api/instances/migrate?dryRun=true', request);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.migrated.sort()).toEqual(ids.slice(0, 50).sort());
    expect(dry.body.refused).toEqual([{ id: ahead, reason: expect.stringContaining('审核') }]);
    expect((await admin.get(`/api/instances/${ids[0]}`)).body.version).toBe(1);

    const real = await admin.post('/api/instances/migrate', request);
    expect(real.status).toBe(200);
    expect(real.body.migrated.sort()).toEqual(ids.slice(0, 50).sort());
    expect(real.body.refused.map((r: any) => r.id)).toEqual([ahead]);
    const refused = (await admin.get(`/api/instances/${ahead}`)).body;
    expect(refused).toMatchObject({ version: 1, status: 'active', active: [{ elementId: 'second' }] });

    // A migrated instance keeps its open task and goes on along version 2.
    const moved = (await admin.get(`/api/instances/${ids[7]}`)).body;
    expect(moved).toMatchObject({ version: 2, status: 'active', active: [{ elementId: 'first' }] });
    const kept = await openTask(ids[7]);
    expect((await staff.post(`/api/tasks/${kept.id}/complete`, { data })).status).toBe(200);
    expect((await admin.get(`/api/instances/${ids[7]}`)).body.active).toEqual([expect.objectContaining({ elementId: 'review', name: '复核' })]);

    // The explicit mapping moves the refused one; its task is now the renamed one.
    const mapped = await admin.post('/api/instances/migrate', { ...request, mapping: { second: 'review' }, instanceIds: [ahead] });
    expect(mapped.body).toEqual({ migrated: [ahead], refused: [] });
    expect((await admin.get(`/api/instances/${ahead}`)).body).toMatchObject({ version: 2, active: [{ elementId: 'review' }] });
    const renamed = await openTask(ahead);
    expect(renamed).toMatchObject({ name: '复核' });
    expect((await staff.post(`/api/tasks/${renamed.id}/complete`, { data })).status).toBe(200);
    expect((await admin.get(`/api/instances/${ahead}`)).body.status).toBe('completed');

    const audit = await admin.all(`/api/audit?instanceId=${ahead}&limit=200`);
    expect(audit.find((a: any) => a.action === 'instance.migrate')).toMatchObject({ actor: 'admin', detail: { fromVersion: 1, toVersion: 2, mapping: { second: 'review' } } });
  });

  it('refuses malformed requests and people who may not change diagrams', async () => {
    const bad = await admin.post('/api/instances/migrate', { jurisdiction: 'root', processKey: 'mig', fromVersion: 'one', mapping: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['/fromVersion', '/mapping', '/toVersion']);
    expect((await staff.post('/api/instances/migrate', { jurisdiction: 'root', processKey: 'mig', fromVersion: 1, toVersion: 2 })).status).toBe(403);
  });
});
