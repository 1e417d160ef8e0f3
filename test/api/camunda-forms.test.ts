// Camunda Forms through real HTTP: a user task whose form is a form-js form — embedded in the
// diagram (zeebe:userTaskForm) or linked (formId → a deployed .form file) — shows as JSON Schema and
// is validated on the server (422 naming the field, then 200); a formKey naming no form deploys with
// a warning and the task shows a generic form, as Tasklist does.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ROOT, startServer, type Server } from '../support/server.js';

let server: Server;
let official: Client;
let staff: Client;

const formFile = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/forms', `${name}.form`), 'utf8');
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/** One user task with the given zeebe:formDefinition attributes (and forms embedded in the process), as Camunda Modeler writes it. */
const diagram = (id: string, formDefinition: string, embedded = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="表单" isExecutable="true">
    ${embedded && `<bpmn:extensionElements>${embedded}</bpmn:extensionElements>`}
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill"/>
    <bpmn:userTask id="fill" name="填写">
      <bpmn:extensionElements><zeebe:formDefinition ${formDefinition}/><zeebe:assignmentDefinition candidateGroups="staff"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process></bpmn:definitions>`;

beforeAll(async () => {
  server = await startServer();
  official = await Client.signIn(server.url, 'root.official');
  staff = await Client.signIn(server.url, 'root.staff');
});
afterAll(async () => {
  await server?.stop();
});

/** Deploys, starts one case and returns its open task as the task page reads it. */
async function openTask(key: string, xml: string) {
  const deployed = await official.put(`/api/processes/root/${key}`, { xml, baseVersion: 0 });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  const started = await official.post('/api/instances', { jurisdiction: 'root', processKey: key, variables: {} });
  expect(started.status).toBe(201);
  const [task] = (await staff.get(`/api/tasks?status=open&instanceId=${started.body.id}`)).body.items;
  return { deployed: deployed.body, task: (await staff.get(`/api/tasks/${task.id}`)).body, instanceId: started.body.id as string };
}

describe('Camunda Forms on user tasks', () => {
  it('an embedded form (zeebe:userTaskForm) renders as JSON Schema and is validated on the server', async () => {
    const embedded = `<zeebe:userTaskForm id="UserTaskForm_report">${xmlText(formFile('matter-report'))}</zeebe:userTaskForm>`;
    const { deployed, task, instanceId } = await openTask('report', diagram('report', 'formKey="camunda-forms:bpmn:UserTaskForm_report"', embedded));
    expect(deployed.warnings).toBeUndefined();
    expect(task.formKey).toBe('camunda-forms:bpmn:UserTaskForm_report');
    expect(Object.keys(task.form.schema.properties)).toContain('reporter');
    expect(task.form.uiSchema.urgency).toEqual({ 'ui:widget': 'radio' });

    const bad = await staff.post(`/api/tasks/${task.id}/complete`, { data: { reporter: '王', description: '道路塌陷', category: 'infrastructure', truthful: true } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: '/reporter', message: expect.stringContaining('反映人姓名') }]);
    const data = { reporter: '王小明', description: '道路塌陷', category: 'infrastructure', truthful: true, households: 12 };
    expect((await staff.post(`/api/tasks/${task.id}/complete`, { data })).status).toBe(200);
    expect((await official.get(`/api/instances/${instanceId}`)).body).toMatchObject({ status: 'completed', variables: data });
  });

  it('a linked form (formId) is a deployed .form file, converted at deploy with its warnings', async () => {
    const saved = await official.put('/api/forms/root/site-inspection', { formJs: JSON.parse(formFile('site-inspection')), baseVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.warnings).toHaveLength(3);
    expect(saved.body.schema.properties.site.required).toEqual(['place']);
    expect((await official.get('/api/forms/root/site-inspection')).body.formJs.id).toBe('site-inspection');

    const { deployed, task } = await openTask('inspect', diagram('inspect', 'formId="site-inspection"'));
    expect(deployed.warnings).toBeUndefined();
    expect(task.form.schema.properties.materials.items.anyOf).toHaveLength(3);
    const bad = await staff.post(`/api/tasks/${task.id}/complete`, { data: { site: { area: 3 }, materials: ['photo'] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: '/site/place', message: expect.stringContaining('地点') }]);
    expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: { site: { place: '村口', area: 3 }, materials: ['photo'] } })).status).toBe(200);
  });

  it('a form-js document that is not one is refused, nothing stored', async () => {
    const res = await official.put('/api/forms/root/broken', { formJs: { type: 'default' }, baseVersion: 0 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('/formJs');
    expect((await official.get('/api/forms/root/broken')).status).toBe(404);
  });

  it('a formKey naming no form deploys with a warning; the task shows a generic form and completes', async () => {
    const { deployed, task, instanceId } = await openTask('custom', diagram('custom', 'formKey="custom-app:approve"'));
    expect(deployed.warnings).toEqual([{ path: '/xml', message: expect.stringContaining('custom-app:approve') }]);
    expect(task.form.schema.properties.notes.title).toBe('办理意见');
    expect(task.form.uiSchema.notes).toEqual({ 'ui:widget': 'textarea' });
    expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: { notes: '已电话沟通', approved: true } })).status).toBe(200);
    expect((await official.get(`/api/instances/${instanceId}`)).body.variables).toEqual({ notes: '已电话沟通', approved: true });
  });
});
