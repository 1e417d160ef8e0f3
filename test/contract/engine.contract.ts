// The Engine port's contract: every adapter runs this suite (the factory is passed in).
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine, InstanceContext, ServiceHandler, Step } from '../../server/engine/index.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
/**
 * Modelers write each node's outgoing flows into the node; Zeebe's validator reads them there for
 * gateways and events, so the hand-written documents below get them the same way.
 */
function withOutgoing(xml: string): string {
  for (const [, id, source] of xml.matchAll(/<bpmn:sequenceFlow id="([^"]+)" sourceRef="([^"]+)"/g)) {
    xml = xml.replace(new RegExp(`<(bpmn:\\w+(?:Gateway|Event)) id="${source}"([^>]*?)(/?)>`), (_m, tag, attrs, selfClosing) =>
      `<${tag} id="${source}"${attrs}><bpmn:outgoing>${id}</bpmn:outgoing>${selfClosing ? `</${tag}>` : ''}`);
  }
  return xml;
}
const doc = (body: string, extra = '') => withOutgoing(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="defs" targetNamespace="http://yishi.example/contract">${extra}
  <bpmn:process id="p" name="契约" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`);
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

/** selfDriven: the engine keeps its own timers (Zeebe), so the recovery-of-our-timers test does not apply. */
export function engineContract(name: string, make: () => Engine, opts: { selfDriven?: boolean } = {}) {
  let seq = 0;
  const unique = `${process.pid}-${Date.now()}`;
  const context = (xml: string, params = {}): InstanceContext => ({ instanceId: `i-${unique}-${++seq}`, definition: { id: `contract/${unique}/${seq}`, xml }, params, state: null });
  const run = async (engine: Engine, xml: string, steps: ((s: Step) => Parameters<Engine['run']>[1])[], params = {}) => {
    const ctx = context(xml, params);
    const out: Step[] = [];
    for (const next of steps) {
      const step = await engine.run(ctx, next(out[out.length - 1]!));
      out.push(step);
      ctx.state = step.state;
    }
    return { steps: out, ctx };
  };
  const task = (s: Step, elementId?: string) => s.waits.find((w) => w.kind === 'userTask' && (!elementId || w.elementId === elementId))!.ref;
  const tasks = (s: Step) => s.waits.filter((w) => w.kind === 'userTask').map((w) => w.elementId).sort();
  /** What a self-driven engine did by itself: waits for it to report progress, then syncs. */
  const progressed = async (engine: Engine, ctx: InstanceContext, until: (s: Step) => boolean) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const step = await engine.run(ctx, { type: 'sync' });
      ctx.state = step.state;
      if (until(step) || Date.now() > deadline) return step;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  describe(`Engine contract: ${name}`, () => {
    // CI's log says how many contract tests ran against each adapter.
    afterAll((suite) => {
      const count = (state: string) => suite.tasks.filter((t) => (t.result?.state ?? t.mode) === state).length;
      console.log(`engine contract ${name}: ${count('pass')}/${suite.tasks.length} passed, ${count('skip')} not applicable`);
    });
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
        ${flow('yes', 'g', 'ok', '=passed')}${flow('no', 'g', 'ko')}${userTask('ok')}${userTask('ko')}
        ${flow('f2', 'ok', 'e1')}${flow('f3', 'ko', 'e2')}<bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />`);
      const engine = make();
      for (const [votes, next] of [[6, 'ok'], [4, 'ko']] as const) {
        const { steps } = await run(engine, xml, [
          () => ({ type: 'start', variables: {} }),
          (s) => ({ type: 'completeTask', ref: task(s), variables: { votes } }),
          (s) => ({ type: 'completeTask', ref: task(s), variables: {} }),
        ], { quorum: 5 });
        expect(tasks(steps[1])).toEqual([next]);
        expect(steps[1].variables.passed).toBe(votes > 5);
        expect(steps[1].events.map((e) => e.elementId)).toContain('t');
        expect(steps[2].status).toBe('completed');
      }
    });

    it('runs parallel branches, sub-processes and internal service handlers', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />
        ${flow('f1', 'fork', 'a')}${flow('f2', 'fork', 'sub')}${userTask('a')}
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${flow('sf0', 'ss', 'b')}${userTask('b')}${flow('sf1', 'b', 'se')}<bpmn:endEvent id="se" /></bpmn:subProcess>
        ${flow('f3', 'a', 'join')}${flow('f4', 'sub', 'join')}<bpmn:parallelGateway id="join" />${flow('f5', 'join', 'svc')}
        <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="double" /></bpmn:extensionElements></bpmn:serviceTask>
        ${flow('f6', 'svc', 'check')}${userTask('check')}${flow('f7', 'check', 'e')}<bpmn:endEvent id="e" />`);
      const { steps } = await run(make(), xml, [
        () => ({ type: 'start', variables: { n: 21 } }),
        (s) => ({ type: 'completeTask', ref: task(s, 'a'), variables: {} }),
        (s) => ({ type: 'completeTask', ref: task(s, 'b'), variables: {} }),
        (s) => ({ type: 'completeTask', ref: task(s, 'check'), variables: {} }),
      ]);
      expect(tasks(steps[0])).toEqual(['a', 'b']);
      expect(tasks(steps[1])).toEqual(['b']);
      expect(tasks(steps[2])).toEqual(['check']);
      expect(steps[2].variables.doubled).toBe(42);
      expect(steps[2].events.map((e) => e.elementId)).toContain('svc');
      expect(steps[3].status).toBe('completed');
    });

    it('turns a failing handler into an incident at its element', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'svc')}
        <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="explode" /></bpmn:extensionElements></bpmn:serviceTask>
        ${flow('f2', 'svc', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const { steps } = await run(engine, xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'completeTask', ref: task(s), variables: { x: 1 } })]);
      expect(steps[1].status).toBe('incident');
      expect(steps[1].incident).toMatchObject({ elementId: 'svc' });
      expect(steps[1].incident!.message).toContain('boom');
      // An engine whose state we keep must hand back the state from before the failed step (for a retry).
      if (!engine.selfDriven) expect(steps[1].state).toEqual(steps[0].state);
    });

    it('lets an event-based gateway take the message, and the error end event reach its boundary', async () => {
      const extra = `<bpmn:message id="m" name="answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=key" /></bpmn:extensionElements></bpmn:message>
        <bpmn:error id="err" errorCode="REFUSED" />`;
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'eg')}<bpmn:eventBasedGateway id="eg" />
        ${flow('f1', 'eg', 'msg')}${flow('f2', 'eg', 'tmo')}
        <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="tmo"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('f3', 'tmo', 'late')}${userTask('late')}${flow('f3b', 'late', 'e0')}<bpmn:endEvent id="e0" />${flow('f4', 'msg', 'sub')}
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${flow('sf', 'ss', 'se')}<bpmn:endEvent id="se"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent></bpmn:subProcess>
        <bpmn:boundaryEvent id="caught" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
        ${flow('f5', 'caught', 'handled')}${userTask('handled')}${flow('f5b', 'handled', 'e1')}<bpmn:endEvent id="e1" />
        ${flow('f6', 'sub', 'normal')}${userTask('normal')}${flow('f6b', 'normal', 'e2')}<bpmn:endEvent id="e2" />`, extra);
      const engine = make();
      const key = `K-${unique}-${seq}`;
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { key } })]);
      let after: Step;
      expect(steps[0].waits.map((w) => w.kind).sort()).toEqual(['message', 'timer']);
      expect(steps[0].waits.find((w) => w.kind === 'message')).toMatchObject({ messageName: 'answer', correlationKey: key });
      if (engine.selfDriven) {
        // Zeebe keeps the subscription; the message goes to the broker by name and key.
        await engine.publishMessage!({ name: 'answer', correlationKey: key, variables: { reply: 'yes' }, ttlMs: 60_000 });
        after = await progressed(engine, ctx, (s) => tasks(s).length > 0);
      } else {
        after = await engine.run(ctx, { type: 'correlate', ref: steps[0].waits.find((w) => w.kind === 'message')!.ref, variables: { reply: 'yes' } });
      }
      expect(tasks(after)).toEqual(['handled']);
      expect(after.variables.reply).toBe('yes');
    });

    it('lets a non-interrupting timer open a reminder while the task stays open', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}
        <bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>=params.review</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f1', 'b', 'remind')}${userTask('remind')}${flow('f1b', 'remind', 'eb')}<bpmn:endEvent id="eb" />${flow('f2', 't', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} })], { review: 'PT1S' });
      expect(tasks(steps[0])).toEqual(['t']);
      const after = engine.selfDriven
        ? await progressed(engine, ctx, (s) => tasks(s).includes('remind'))
        : await new Promise((r) => setTimeout(r, 1100)).then(() =>
            engine.run(ctx, { type: 'fireTimers', refs: steps[0].waits.filter((w) => w.kind === 'timer').map((w) => w.ref) }));
      expect(tasks(after)).toEqual(['remind', 't']);
    });

    it.skipIf(opts.selfDriven)('keeps a timer\'s original due time when the instance is recovered later (engines whose timers we keep)', async () => {
      const engine = make();
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}
        <bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>=params.review</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f1', 'b', 'eb')}<bpmn:endEvent id="eb" />${flow('f2', 't', 'e')}<bpmn:endEvent id="e" />`);
      const { steps } = await run(engine, xml, [() => ({ type: 'start', variables: {} })], { review: 'P90D' });
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
