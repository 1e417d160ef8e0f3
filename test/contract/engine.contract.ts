// The Engine port's contract: every adapter runs this suite (the factory is passed in).
import { describe, expect, it } from 'vitest';
import type { Engine, InstanceContext, ServiceHandler, Step } from '../../server/engine/index.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const doc = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="defs" targetNamespace="http://yishi.example/contract">${extra}
  <bpmn:process id="p" name="契约" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${condition ? `<bpmn:conditionExpression>${condition}</bpmn:conditionExpression>` : ''}</bpmn:sequenceFlow>`;
const userTask = (id: string, extra = '') =>
  `<bpmn:userTask id="${id}" name="任务 ${id}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" />${extra}</bpmn:extensionElements></bpmn:userTask>`;

export const handlers: Record<string, ServiceHandler> = {
  double: ({ variables }) => ({ variables: { doubled: Number(variables.n) * 2 } }),
  explode: () => {
    throw new Error('boom');
  },
};

export function engineContract(name: string, make: () => Engine) {
  let seq = 0;
  const run = async (engine: Engine, xml: string, steps: ((s: Step) => Parameters<Engine['run']>[1])[], params = {}) => {
    const ctx: InstanceContext = { instanceId: `i-${++seq}`, definition: { id: `contract/${seq}`, xml }, params, state: null };
    const out: Step[] = [];
    for (const next of steps) {
      const step = await engine.run(ctx, next(out[out.length - 1]!));
      out.push(step);
      ctx.state = step.state;
    }
    return out;
  };
  const task = (s: Step, elementId?: string) => s.waits.find((w) => w.kind === 'userTask' && (!elementId || w.elementId === elementId))!.ref;

  describe(`Engine contract: ${name}`, () => {
    it('refuses unsupported elements at deploy, naming the element id and name', async () => {
      const engine = make();
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f1', 's', 'sc')}<bpmn:scriptTask id="sc" name="脚本" />${flow('f2', 'sc', 'e')}
        <bpmn:intermediateThrowEvent id="e" name="信号"><bpmn:signalEventDefinition /></bpmn:intermediateThrowEvent>`);
      const { problems } = await engine.inspect(xml);
      expect(problems.map((p) => p.elementId)).toEqual(expect.arrayContaining(['sc', 'e']));
      expect(problems.find((p) => p.elementId === 'sc')!.message).toContain('脚本');
    });

    it('reports FEEL syntax errors, flows without conditions and unknown handlers', async () => {
      const engine = make();
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'g')}<bpmn:exclusiveGateway id="g" />
        ${flow('fa', 'g', 'e1', '=x &gt;')}${flow('fb', 'g', 'svc')}
        <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="nope" /></bpmn:extensionElements></bpmn:serviceTask>
        ${flow('fc', 'svc', 'e1')}<bpmn:endEvent id="e1" />`);
      const { problems } = await engine.inspect(xml);
      expect(problems.map((p) => p.elementId).sort()).toEqual(['fa', 'fb', 'svc']);
      expect((await engine.inspect('<not-bpmn')).problems).toHaveLength(1);
    });

    it('routes a gateway by FEEL over variables and params, applying output mappings', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}
        ${userTask('t', '<zeebe:ioMapping><zeebe:output source="=votes &gt; params.quorum" target="passed" /></zeebe:ioMapping>')}
        ${flow('f1', 't', 'g')}<bpmn:exclusiveGateway id="g" default="no" />
        ${flow('yes', 'g', 'ok', '=passed')}${flow('no', 'g', 'ko')}<bpmn:endEvent id="ok" /><bpmn:endEvent id="ko" />`);
      for (const [votes, end] of [[6, 'ok'], [4, 'ko']] as const) {
        const steps = await run(make(), xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'completeTask', ref: task(s), variables: { votes } })], { quorum: 5 });
        const last = steps[1];
        expect(last.status).toBe('completed');
        expect(last.variables).toEqual({ passed: votes > 5 });
        expect(last.events.map((e) => e.elementId)).toContain(end);
      }
    });

    it('runs parallel branches, sub-processes and internal service handlers', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />
        ${flow('f1', 'fork', 'a')}${flow('f2', 'fork', 'sub')}${userTask('a')}
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${flow('sf0', 'ss', 'b')}${userTask('b')}${flow('sf1', 'b', 'se')}<bpmn:endEvent id="se" /></bpmn:subProcess>
        ${flow('f3', 'a', 'join')}${flow('f4', 'sub', 'join')}<bpmn:parallelGateway id="join" />${flow('f5', 'join', 'svc')}
        <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="double" /></bpmn:extensionElements></bpmn:serviceTask>
        ${flow('f6', 'svc', 'e')}<bpmn:endEvent id="e" />`);
      const steps = await run(make(), xml, [
        () => ({ type: 'start', variables: { n: 21 } }),
        (s) => ({ type: 'completeTask', ref: task(s, 'a'), variables: {} }),
        (s) => ({ type: 'completeTask', ref: task(s, 'b'), variables: {} }),
      ]);
      expect(steps[0].waits.filter((w) => w.kind === 'userTask').map((w) => w.elementId).sort()).toEqual(['a', 'b']);
      expect(steps[1].status).toBe('active');
      expect(steps[2].status).toBe('completed');
      expect(steps[2].variables.doubled).toBe(42);
    });

    it('turns a failing handler into an incident and leaves the state as it was', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'svc')}
        <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="explode" /></bpmn:extensionElements></bpmn:serviceTask>
        ${flow('f2', 'svc', 'e')}<bpmn:endEvent id="e" />`);
      const steps = await run(make(), xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'completeTask', ref: task(s), variables: { x: 1 } })]);
      expect(steps[1].status).toBe('incident');
      expect(steps[1].incident).toMatchObject({ elementId: 'svc' });
      expect(steps[1].incident!.message).toContain('boom');
      expect(steps[1].state).toEqual(steps[0].state);
    });

    it('lets an event-based gateway take the message, and the error end event reach its boundary', async () => {
      const extra = `<bpmn:message id="m" name="answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>
        <bpmn:error id="err" errorCode="REFUSED" />`;
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'eg')}<bpmn:eventBasedGateway id="eg" />
        ${flow('f1', 'eg', 'msg')}${flow('f2', 'eg', 'tmo')}
        <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="tmo"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('f3', 'tmo', 'late')}<bpmn:endEvent id="late" />${flow('f4', 'msg', 'sub')}
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${flow('sf', 'ss', 'se')}<bpmn:endEvent id="se"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent></bpmn:subProcess>
        <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
        ${flow('f5', 'caught', 'handled')}<bpmn:endEvent id="handled" />${flow('f6', 'sub', 'normal')}<bpmn:endEvent id="normal" />`, extra);
      const steps = await run(make(), xml, [
        () => ({ type: 'start', variables: { key: 'K1' } }),
        (s) => ({ type: 'correlate', ref: s.waits.find((w) => w.kind === 'message')!.ref, variables: { reply: 'yes' } }),
      ]);
      expect(steps[0].waits.map((w) => w.kind).sort()).toEqual(['message', 'timer']);
      expect(steps[0].waits.find((w) => w.kind === 'message')).toMatchObject({ messageName: 'answer', correlationKey: 'K1' });
      expect(steps[1].status).toBe('completed');
      expect(steps[1].variables.reply).toBe('yes');
      expect(steps[1].events.map((e) => e.elementId)).toContain('handled');
      expect(steps[1].events.map((e) => e.elementId)).not.toContain('late');
    });

    it('keeps a timer\'s original due time when the instance is recovered later', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}
        <bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>=params.review</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f1', 'b', 'eb')}<bpmn:endEvent id="eb" />${flow('f2', 't', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const steps = await run(engine, xml, [() => ({ type: 'start', variables: {} })], { review: 'P90D' });
      const due = (steps[0].waits.find((w) => w.kind === 'timer') as { dueAt: string }).dueAt;
      expect(Date.parse(due) - Date.now()).toBeGreaterThan(89 * 86_400_000);
      await new Promise((r) => setTimeout(r, 1100));
      const ctx: InstanceContext = { instanceId: 'i-due', definition: { id: 'contract/due', xml }, params: { review: 'P90D' }, state: steps[0].state };
      const again = await engine.run(ctx, { type: 'fireTimers', refs: [] });
      expect(again.status).toBe('active');
      expect(again.waits.find((w) => w.kind === 'timer')).toMatchObject({ dueAt: due });
    });
  });
}
