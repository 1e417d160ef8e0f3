// The mirror's rules on records shaped like Zeebe 8.6's (as the exporter ships them): no broker.
import { describe, expect, it } from 'vitest';
import { apply, initialState, moving, type ZeebeRecord } from '../../server/engine/zeebe/mirror.js';

const PI = '100';
let position = 0;
const rec = (valueType: string, intent: string, value: Record<string, unknown>, key: number | string = ++position): ZeebeRecord => ({
  partition: 1, position: ++position, yishiInstanceId: 'y1',
  record: { key, valueType, intent, timestamp: Date.parse('2026-11-22T00:00:00Z'), value: { processInstanceKey: PI, ...value } },
});
const name = (id: string) => `名称 ${id}`;

describe('Zeebe mirror', () => {
  it('opens a task with its job and closes it when Zeebe cancels the job (no ghost task)', () => {
    const s = initialState(PI, {});
    apply(s, rec('JOB', 'CREATED', { type: 'io.camunda.zeebe:userTask', elementId: 't', customHeaders: { 'io.camunda.zeebe:candidateGroups': '["staff"]', 'io.camunda.zeebe:formKey': 'f' } }, 7), name);
    expect(s.waits).toEqual([expect.objectContaining({ kind: 'userTask', ref: '7', elementId: 't', candidateGroups: ['staff'], formKey: 'f', name: '名称 t' })]);
    apply(s, rec('TIMER', 'CREATED', { targetElementId: 'b', dueDate: Date.parse('2026-11-22T00:00:02Z') }, 8), name);
    expect(s.waits.map((w) => w.kind)).toEqual(['userTask', 'timer']);
    apply(s, rec('TIMER', 'TRIGGERED', { targetElementId: 'b' }, 8), name);
    apply(s, rec('JOB', 'CANCELED', { type: 'io.camunda.zeebe:userTask', elementId: 't' }, 7), name);
    const events = apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'BOUNDARY_EVENT', elementId: 'b' }), name);
    expect(events).toEqual([expect.objectContaining({ elementId: 'b', type: 'BoundaryEvent', name: '名称 b' })]);
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'PROCESS', elementId: 'p' }, PI), name);
    expect(s.waits).toEqual([]);
    expect(s.status).toBe('completed');
  });

  it('knows the element instance behind each task, which a modification (退回) terminates', () => {
    const s = initialState(PI, {});
    apply(s, rec('JOB', 'CREATED', { type: 'io.camunda.zeebe:userTask', elementId: 't', elementInstanceKey: 41 }, 7), name);
    expect(s.elementInstances).toEqual({ 7: '41' });
    apply(s, rec('JOB', 'CANCELED', { type: 'io.camunda.zeebe:userTask', elementId: 't', elementInstanceKey: 41 }, 7), name);
    expect(s.elementInstances).toEqual({});
  });

  it('gives a task what its job carries: a 会签 signer\'s own variables over the process\'s, and its assignee', () => {
    const s = initialState(PI, { signers: ['甲', '乙'] });
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', { bpmnElementType: 'MULTI_INSTANCE_BODY', elementId: 'sign', flowScopeKey: PI }, 50), name);
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', { bpmnElementType: 'USER_TASK', elementId: 'sign', flowScopeKey: 50 }, 51), name);
    apply(s, rec('VARIABLE', 'CREATED', { scopeKey: 51, name: 'signer', value: '"乙"' }), name);
    const headers = { 'io.camunda.zeebe:assignee': '乙' };
    apply(s, rec('JOB', 'CREATED', { type: 'io.camunda.zeebe:userTask', elementId: 'sign', elementInstanceKey: 51, customHeaders: headers }, 52), name);
    expect(s.waits[0]).toMatchObject({ assignee: '乙', variables: { signers: ['甲', '乙'], signer: '乙' } });
    expect(s.variables).toEqual({ signers: ['甲', '乙'] });
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_TERMINATED', { bpmnElementType: 'USER_TASK', elementId: 'sign' }, 51), name);
    expect(Object.keys(s.scopes)).toEqual(['50']);
  });

  it('names an event sub-process as BPMN does and keeps an error end event that threw', () => {
    const s = initialState(PI, {});
    expect(apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'EVENT_SUB_PROCESS', elementId: 'esp' }), name)).toEqual([expect.objectContaining({ type: 'SubProcess' })]);
    expect(apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_TERMINATED', { bpmnElementType: 'END_EVENT', elementId: 'fail' }), name)).toEqual([expect.objectContaining({ type: 'EndEvent', elementId: 'fail' })]);
    expect(apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_TERMINATED', { bpmnElementType: 'USER_TASK', elementId: 't' }), name)).toEqual([]);
  });

  it('names the task a user task\'s history entry completes, even when it comes in a later step', () => {
    const s = initialState(PI, {});
    apply(s, rec('JOB', 'CREATED', { type: 'io.camunda.zeebe:userTask', elementId: 't', elementInstanceKey: 60 }, 61), name);
    apply(s, rec('JOB', 'COMPLETED', { type: 'io.camunda.zeebe:userTask', elementId: 't', elementInstanceKey: 60, variables: { ok: true } }, 61), name);
    const later = structuredClone(s);
    const [event] = apply(later, rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'USER_TASK', elementId: 't' }, 60), name);
    expect(event).toMatchObject({ type: 'UserTask', ref: '61', data: { ok: true } });
    expect(later.completedJobs).toEqual({});
  });

  it('knows when Zeebe is still working on the instance', () => {
    const s = initialState(PI, {});
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'START_EVENT', elementId: 's' }), name);
    apply(s, rec('PROCESS_INSTANCE', 'SEQUENCE_FLOW_TAKEN', { bpmnElementType: 'SEQUENCE_FLOW', elementId: 'f1' }), name);
    expect(moving(s)).toBe(true);
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', { bpmnElementType: 'SERVICE_TASK', elementId: 'svc' }), name);
    apply(s, rec('JOB', 'CREATED', { type: 'notify', elementId: 'svc' }, 30), name);
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED', { bpmnElementType: 'SERVICE_TASK', elementId: 'svc' }), name);
    expect(moving(s)).toBe(true); // a worker has the job
    apply(s, rec('JOB', 'COMPLETED', { type: 'notify', elementId: 'svc' }, 30), name);
    expect(moving(s)).toBe(false);
  });

  it('applies a record once: a re-delivery changes nothing', () => {
    const s = initialState(PI, {});
    const gateway = rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'EXCLUSIVE_GATEWAY', elementId: 'g' });
    expect(apply(s, gateway, name)).toHaveLength(1);
    expect(apply(s, gateway, name)).toEqual([]);
    expect(s.positions).toEqual({ 1: gateway.position });
  });

  it('keeps exact process variables, not those of inner scopes or its own', () => {
    const s = initialState(PI, { a: 1 });
    apply(s, rec('VARIABLE', 'UPDATED', { scopeKey: PI, name: 'a', value: '{"x":[1,2]}' }), name);
    apply(s, rec('VARIABLE', 'CREATED', { scopeKey: '555', name: 'local', value: '1' }), name);
    apply(s, rec('VARIABLE', 'CREATED', { scopeKey: PI, name: 'yishiInstanceId', value: '"y1"' }), name);
    expect(s.variables).toEqual({ a: { x: [1, 2] } });
  });

  it('holds an incident until Zeebe resolves it, in the officials\' words with Zeebe\'s message', () => {
    const s = initialState(PI, {});
    const events = apply(s, rec('INCIDENT', 'CREATED', { elementId: 'g', errorType: 'EXTRACT_VALUE_ERROR', errorMessage: "Expected 'BOOLEAN'", jobKey: -1 }, 9), name);
    expect(s.incidents).toEqual([{ key: '9', elementId: 'g', message: "表达式求值失败 (EXTRACT_VALUE_ERROR): Expected 'BOOLEAN'", jobKey: null }]);
    expect(events[0]).toMatchObject({ type: 'Incident', elementId: 'g' });
    apply(s, rec('INCIDENT', 'RESOLVED', { elementId: 'g' }, 9), name);
    expect(s.incidents).toEqual([]);
  });

  it('gives a task its completion data and forgets committed effects once the job is done', () => {
    const s = { ...initialState(PI, {}), effectJobs: ['12'] };
    apply(s, rec('JOB', 'CREATED', { type: 'publish-result', elementId: 'pub' }, 12), name);
    expect(s.serviceJobs).toEqual(['12']);
    apply(s, rec('JOB', 'COMPLETED', { type: 'publish-result', elementId: 'pub', elementInstanceKey: 40, variables: { published: true } }, 12), name);
    expect(s.effectJobs).toEqual([]);
    expect(s.serviceJobs).toEqual([]);
    const [event] = apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', { bpmnElementType: 'SERVICE_TASK', elementId: 'pub' }, 40), name);
    expect(event).toMatchObject({ type: 'ServiceTask', data: { published: true } });
  });

  it('ends the Yishi instance only with its own process, not a called one', () => {
    const s = initialState(PI, {});
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_TERMINATED', { bpmnElementType: 'PROCESS', elementId: 'child', processInstanceKey: '999' }, '999'), name);
    expect(s.status).toBe('active');
    apply(s, rec('PROCESS_INSTANCE', 'ELEMENT_TERMINATED', { bpmnElementType: 'PROCESS', elementId: 'p' }, PI), name);
    expect(s.status).toBe('cancelled');
  });
});
