// The engine contract and the shipped P1 against a real Zeebe 8.6 broker with the Yishi exporter,
// started by this file: job workers of two processes on one broker would take each other's jobs,
// so the engine contract (one adapter in this process) runs first and closes, then the product
// itself (ENGINE=zeebe) runs the shipped P1 to its end through the HTTP API, a Zeebe timer moves an
// instance by itself, and running instances migrate to a new version on the broker.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeebeEngine } from '../../server/engine/zeebe/index.js';
import { startBroker, type Broker } from '../support/broker.js';
import { engineContract, handlers } from '../contract/engine.contract.js';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { P1_PASSED } from '../support/p1.js';
import { completeNext, instance, openTask, startInstance } from '../support/walk.js';

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker();
}, 240_000);
afterAll(async () => {
  await broker?.stop();
});

describe('Zeebe adapter', () => {
  // One adapter for the whole contract: its workers are this process's only ones on the broker.
  let engine: ZeebeEngine | null = null;
  afterAll(async () => {
    await engine?.close();
  });
  engineContract('zeebe (Camunda 8.6 broker)', () => (engine ??= new ZeebeEngine({ address: broker.address, exporterUrls: [broker.exporterUrl], exporterToken: broker.exporterToken, handlers })), { selfDriven: true });
});

