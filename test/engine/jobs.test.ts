// Jobs on the embedded engine: a task whose type no internal handler serves waits as a job; the
// worker's completion, thrown error and failure variables move it as Zeebe's processors do.
import { describe, expect, it } from 'vitest';
import type { AnyCommand, JobWait, Step } from '../../server/engine/index.js';
import { EmbeddedEngine } from '../../server/engine/embedded/index.js';
import { internalHandlers } from '../../server/domain/service-tasks.js';
import { JOB_DIAGRAM, JOB_PROCESS, LOOKUP_TYPE, SMS_TYPE } from '../support/jobs.js';

const engine = new EmbeddedEngine({ handlers: internalHandlers });
const definition = { id: 'test/job-demo/1', xml: JOB_DIAGRAM, processId: JOB_PROCESS };

async function run(state: unknown, command: AnyCommand): Promise<Step> {
  return engine.run({ instanceId: 'i1', definition, params: {}, state }, command);
}
const jobOf = (step: Step) => step.waits.find((w): w is JobWait => w.kind === 'job')!;

describe('jobs on the embedded engine', () => {
  it('deploys a job type no internal handler serves', async () => {
    expect((await engine.inspect(JOB_DIAGRAM)).problems).toEqual([]);
  });

  it('waits with the job type, retries, headers and variables, and completes with the worker variables', async () => {
    const started = await run(null, { type: 'start', variables: { parcel: 'A-17' } });
    const lookup = jobOf(started);
    expect(lookup).toMatchObject({ elementId: 'lookup', type: LOOKUP_TYPE, retries: 2, headers: { layer: 'parcels' }, variables: { parcel: 'A-17' } });
    const failedVars = await run(started.state, { type: 'setJobVariables', ref: lookup.ref, variables: { attempt: 1 } });
    expect(jobOf(failedVars).variables).toEqual({ parcel: 'A-17', attempt: 1 });
    const done = await run(failedVars.state, { type: 'completeJob', ref: lookup.ref, variables: { owner: '张三' } });
    expect(done.variables).toEqual({ parcel: 'A-17', owner: '张三' });
    const sms = jobOf(done);
    expect(sms).toMatchObject({ elementId: 'sms', type: SMS_TYPE, retries: 3 });
    // Output mappings apply: the worker's result stays local, the mapping writes the process variable.
    const reviewed = await run(done.state, { type: 'completeJob', ref: sms.ref, variables: { delivered: true } });
    expect(reviewed.variables).toEqual({ parcel: 'A-17', owner: '张三', smsDelivered: true });
    expect(reviewed.waits.map((w) => w.elementId)).toEqual(['review']);
  });

  it('a thrown error with a caught code leaves through the boundary event with its variables', async () => {
    let step = await run(null, { type: 'start', variables: {} });
    step = await run(step.state, { type: 'completeJob', ref: jobOf(step).ref, variables: {} });
    step = await run(step.state, { type: 'throwJobError', ref: jobOf(step).ref, errorCode: 'SMS_FAILED', errorMessage: 'no phone', variables: { reason: '无号码' } });
    expect(step.status).toBe('active');
    expect(step.waits.map((w) => w.elementId)).toEqual(['call']);
    expect(step.variables.reason).toBe('无号码');
  });

  it('an uncaught error code stops the job element in an incident; resolving lets a worker take the job again', async () => {
    const started = await run(null, { type: 'start', variables: {} });
    const ref = jobOf(started).ref;
    const step = await run(started.state, { type: 'throwJobError', ref, key: '7', errorCode: 'OTHER', errorMessage: 'x', variables: {} });
    expect(step.status).toBe('incident');
    expect(step.incident).toMatchObject({ elementId: 'lookup' });
    expect(step.events).toEqual([]);
    // The job stays (its record with it), marked: no second answer until resolved.
    expect(step.waits).toMatchObject([{ kind: 'job', ref, incident: { key: '7' } }]);
    const again = await run(step.state, { type: 'completeJob', ref, variables: {} });
    expect(again).toMatchObject({ status: 'incident', failed: true });
    const resolved = await run(step.state, { type: 'resolveIncident', ref });
    expect(resolved.status).toBe('active');
    expect(resolved.waits).toMatchObject([{ kind: 'job', ref }]);
    expect((resolved.waits[0] as { incident?: unknown }).incident).toBeUndefined();
  });

  it('a job out of retries stops its element only', async () => {
    const started = await run(null, { type: 'start', variables: {} });
    const ref = jobOf(started).ref;
    const step = await run(started.state, { type: 'jobIncident', ref, key: '9', message: '外部服务多次处理失败，已停止重试' });
    expect(step).toMatchObject({ status: 'incident', incident: { elementId: 'lookup', message: '外部服务多次处理失败，已停止重试' } });
    expect(step.waits).toMatchObject([{ kind: 'job', ref, incident: { key: '9' } }]);
  });

  it('script and business-rule tasks with a job type are jobs; without one they are refused', async () => {
    const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
    const typed = (tag: string, id: string, type: string) =>
      `<bpmn:${tag} id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements></bpmn:${tag}>`;
    const doc = (body: string) => `<bpmn:definitions ${NS} id="d" targetNamespace="t"><bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
    const xml = doc(`<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sc"/>${typed('scriptTask', 'sc', 'groovy-runner')}
      <bpmn:sequenceFlow id="f2" sourceRef="sc" targetRef="br"/>${typed('businessRuleTask', 'br', 'rules-engine')}
      <bpmn:sequenceFlow id="f3" sourceRef="br" targetRef="e"/><bpmn:endEvent id="e"/>`);
    expect((await engine.inspect(xml)).problems).toEqual([]);
    const def = { id: 'test/typed/1', xml, processId: 'p' };
    const go = (state: unknown, command: AnyCommand) => engine.run({ instanceId: 'i2', definition: def, params: {}, state }, command);
    const started = await go(null, { type: 'start', variables: {} });
    expect(jobOf(started)).toMatchObject({ elementId: 'sc', type: 'groovy-runner' });
    const next = await go(started.state, { type: 'completeJob', ref: jobOf(started).ref, variables: { a: 1 } });
    expect(jobOf(next)).toMatchObject({ elementId: 'br', type: 'rules-engine' });
    const done = await go(next.state, { type: 'completeJob', ref: jobOf(next).ref, variables: { b: 2 } });
    expect(done).toMatchObject({ status: 'completed', variables: { a: 1, b: 2 } });
    const untyped = (await engine.inspect(doc('<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="sc"/><bpmn:scriptTask id="sc"/>'))).problems;
    expect(untyped.map((p) => p.elementId)).toEqual(['sc']);
  });

  it('refuses a completion for a ref that is not a job', async () => {
    const started = await run(null, { type: 'start', variables: {} });
    expect((await run(started.state, { type: 'completeJob', ref: '999', variables: {} })).status).toBe('incident');
  });
});
