// Camunda 8.6's POST /v2/deployments against a Yishi server, through @camunda8/sdk's
// CamundaRestClient.deployResources (as Camunda Modeler and zbctl-style tools upload): a diagram,
// the form it links (formId) and a decision table deployed together at the tenant's jurisdiction;
// the same files again change nothing (Zeebe's duplicate check); a diagram the deploy check
// refuses rejects the whole deployment with Chinese reasons naming file and element; only officials
// of the jurisdiction deploy, and each deploy is audited as theirs.
import fs from 'node:fs';
import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import type { CamundaRestClient } from '@camunda8/sdk/dist/c8/lib/CamundaRestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, DEMO_PASSWORD, ROOT, startServer, type Server } from '../support/server.js';

let server: Server;
let official: Client;
let staff: Client;
let admin: Client;

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const diagram = (id: string, task: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="现场核查" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="inspect"/>
    ${task}
    <bpmn:sequenceFlow id="f2" sourceRef="inspect" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process></bpmn:definitions>`;
const linkedTask = `<bpmn:userTask id="inspect" name="现场核查">
      <bpmn:extensionElements><zeebe:formDefinition formId="site-inspection"/><zeebe:assignmentDefinition candidateGroups="staff"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>`;
// A script task without its expression: Zeebe refuses it, so does Yishi's deploy check.
const brokenTask = `<bpmn:scriptTask id="inspect" name="自动核查"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:scriptTask>`;

const file = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const resource = (name: string, content: string) => ({ name, content: Buffer.from(content, 'utf8') as unknown as string });

function restClient(username: string, password = DEMO_PASSWORD): CamundaRestClient {
  return new Camunda8({
    ZEEBE_REST_ADDRESS: `${server.url}/camunda`,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: username,
    CAMUNDA_BASIC_AUTH_PASSWORD: password,
    CAMUNDA_LOG_LEVEL: 'error',
  }).getCamundaRestClient();
}

/** The endpoint without the SDK, to see statuses and problem documents. */
async function post(form: FormData, authorization?: string) {
  const res = await fetch(`${server.url}/camunda/v2/deployments`, { method: 'POST', body: form, headers: authorization ? { authorization } : {} });
  return { status: res.status, type: res.headers.get('content-type'), challenge: res.headers.get('www-authenticate'), body: await res.json() };
}
const basic = (username: string, password = DEMO_PASSWORD) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const formData = (files: [string, string][], tenantId?: string) => {
  const form = new FormData();
  for (const [name, content] of files) form.append('resources', new Blob([content]), name);
  if (tenantId) form.append('tenantId', tenantId);
  return form;
};

beforeAll(async () => {
  server = await startServer();
  official = await Client.signIn(server.url, 'root.official');
  staff = await Client.signIn(server.url, 'root.staff');
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

describe('POST /camunda/v2/deployments', () => {
  it('deploys a diagram, its linked form and a decision table with the SDK; the same files again change nothing', async () => {
    const rest = restClient('root.official');
    const files = [
      resource('inspection.bpmn', diagram('site-check', linkedTask)),
      resource('site-inspection.form', file('test/fixtures/forms/site-inspection.form')),
      resource('triage-class.dmn', file('test/differential/corpus/triage-class.dmn')),
    ];
    const first = await rest.deployResources(files, 'root');
    expect(first.tenantId).toBe('root');
    expect(first.processes).toEqual([expect.objectContaining({ processDefinitionId: 'site-check', processDefinitionVersion: 1, resourceName: 'inspection.bpmn', tenantId: 'root' })]);
    // SDK 8.6 keeps a form's and a decision's whole item (its fields under `form`, `decisionDefinition`), unlike a process's.
    expect(first.forms).toMatchObject([{ form: { formId: 'site-inspection', version: 1, resourceName: 'site-inspection.form', tenantId: 'root' } }]);
    expect(first.decisionRequirements).toMatchObject([{ decisionRequirements: { decisionRequirementsId: 'triage-class', version: 1 } }]);
    expect(first.deployments.some((d) => 'decisionDefinition' in d)).toBe(true);
    expect(String(first.deploymentKey)).toMatch(/^\d+$/);

    // A case of it shows the linked form, converted from the .form file deployed beside it.
    const started = await official.post('/api/instances', { jurisdiction: 'root', processKey: 'site-check', variables: {} });
    expect(started.status).toBe(201);
    const [task] = (await staff.get(`/api/tasks?status=open&instanceId=${started.body.id}`)).body.items;
    expect((await staff.get(`/api/tasks/${task.id}`)).body.form.schema.properties.site.required).toEqual(['place']);
    expect((await official.get('/api/decisions/root/triage-class')).body.version).toBe(1);

    const again = await rest.deployResources(files, 'root');
    expect(again.processes[0]).toMatchObject({ processDefinitionId: 'site-check', processDefinitionVersion: 1 });
    expect(again.forms[0]).toMatchObject({ form: { version: 1 } });
    const audit = (await admin.get('/api/audit?jurisdiction=root')).body.items as { action: string; actor: string; targetId: string }[];
    expect(audit.filter((a) => a.targetId === 'site-check' && a.action === 'process.deploy').map((a) => a.actor)).toEqual(['root.official']);
  });

  it('without a tenant, deploys where the account is the only official; a changed diagram becomes version 2', async () => {
    const res = await post(formData([['inspection.bpmn', diagram('site-check', linkedTask.replace('现场核查', '现场复核'))]]), basic('root.official'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ tenantId: 'root', deployments: [{ processDefinition: { processDefinitionId: 'site-check', processDefinitionVersion: 2 } }] });
  });

  it('refuses the whole deployment when one file fails the deploy check, in Chinese naming file and element; nothing is stored', async () => {
    const res = await post(formData([['contact.form', file('test/fixtures/forms/contact.form')], ['auto.bpmn', diagram('auto-check', brokenTask)], ['notes.txt', 'x']], 'root'), basic('root.official'));
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/problem\+json/);
    expect(res.body.title).toBe('INVALID_ARGUMENT');
    expect(res.body.detail).toMatch(/^部署被拒绝/);
    expect(res.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: expect.stringMatching(/^\/resources\/auto\.bpmn#inspect$/), message: expect.stringMatching(/[\u4e00-\u9fff]/) }),
      expect.objectContaining({ path: '/resources/notes.txt', message: expect.stringContaining('不支持的文件类型') }),
    ]));
    const formId = JSON.parse(file('test/fixtures/forms/contact.form')).id as string;
    expect((await official.get(`/api/forms/root/${formId}`)).status).toBe(404);
    expect((await official.get('/api/processes/root/auto-check')).status).toBe(404);
  });

  it('only an official or admin of the jurisdiction deploys: 401 with a challenge, 403, an unknown tenant 400', async () => {
    const files = formData([['inspection.bpmn', diagram('other-check', linkedTask)]], 'root');
    const none = await post(files);
    expect(none.status).toBe(401);
    expect(none.challenge).toMatch(/Basic/);
    expect((await post(formData([['inspection.bpmn', diagram('other-check', linkedTask)]], 'root'), basic('root.official', 'wrong-password'))).status).toBe(401);
    const denied = await post(formData([['inspection.bpmn', diagram('other-check', linkedTask)]], 'root'), basic('root.staff'));
    expect(denied.status).toBe(403);
    const unknown = await post(formData([['inspection.bpmn', diagram('other-check', linkedTask)]], 'no-such-place'), basic('root.official'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: '/tenantId', message: 'unknown jurisdiction' }]);
    expect((await official.get('/api/processes/root/other-check')).status).toBe(404);
  });
});
