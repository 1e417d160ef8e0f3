// Linked Camunda Forms on the Zeebe engine (ENGINE=zeebe, a broker of this file's own): a diagram
// whose user task links a form (zeebe:formDefinition formId) and the .form file beside it, deployed
// through Camunda's POST /v2/deployments with @camunda8/sdk; the broker's task shows the linked form
// converted to JSON Schema, the server validates against it, and the case completes on the broker.
import fs from 'node:fs';
import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../support/broker.js';
import { Client, DEMO_PASSWORD, ROOT, startServer, waitFor, type Server } from '../support/server.js';

let broker: Broker;
let server: Server;
beforeAll(async () => {
  broker = await startBroker();
  server = await startServer({ env: broker.serverEnv });
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await broker?.stop();
});

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
// As Camunda Modeler 5.28 writes a linked form: formId with its binding type.
const diagram = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-linked" targetNamespace="t"><bpmn:process id="linked-form" name="现场核查" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="inspect"/>
    <bpmn:userTask id="inspect" name="现场核查">
      <bpmn:extensionElements><zeebe:formDefinition formId="site-inspection" bindingType="latest"/><zeebe:assignmentDefinition candidateGroups="staff"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="inspect" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process></bpmn:definitions>`;

describe('a linked Camunda Form on Zeebe', () => {
  it('deployed beside the diagram through /camunda/v2/deployments, shows on the broker\'s task and validates it', async () => {
    const rest = new Camunda8({
      ZEEBE_REST_ADDRESS: `${server.url}/camunda`,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'root.official',
      CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
      CAMUNDA_LOG_LEVEL: 'error',
    }).getCamundaRestClient();
    const form = fs.readFileSync(path.join(ROOT, 'test/fixtures/forms/site-inspection.form'));
    const deployed = await rest.deployResources([
      { name: 'inspection.bpmn', content: Buffer.from(diagram) as unknown as string },
      { name: 'site-inspection.form', content: form as unknown as string },
    ], 'root');
    expect(deployed.processes[0]).toMatchObject({ processDefinitionId: 'linked-form', processDefinitionVersion: 1 });

    const official = await Client.signIn(server.url, 'root.official');
    const staff = await Client.signIn(server.url, 'root.staff');
    const started = await official.post('/api/instances', { jurisdiction: 'root', processKey: 'linked-form', variables: {} });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id as string;
    const open = await waitFor(async () => (await staff.get(`/api/tasks?status=open&instanceId=${id}`)).body.items[0], 20_000, 'the task on the broker');
    const task = (await staff.get(`/api/tasks/${open.id}`)).body;
    expect(task.formKey).toBe('site-inspection');
    expect(task.form.schema.properties.site.required).toEqual(['place']);
    const bad = await staff.post(`/api/tasks/${open.id}/complete`, { data: { site: { area: 3 }, materials: ['photo'] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: '/site/place', message: expect.stringContaining('地点') }]);
    expect((await staff.post(`/api/tasks/${open.id}/complete`, { data: { site: { place: '村口', area: 3 }, materials: ['photo'] } })).status).toBe(200);
    await waitFor(async () => (await official.get(`/api/instances/${id}`)).body.status === 'completed', 20_000, 'the case completed on the broker');
  });
});