describe('Zeebe engine through the HTTP API', () => {
  let server: Server;
  let staff: Client;
  beforeAll(async () => {
    server = await startServer({ contentDir: ROOT, env: broker.serverEnv });
    staff = await Client.signIn(server.url, 'national.staff');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs the shipped P1 to its end, with tasks, forms, groups, due dates and the published result', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    for (const elementId of Object.keys(P1_PASSED)) {
      const task = await waitFor(async () => (await staff.get(`/api/tasks?instanceId=${inst.id}&status=open`)).body.items.find((t: any) => t.elementId === elementId), 15_000, `task ${elementId}`);
      expect(task.formKey).toBeTruthy();
      expect(task.candidateGroups.length).toBeGreaterThan(0);
      const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED[elementId] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const done = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'completed' && v;
    }, 15_000, 'the instance to end');
    expect(done.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining([...Object.keys(P1_PASSED), 'publish']));
    expect(done.history.find((h: any) => h.elementId === 'collect').name).toBe('收集问题并登记台账');
    const results = (await new Client(server.url).get('/api/public/results?jurisdiction=national')).body.items;
    expect(results.find((r: any) => r.instanceId === inst.id && r.title === '停车管理')).toMatchObject({ content: { resultForm: '居民公约', passed: true } });
    expect(results.find((r: any) => r.instanceId === inst.id && r.title === '落实情况：停车管理')).toMatchObject({ content: { completed: true } });
  });

  it('evaluates the shipped rules in Zeebe’s FEEL: Anhui’s council quarter, next-quarter date and majority of members', async () => {
    const inst = await startInstance(staff, 'anhui', 'council-meeting');
    await waitFor(() => openTask(staff, inst.id, 'session').catch(() => null), 15_000, 'task session');
    await completeNext(staff, inst.id, 'session', {
      meetingDate: '2026-05-20', host: '议事主任', place: '社区议事厅', recorder: '记录员', expected: 9, present: 9, topics: ['物业服务质量'],
      decisions: '续聘物业公司', voteMethod: '举手表决', resolutionFor: 5, continueSchedule: false,
    });
    const done = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'completed' && v;
    }, 15_000, 'the council instance to end');
    expect(done.variables).toMatchObject({ quarter: 2, quorate: true, resolutionPassed: true, nextSessionAt: '2026-07-01T09:00:00+08:00' });
  });

  it('evaluates the 三事分流 override rule in Zeebe’s FEEL: a class other than the suggestion needs a reason', async () => {
    const townStaff = await Client.signIn(server.url, 'township-triage.staff');
    const inst = await startInstance(townStaff, 'township-triage', 'triage');
    const step = async (elementId: string, data: Record<string, unknown>) => {
      await waitFor(() => openTask(townStaff, inst.id, elementId).catch(() => null), 15_000, `task ${elementId}`);
      await completeNext(townStaff, inst.id, elementId, data);
    };
    await step('register', { date: '2026-11-01', matter: '广场舞比赛', category: '文体活动', department: '村委会', reporter: '居民丙', contact: '13800000000', repeated: false });
    await step('classify', { matterClass: '大事', basis: '法律法规' });
    await step('classify', { matterClass: '大事', basis: '法律法规', overrideReason: '涉及公共场地审批，须由镇政府办理' });
    await waitFor(() => openTask(townStaff, inst.id, 'dispatch').catch(() => null), 15_000, 'task dispatch');
    expect((await instance(townStaff, inst.id)).variables).toMatchObject({ suggestedClass: '小事', classOverridden: true });
  });

  it('lets a Zeebe timer alert and flag the case while the task stays open (Wushen 10-day reply, 1 s here)', async () => {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const imported = await admin.post('/api/rulesets', { jurisdiction: { id: 'zeebe-gacha', name: '测试嘎查', parent: 'wushen-banner' }, parameters: { replyDeadline: 'PT1S' } });
    expect(imported.status).toBe(201);
    const inst = await startInstance(staff, 'zeebe-gacha', 'consultation');
    const research = { ...P1_PASSED.research, noticeMethod: ['书面通知'], noticeDocument: '嘎查〔2026〕1号' };
    for (const [elementId, data] of Object.entries({ ...P1_PASSED, research, publication: { ...P1_PASSED.publication, implementerKind: '上级部门落实' } })) {
      if (elementId === 'supervise-residents') break;
      await waitFor(() => openTask(staff, inst.id, elementId).catch(() => null), 15_000, `task ${elementId}`);
      await completeNext(staff, inst.id, elementId, data);
    }
    const flagged = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      // The alert's variables and its element's completion arrive as separate records.
      const alerted = v.history.some((h: any) => h.elementId === 'alert-reply-overdue');
      return v.variables.replyOverdue === true && v.variables.notifications && alerted && v;
    }, 20_000, 'the Zeebe timer to flag the case and alert').catch((err) => {
      console.log(server.output().slice(-3000));
      throw err;
    });
    expect(flagged.variables.notifications).toEqual([expect.objectContaining({ to: 'supervision' })]);
    expect(flagged.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['flag-overdue', 'alert-reply-overdue']));
    await completeNext(staff, inst.id, 'report-higher', { replyDate: '2026-11-12', documentNo: '乌政函〔2026〕9号', replyContent: '同意，由苏木镇协调', adopted: true });
    for (const elementId of ['feedback', 'supervision-review', 'archive']) {
      await waitFor(() => openTask(staff, inst.id, elementId).catch(() => null), 15_000, `task ${elementId}`);
      await completeNext(staff, inst.id, elementId, P1_PASSED[elementId]);
    }
    const done = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      return v.status === 'completed' && v;
    }, 15_000, 'the instance to end');
    expect(done.status).toBe('completed');
  });
  it('broadcasts a signal through the broker, which wakes its waits, and starts the signal-start processes in Yishi', async () => {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/deploy', `${name}.bpmn`), 'utf8');
    for (const [file, key] of [['signal-catch-boundary-event-subprocess', 'signal-events'], ['signal-start-feel-constant', 'Process_signal']]) {
      const res = await admin.put(`/api/processes/national/${key}`, { xml: fixture(file), baseVersion: 0 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const inst = await startInstance(staff, 'national', 'signal-events');
    const anhui = await Client.signIn(server.url, 'anhui.staff');
    const other = await startInstance(anhui, 'anhui', 'signal-events');
    const taskAt = (c: Client, id: string, elementId: string) => waitFor(async () => (await c.get(`/api/tasks?instanceId=${id}&status=open`)).body.items.find((t: { elementId: string }) => t.elementId === elementId), 15_000, `task ${elementId}`);
    await taskAt(staff, inst.id, 'work');
    await taskAt(anhui, other.id, 'work');
    const go = await staff.post('/api/signals/broadcast', { jurisdiction: 'national', signalName: 'go', variables: { g: 1 } });
    expect(go.status, JSON.stringify(go.body)).toBe(200);
    await taskAt(staff, inst.id, 'after');
    expect((await instance(staff, inst.id)).variables).toMatchObject({ g: 1 });
    expect((await instance(staff, inst.id)).variables).not.toHaveProperty('yishiJurisdiction');
    // The broker broadcasts to the whole cluster, but under the jurisdiction's name: anhui's instance did not hear it.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await instance(anhui, other.id)).variables).not.toHaveProperty('g');
    expect((await anhui.get(`/api/tasks?instanceId=${other.id}&status=open`)).body.items.map((t: { elementId: string }) => t.elementId)).toEqual(['work']);
    expect((await anhui.post('/api/signals/broadcast', { jurisdiction: 'anhui', signalName: 'go' })).status).toBe(200);
    await taskAt(anhui, other.id, 'after');
    const meeting = await staff.post('/api/signals/broadcast', { jurisdiction: 'national', signalName: '开会' });
    expect(meeting.body.started).toHaveLength(1);
    const started = await waitFor(async () => {
      const v = await instance(staff, meeting.body.started[0]);
      return v.status === 'completed' && v;
    }, 15_000, 'the signal-started instance to end');
    expect(started.history.map((h: { elementId: string }) => h.elementId)).toEqual(expect.arrayContaining(['StartEvent_1', 'Event_broadcast', 'EndEvent_1']));
  });

  it('migrates running instances on the broker (MigrateProcessInstance): unchanged tasks map themselves, a renamed one by the mapping', async () => {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const key = `migrate${Date.now()}`;
    // Zeebe reads a node's flows from the node itself: each carries its incoming and outgoing.
    const task = (id: string, name: string, from: string, to: string) =>
      `<bpmn:userTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:formDefinition formKey="issue-intake" /><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements><bpmn:incoming>${from}</bpmn:incoming><bpmn:outgoing>${to}</bpmn:outgoing></bpmn:userTask>`;
    const xml = (second: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://yishi.example/test">
  <bpmn:process id="${key}" name="迁移" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>${task('first', '受理', 'f1', 'f2')}${task(second, '审核', 'f2', 'f3')}
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" /><bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="${second}" />
    <bpmn:sequenceFlow id="f3" sourceRef="${second}" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
    const deployed = await admin.put(`/api/processes/national/${key}`, { xml: xml('second'), baseVersion: 0 });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await startInstance(staff, 'national', key)).id);
    for (const id of ids) await waitFor(() => openTask(staff, id, 'first').catch(() => null), 15_000, 'task first');
    await completeNext(staff, ids[2], 'first', P1_PASSED.collect);
    await waitFor(() => openTask(staff, ids[2], 'second').catch(() => null), 15_000, 'task second');
    expect((await admin.put(`/api/processes/national/${key}`, { xml: xml('review'), baseVersion: 1 })).status).toBe(201);

    const request = { jurisdiction: 'national', processKey: key, fromVersion: 1, toVersion: 2 };
    const res = await admin.post('/api/instances/migrate', request);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.migrated.sort()).toEqual(ids.slice(0, 2).sort());
    expect(res.body.refused.map((r: any) => r.id)).toEqual([ids[2]]);
    const mapped = await admin.post('/api/instances/migrate', { ...request, mapping: { second: 'review' }, instanceIds: [ids[2]] });
    expect(mapped.body, JSON.stringify(mapped.body)).toEqual({ migrated: [ids[2]], refused: [] });
    expect(await instance(staff, ids[2])).toMatchObject({ version: 2, active: [{ elementId: 'review' }] });
    // The broker runs version 2 now: after the unchanged task comes the renamed one.
    await completeNext(staff, ids[0], 'first', P1_PASSED.collect);
    await waitFor(() => openTask(staff, ids[0], 'review').catch(() => null), 15_000, 'task review of version 2');
  });
});
