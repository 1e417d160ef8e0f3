// A Camunda Form (form-js, embedded in the diagram as Camunda Modeler writes it) on the task page:
// converted fields render in the rjsf form with their Chinese labels, and staff complete the task.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Client, ROOT, startServer, type Server } from '../support/server.js';
import { launch, open, signIn } from './browser.js';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const form = fs.readFileSync(path.join(ROOT, 'test/fixtures/forms/matter-report.form'), 'utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;');
const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const diagram = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-report" targetNamespace="t"><bpmn:process id="report" name="反映事项" isExecutable="true">
  <bpmn:extensionElements><zeebe:userTaskForm id="UserTaskForm_1">${form}</zeebe:userTaskForm></bpmn:extensionElements>
  <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill"/>
  <bpmn:userTask id="fill" name="登记反映事项">
    <bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:UserTaskForm_1"/><zeebe:assignmentDefinition candidateGroups="staff"/></bpmn:extensionElements>
    <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
  </bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end"/>
  <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
</bpmn:process></bpmn:definitions>`;

describe('Camunda Forms on the task page', () => {
  it('renders an embedded form-js form and completes the task with it', async () => {
    const official = await Client.signIn(server.url, 'root.official');
    expect((await official.put('/api/processes/root/report', { xml: diagram, baseVersion: 0 })).status).toBe(201);
    const started = await official.post('/api/instances', { jurisdiction: 'root', processKey: 'report', variables: {} });
    const staff = await Client.signIn(server.url, 'root.staff');
    const [task] = (await staff.get(`/api/tasks?status=open&instanceId=${started.body.id}`)).body.items;

    const tab = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(tab, 'root.staff');
    await tab.page.goto(`/tasks/${task.id}`);
    await tab.page.waitForSelector('form.rjsf');
    const text = await tab.page.locator('form.rjsf').innerText();
    for (const label of ['反映人姓名', '事项描述', '涉及户数', '事项类别', '紧急程度', '发生日期', '本人承诺所填内容属实']) expect(text).toContain(label);
    await tab.page.fill('#root_reporter', '王小明');
    await tab.page.fill('#root_description', '村口道路塌陷');
    await tab.page.fill('#root_households', '12');
    await tab.page.selectOption('#root_category', { label: '基础设施' });
    await tab.page.getByLabel('紧急', { exact: true }).check();
    await tab.page.fill('#root_happenedOn', '2026-11-01');
    await tab.page.getByLabel('本人承诺所填内容属实').check();
    await tab.shot('camunda-form-360');
    await tab.page.click('button[type=submit]:has-text("提交")');
    await tab.page.waitForSelector('text=已提交');
    expect(tab.errors).toEqual([]);
    expect((await official.get(`/api/instances/${started.body.id}`)).body).toMatchObject({
      status: 'completed',
      variables: { reporter: '王小明', description: '村口道路塌陷', households: 12, category: 'infrastructure', urgency: 'urgent', happenedOn: '2026-11-01', truthful: true },
    });
  });
});
