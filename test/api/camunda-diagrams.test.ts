// Diagrams drawn for Camunda 8 (test/fixtures/deploy) deployed and run through real HTTP on the
// embedded engine: a file's every executable process becomes a process of its own, a form naming no
// Yishi form deploys with a warning, script tasks run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startServer, waitFor, type Server } from '../support/server.js';

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/deploy', `${name}.bpmn`), 'utf8');

let server: Server;
let staff: Client;
let official: Client;

const tasksOf = async (instanceId: string) => (await staff.get(`/api/tasks?status=open&limit=200&instanceId=${instanceId}`)).body.items;

beforeAll(async () => {
  server = await startServer();
  staff = await Client.signIn(server.url, 'town-a.staff');
  official = await Client.signIn(server.url, 'town-a.official');
});
afterAll(async () => {
  await server?.stop();
});

describe('diagrams drawn for Camunda 8', () => {
  it('deploys every executable process of a file as its own key, in one write, and a call between them runs', async () => {
    const xml = fixture('process-calls-sibling');
    const first = await official.put('/api/processes/town-a/Process_main', { xml, baseVersion: 0 });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ key: 'Process_main', version: 1, others: [{ key: 'Process_child', name: '子流程', version: 1 }] });
    const listed = (await official.get('/api/processes?jurisdiction=town-a')).body.map((p: { key: string }) => p.key);
    expect(listed).toEqual(expect.arrayContaining(['Process_main', 'Process_child']));
    // Deployed again, both move on together; the audit names the file's main key on the other.
    const again = await official.put('/api/processes/town-a/Process_main', { xml, baseVersion: 1 });
    expect(again.body).toMatchObject({ version: 2, others: [{ key: 'Process_child', version: 2 }] });

    const started = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'Process_main', variables: { caseNo: 'C-1' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const child = started.body.children[0];
    expect(child).toMatchObject({ processKey: 'Process_child' });
    const [work] = await tasksOf(child.id);
    expect(work.elementId).toBe('Activity_c');
    expect((await staff.post(`/api/tasks/${work.id}/complete`, { data: { result: '办结' } })).status).toBe(200);
    const view = await waitFor(async () => {
      const v = (await staff.get(`/api/instances/${started.body.id}`)).body;
      return v.status === 'completed' && v;
    }, 5000, 'the main process completes');
    // propagateAllChildVariables="false": the child's result stays in the child.
    expect(view.variables).toEqual({ caseNo: 'C-1' });
  });

  it('deploys a user task with a Camunda form (embedded form-js): the form converts, so there is nothing to warn of', async () => {
    const res = await official.put('/api/processes/town-a/Process_form_embedded', { xml: fixture('form-embedded-user-task-form'), baseVersion: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.warnings ?? []).toEqual([]);
  });

  it('runs script tasks: the result variable decides the gateway after it', async () => {
    const deployed = await official.put('/api/processes/town-a/Process_script_gw', { xml: fixture('script-then-gateway'), baseVersion: 0 });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const started = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'Process_script_gw', variables: { yes: 5, no: 2 } });
    expect(started.status).toBe(201);
    expect((await tasksOf(started.body.id)).map((t: { elementId: string }) => t.elementId)).toEqual(['Activity_publish']);
    const view = (await staff.get(`/api/instances/${started.body.id}`)).body;
    expect(view.variables).toMatchObject({ yes: 5, no: 2, passed: true });
    expect(view.history.map((h: { elementId: string }) => h.elementId)).toContain('Activity_pass');
  });
});
