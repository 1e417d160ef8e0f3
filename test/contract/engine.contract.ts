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

    it('reports FEEL syntax errors, flows without conditions and service tasks without a job type (any type deploys: external workers take it)', async () => {
      const engine = make();
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'g')}<bpmn:exclusiveGateway id="g" />
        ${flow('fa', 'g', 'e1', '=x &gt;')}${flow('fb', 'g', 'svc')}
        <bpmn:serviceTask id="svc" />
        ${flow('fc', 'svc', 'ext')}
        <bpmn:serviceTask id="ext"><bpmn:extensionElements><zeebe:taskDefinition type="county-case-system" /></bpmn:extensionElements></bpmn:serviceTask>
        ${flow('fd', 'ext', 'e1')}<bpmn:endEvent id="e1" />`);
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
      // The task's completion stands (Zeebe: the incident is the service task's alone); it opens no task again.
      expect(tasks(steps[1])).toEqual([]);
      expect(steps[1].waits).toMatchObject([{ kind: 'incident', elementId: 'svc' }]);
    });

    it('stops only the element an incident is at: a parallel branch goes on, and resolving tries that element again', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />${flow('fa', 'fork', 'g')}${flow('fb', 'fork', 'b')}
        <bpmn:exclusiveGateway id="g" />${flow('fg', 'g', 'a', '=x = 1')}${userTask('a')}${flow('fa2', 'a', 'ea')}<bpmn:endEvent id="ea" />
        ${userTask('b')}${flow('fb2', 'b', 'eb')}<bpmn:endEvent id="eb" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} })]);
      expect(steps[0]).toMatchObject({ status: 'incident', incident: { elementId: 'g' } });
      expect(tasks(steps[0])).toEqual(['b']);
      const b = await next(engine, ctx, { type: 'completeTask', ref: task(steps[0]), variables: { done: 'b' } });
      expect(b).toMatchObject({ status: 'incident', incident: { elementId: 'g' }, variables: { done: 'b' } });
      expect(tasks(b)).toEqual([]);
      const ref = b.waits.find((w) => w.kind === 'incident' && w.elementId === 'g')!.ref;
      const resolved = await next(engine, { ...ctx, patch: { x: 1 } }, { type: 'resolveIncident', ref });
      ctx.state = resolved.state;
      expect(resolved.status).toBe('active');
      expect(tasks(resolved)).toEqual(['a']);
      expect((await next(engine, ctx, { type: 'completeTask', ref: task(resolved), variables: {} })).status).toBe('completed');
    });

    it('stops a message catch whose correlation key is null at that element; resolved with the key, it waits for the message', async () => {
      const extra = `<bpmn:message id="m" name="answer"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>`;
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />${flow('fa', 'fork', 'answer')}${flow('fb', 'fork', 'b')}
        <bpmn:intermediateCatchEvent id="answer"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>${flow('fa2', 'answer', 'ea')}<bpmn:endEvent id="ea" />
        ${userTask('b')}${flow('fb2', 'b', 'eb')}<bpmn:endEvent id="eb" />`, extra);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} })]);
      expect(steps[0]).toMatchObject({ status: 'incident', incident: { elementId: 'answer' } });
      expect(steps[0].incident!.message).toMatch(/correlation key/);
      expect(tasks(steps[0])).toEqual(['b']);
      const ref = steps[0].waits.find((w) => w.kind === 'incident' && w.elementId === 'answer')!.ref;
      const key = `C-${unique}-${seq}`;
      const resolved = await next(engine, { ...ctx, patch: { caseId: key } }, { type: 'resolveIncident', ref });
      expect(resolved.status).toBe('active');
      expect(resolved.waits.find((w) => w.kind === 'message')).toMatchObject({ elementId: 'answer', messageName: 'answer', correlationKey: key });
      expect(tasks(resolved)).toEqual(['b']);
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

    // ---- the Zeebe 8 palette ----

    const MI = (attrs: string, z: string, condition = '') =>
      `<bpmn:multiInstanceLoopCharacteristics${attrs}><bpmn:extensionElements><zeebe:loopCharacteristics ${z} /></bpmn:extensionElements>${condition ? `<bpmn:completionCondition>${condition}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics>`;
    const miTask = (id: string, loop: string) =>
      `<bpmn:userTask id="${id}" name="会签 ${id}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements>${loop}</bpmn:userTask>`;
    const taskRefs = (s: Step, elementId: string) => s.waits.filter((w) => w.kind === 'userTask' && w.elementId === elementId).map((w) => w.ref);
    const next = async (engine: Engine, ctx: InstanceContext, command: Parameters<Engine['run']>[1]) => {
      const step = await engine.run(ctx, command);
      ctx.state = step.state;
      return step;
    };

    it('accepts multi-instance (会签), call activities and timer starts at deploy; refuses a call naming no process, in Chinese', async () => {
      const engine = make();
      const ok = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'sign')}${miTask('sign', MI('', 'inputCollection="=signers" inputElement="signer"'))}${flow('f1', 'sign', 'e')}<bpmn:endEvent id="e" />`);
      expect((await engine.inspect(ok)).problems).toEqual([]);
      const call = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'call')}<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="other" propagateAllChildVariables="false" /></bpmn:extensionElements></bpmn:callActivity>${flow('f1', 'call', 'e')}<bpmn:endEvent id="e" />`);
      expect((await engine.inspect(call)).problems).toEqual([]);
      const quarterly = doc(`<bpmn:startEvent id="s" name="每季度"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P3M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>${flow('f0', 's', 'e')}<bpmn:endEvent id="e" />`);
      expect((await engine.inspect(quarterly)).problems).toEqual([]);
      const refused = doc(`<bpmn:startEvent id="s" name="开始"><bpmn:signalEventDefinition /></bpmn:startEvent>
        ${flow('f0', 's', 'call')}<bpmn:callActivity id="call" name="调用" />
        ${flow('f1', 'call', 'loop')}<bpmn:task id="loop"><bpmn:standardLoopCharacteristics /></bpmn:task>${flow('f2', 'loop', 'e')}<bpmn:endEvent id="e" />`);
      const { problems } = await engine.inspect(refused);
      // A standard loop deploys and is ignored, as on Zeebe: only multi-instance repeats.
      expect([...new Set(problems.map((p) => p.elementId))].sort()).toEqual(['call', 's']);
      for (const p of problems) expect(p.message).toMatch(/[\u4e00-\u9fff]{4}/);
      expect(problems.find((p) => p.elementId === 's')!.message).toContain('信号');
      expect(problems.find((p) => p.elementId === 'call')!.message).toContain('要调用的流程');
    });

    it('runs a parallel multi-instance task: "2 of 3 suffice" completes it, collects outputs and cancels the rest', async () => {
      const loop = MI('', 'inputCollection="=signers" inputElement="signer" outputCollection="votes" outputElement="=vote"', '=numberOfCompletedInstances &gt;= 2');
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'sign')}${miTask('sign', loop)}${flow('f1', 'sign', 'after')}${userTask('after')}${flow('f2', 'after', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { signers: ['张', '王', '李'] } })]);
      const refs = taskRefs(steps[0], 'sign');
      expect(refs).toHaveLength(3);
      expect(new Set(refs).size).toBe(3);
      const one = await next(engine, ctx, { type: 'completeTask', ref: refs[0]!, variables: { vote: 'yes' } });
      expect(tasks(one)).toEqual(['sign', 'sign']);
      const two = await next(engine, ctx, { type: 'completeTask', ref: refs[2]!, variables: { vote: 'no' } });
      expect(tasks(two)).toContain('after');
      expect(tasks(two)).toEqual(['after']);
      expect(two.variables.votes).toEqual(['yes', null, 'no']);
      // The inner instances kept vote local: nothing leaked into the process scope.
      expect(two.variables).not.toHaveProperty('vote');
    });

    it('gives each multi-instance task its element and loopCounter as local variables', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'sign')}${miTask('sign', MI('', 'inputCollection="=signers" inputElement="signer"'))}${flow('f1', 'sign', 'e')}<bpmn:endEvent id="e" />`);
      const { steps } = await run(make(), xml, [() => ({ type: 'start', variables: { signers: ['张', '王'], topic: 't' } })]);
      const seen = steps[0].waits.filter((w) => w.kind === 'userTask').map((w) => (w as { variables?: Record<string, unknown> }).variables);
      expect(seen).toEqual([
        { signers: ['张', '王'], topic: 't', signer: '张', loopCounter: 1 },
        { signers: ['张', '王'], topic: 't', signer: '王', loopCounter: 2 },
      ]);
    });

    it('shows each user task the variables of its activation, as its Zeebe job carries them', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />${flow('f1', 'fork', 'a')}${flow('f2', 'fork', 'b')}
        ${userTask('a')}${userTask('b')}${flow('f3', 'a', 'join')}${flow('f4', 'b', 'join')}<bpmn:parallelGateway id="join" />${flow('f5', 'join', 'c')}${userTask('c')}${flow('f6', 'c', 'e')}<bpmn:endEvent id="e" />`);
      const { steps } = await run(make(), xml, [
        () => ({ type: 'start', variables: { x: 1 } }),
        (s) => ({ type: 'completeTask', ref: task(s, 'b'), variables: { x: 2, y: 3 } }),
        (s) => ({ type: 'completeTask', ref: task(s, 'a'), variables: {} }),
      ]);
      const seen = (s: Step, id: string) => (s.waits.find((w) => w.elementId === id) as { variables?: object }).variables;
      expect(steps[1].variables).toEqual({ x: 2, y: 3 });
      expect(seen(steps[1], 'a')).toEqual({ x: 1 });
      expect(seen(steps[2], 'c')).toEqual({ x: 2, y: 3 });
    });

    it('runs a sequential multi-instance one signer at a time, in order, and passes an empty list straight through', async () => {
      const loop = MI(' isSequential="true"', 'inputCollection="=signers" inputElement="signer" outputCollection="notes" outputElement="=signer + &quot;:&quot; + note"');
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'sign')}${miTask('sign', loop)}${flow('f1', 'sign', 'after')}${userTask('after')}${flow('f2', 'after', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { signers: ['甲', '乙'] } })]);
      expect(tasks(steps[0])).toEqual(['sign']);
      const second = await next(engine, ctx, { type: 'completeTask', ref: task(steps[0]), variables: { note: '同意' } });
      expect(tasks(second)).toEqual(['sign']);
      expect(task(second)).not.toBe(task(steps[0]));
      const after = await next(engine, ctx, { type: 'completeTask', ref: task(second), variables: { note: '反对' } });
      expect(tasks(after)).toEqual(['after']);
      expect(after.variables.notes).toEqual(['甲:同意', '乙:反对']);
      const empty = await run(engine, xml, [() => ({ type: 'start', variables: { signers: [] } })]);
      expect(tasks(empty.steps[0])).toEqual(['after']);
      expect(empty.steps[0].variables.notes).toEqual([]);
    });

    it('applies input mappings locally and propagates results to the nearest scope holding each name (Zeebe scoping)', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'sub')}
        <bpmn:subProcess id="sub"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=0" target="draft" /></zeebe:ioMapping></bpmn:extensionElements>
          <bpmn:startEvent id="ss" />${flow('sf0', 'ss', 't')}
          ${userTask('t', '<zeebe:ioMapping><zeebe:input source="=base * 2" target="twice" /></zeebe:ioMapping>')}${flow('sf1', 't', 'se')}<bpmn:endEvent id="se" /></bpmn:subProcess>
        ${flow('f1', 'sub', 'check')}${userTask('check', '<zeebe:ioMapping><zeebe:input source="=twice" target="seen" /></zeebe:ioMapping>')}${flow('f2', 'check', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { base: 21 } })]);
      expect((steps[0].waits[0] as { variables?: object }).variables).toEqual({ base: 21, draft: 0, twice: 42 });
      const after = await next(engine, ctx, { type: 'completeTask', ref: task(steps[0]), variables: { draft: 1, twice: 0, result: 'ok' } });
      expect(tasks(after)).toEqual(['check']);
      expect(after.variables.result).toBe('ok');
      // draft lived in the sub-process, twice in the task: both ended with their scopes.
      expect(after.variables).toEqual({ base: 21, result: 'ok' });
      expect((after.waits[0] as { variables?: object }).variables).toEqual({ base: 21, result: 'ok', seen: null });
    });

    it('forks and joins an inclusive gateway over the branches whose conditions hold (Zeebe 8.6)', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'split')}<bpmn:inclusiveGateway id="split" default="fc" />
        ${flow('fa', 'split', 'a', '=x &gt; 1')}${flow('fb', 'split', 'b', '=x &gt; 2')}${flow('fc', 'split', 'c')}
        ${userTask('a')}${userTask('b')}${userTask('c')}${flow('ja', 'a', 'join')}${flow('jb', 'b', 'b2')}${userTask('b2')}${flow('jb2', 'b2', 'join')}${flow('jc', 'c', 'join')}
        <bpmn:inclusiveGateway id="join" />${flow('f9', 'join', 'after')}${userTask('after')}${flow('f10', 'after', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const both = await run(engine, xml, [() => ({ type: 'start', variables: { x: 5 } }), (s) => ({ type: 'completeTask', ref: task(s, 'a'), variables: {} })]);
      expect(tasks(both.steps[0])).toEqual(['a', 'b']);
      expect(tasks(both.steps[1])).toEqual(['b']);
      // b's branch goes on through b2: the join still waits for it.
      const through = await next(engine, both.ctx, { type: 'completeTask', ref: task(both.steps[1], 'b'), variables: {} });
      expect(tasks(through)).toEqual(['b2']);
      const joined = await next(engine, both.ctx, { type: 'completeTask', ref: task(through, 'b2'), variables: {} });
      expect(tasks(joined)).toEqual(['after']);
      const fallback = await run(engine, xml, [() => ({ type: 'start', variables: { x: 0 } }), (s) => ({ type: 'completeTask', ref: task(s, 'c'), variables: {} })]);
      expect(tasks(fallback.steps[0])).toEqual(['c']);
      expect(tasks(fallback.steps[1])).toEqual(['after']);
    });

    it('ends everything at a terminate end event', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />
        ${flow('f1', 'fork', 'a')}${flow('f2', 'fork', 'b')}${userTask('a')}${userTask('b')}
        ${flow('f3', 'a', 'stop')}<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>${flow('f4', 'b', 'e')}<bpmn:endEvent id="e" />`);
      const { steps } = await run(make(), xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'completeTask', ref: task(s, 'a'), variables: {} })]);
      expect(steps[1].status).toBe('completed');
      expect(steps[1].waits).toEqual([]);
    });

    it('catches an error end event in an event sub-process of the process, ending the other branch', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork" />${flow('f1', 'fork', 'a')}${flow('f2', 'fork', 'b')}
        ${userTask('a')}${userTask('b')}${flow('f3', 'a', 'fail')}<bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>${flow('f4', 'b', 'e')}<bpmn:endEvent id="e" />
        <bpmn:subProcess id="onError" triggeredByEvent="true"><bpmn:startEvent id="es"><bpmn:errorEventDefinition errorRef="err" /></bpmn:startEvent>
          ${flow('ef0', 'es', 'fix')}${userTask('fix')}${flow('ef1', 'fix', 'ee')}<bpmn:endEvent id="ee" /></bpmn:subProcess>`, '<bpmn:error id="err" errorCode="BAD" />');
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'completeTask', ref: task(s, 'a'), variables: {} })]);
      expect(tasks(steps[1])).toEqual(['fix']);
      const done = await next(engine, ctx, { type: 'completeTask', ref: task(steps[1], 'fix'), variables: {} });
      expect(done.status).toBe('completed');
    });

    it('interrupts a task by a message boundary event, correlating by the key resolved at activation', async () => {
      const extra = `<bpmn:message id="m" name="withdraw"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseNo" /></bpmn:extensionElements></bpmn:message>`;
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'e')}<bpmn:endEvent id="e" />
        <bpmn:boundaryEvent id="w" attachedToRef="t"><bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>${flow('f2', 'w', 'closed')}${userTask('closed')}${flow('f3', 'closed', 'e2')}<bpmn:endEvent id="e2" />`, extra);
      const engine = make();
      const key = `W-${unique}-${seq}`;
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { caseNo: key } })]);
      let after: Step;
      if (engine.selfDriven) {
        await engine.publishMessage!({ name: 'withdraw', correlationKey: key, variables: { reason: '撤回' }, ttlMs: 60_000 });
        after = await progressed(engine, ctx, (s) => tasks(s).includes('closed'));
      } else {
        const wait = steps[0].waits.find((w) => w.kind === 'message')!;
        expect(wait).toMatchObject({ elementId: 'w', messageName: 'withdraw', correlationKey: key });
        after = await next(engine, ctx, { type: 'correlate', ref: wait.ref, variables: { reason: '撤回' } });
      }
      expect(tasks(after)).toEqual(['closed']);
      expect(after.variables.reason).toBe('撤回');
    });

    it.skipIf(opts.selfDriven)('runs event sub-processes: a non-interrupting message alongside, an interrupting timer ending the rest (timers we keep)', async () => {
      const extra = `<bpmn:message id="m" name="remark"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseNo" /></bpmn:extensionElements></bpmn:message>`;
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'e')}<bpmn:endEvent id="e" />
        <bpmn:subProcess id="note" triggeredByEvent="true"><bpmn:startEvent id="ns" isInterrupting="false"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
          ${flow('n0', 'ns', 'read')}${userTask('read')}${flow('n1', 'read', 'ne')}<bpmn:endEvent id="ne" /></bpmn:subProcess>
        <bpmn:subProcess id="late" triggeredByEvent="true"><bpmn:startEvent id="ls"><bpmn:timerEventDefinition><bpmn:timeDate>2000-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>
          ${flow('l0', 'ls', 'escalate')}${userTask('escalate')}${flow('l1', 'escalate', 'le')}<bpmn:endEvent id="le" /></bpmn:subProcess>`, extra);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { caseNo: 'N1' } })]);
      expect(steps[0].waits.map((w) => `${w.kind}:${w.elementId}`).sort()).toEqual(['message:ns', 'timer:ls', 'userTask:t']);
      const noted = await next(engine, ctx, { type: 'correlate', ref: steps[0].waits.find((w) => w.kind === 'message')!.ref, variables: { remark: '请加快' } });
      expect(tasks(noted)).toEqual(['read', 't']);
      expect(noted.waits.map((w) => w.elementId)).toContain('ns'); // a non-interrupting start stays open
      const fired = await next(engine, ctx, { type: 'fireTimers', refs: noted.waits.filter((w) => w.kind === 'timer').map((w) => w.ref) });
      expect(tasks(fired)).toEqual(['escalate']);
      expect(fired.waits.map((w) => w.kind)).toEqual(['userTask']);
      expect(fired.variables.remark).toBe('请加快');
      const done = await next(engine, ctx, { type: 'completeTask', ref: task(fired), variables: {} });
      expect(done.status).toBe('completed');
    });

    it.skipIf(opts.selfDriven)('waits for signals, broadcasts a thrown one as an effect, and starts at a signal start event (signals we deliver)', async () => {
      const extra = `<bpmn:signal id="go" name="=&quot;开&quot; + &quot;会&quot;" /><bpmn:signal id="done" name="散会" />`;
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'wait')}<bpmn:startEvent id="called"><bpmn:signalEventDefinition signalRef="go" /></bpmn:startEvent>${flow('f9', 'called', 't')}
        <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="go" /></bpmn:intermediateCatchEvent>${flow('f1', 'wait', 't')}${userTask('t')}${flow('f2', 't', 'bye')}
        <bpmn:intermediateThrowEvent id="bye"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="n" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:signalEventDefinition signalRef="done" /></bpmn:intermediateThrowEvent>${flow('f3', 'bye', 'e')}<bpmn:endEvent id="e" />`, extra);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} })]);
      expect(steps[0].waits).toEqual([expect.objectContaining({ kind: 'signal', elementId: 'wait', signalName: '开会' })]);
      const woken = await next(engine, ctx, { type: 'correlate', ref: steps[0].waits[0]!.ref, variables: { room: '礼堂' } });
      expect(tasks(woken)).toEqual(['t']);
      expect(woken.variables.room).toBe('礼堂');
      const thrown = await next(engine, ctx, { type: 'completeTask', ref: task(woken), variables: {} });
      expect(thrown.status).toBe('completed');
      expect(thrown.effects).toEqual([{ type: 'broadcast-signal', name: '散会', variables: { n: 1 } }]);
      const started = await run(engine, xml, [() => ({ type: 'start', variables: {}, startAt: 'called' })]);
      expect(tasks(started.steps[0]!)).toEqual(['t']);
      expect(started.steps[0]!.events.map((e) => e.elementId)).toEqual(['called']);
    });

    it.skipIf(opts.selfDriven)('waits at an intermediate timer until its due time, and repeats a non-interrupting cycle (timers we keep)', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'wait')}
        <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('f1', 'wait', 't')}${userTask('t')}${flow('f2', 't', 'e')}<bpmn:endEvent id="e" />
        <bpmn:boundaryEvent id="nag" attachedToRef="t" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/2000-01-01T00:00:00Z/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f3', 'nag', 'ping')}<bpmn:serviceTask id="ping"><bpmn:extensionElements><zeebe:taskDefinition type="double" /></bpmn:extensionElements></bpmn:serviceTask>${flow('f4', 'ping', 'pe')}<bpmn:endEvent id="pe" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: { delay: 'P2D', n: 1 } })]);
      const timer = steps[0].waits[0] as { kind: string; dueAt: string; ref: string };
      expect(timer.kind).toBe('timer');
      expect(Math.round((Date.parse(timer.dueAt) - Date.now()) / 3_600_000)).toBe(48);
      const early = await next(engine, ctx, { type: 'fireTimers', refs: [timer.ref] });
      expect(early.waits).toEqual(steps[0].waits); // not due yet: nothing moves
      // The first cycle falls due at its start (long past), the second an hour later, then no more.
      const cycle = await run(engine, xml, [() => ({ type: 'start', variables: { delay: 'PT0S', n: 1 } }), (s) => ({ type: 'fireTimers', refs: s.waits.map((w) => w.ref) })]);
      const first = cycle.steps[1];
      expect(tasks(first)).toEqual(['t']);
      const nag = first.waits.find((w) => w.kind === 'timer')!;
      const fired = await next(engine, cycle.ctx, { type: 'fireTimers', refs: [nag.ref] });
      expect(fired.events.map((e) => e.elementId)).toEqual(['nag', 'ping', 'pe']);
      const again = fired.waits.find((w) => w.kind === 'timer') as { ref: string; dueAt: string };
      expect(again.dueAt).toBe('2000-01-01T01:00:00.000Z');
      const last = await next(engine, cycle.ctx, { type: 'fireTimers', refs: [again.ref] });
      expect(last.waits.map((w) => w.kind)).toEqual(['userTask']);
    });

    it('returns to an earlier task by a modification (退回): terminate the current task, activate the earlier one', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 'draft')}${userTask('draft')}${flow('f1', 'draft', 'sub')}
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />${flow('sf0', 'ss', 'review')}${userTask('review')}${flow('sf1', 'review', 'se')}<bpmn:endEvent id="se" /></bpmn:subProcess>
        ${flow('f2', 'sub', 'e')}<bpmn:endEvent id="e" />`);
      const engine = make();
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'completeTask', ref: task(s), variables: { text: 'v1' } })]);
      expect(tasks(steps[1])).toEqual(['review']);
      const back = await next(engine, ctx, { type: 'modify', terminate: [task(steps[1])], activate: [{ elementId: 'draft', variables: { returnedBy: 'review' } }] });
      expect(tasks(back)).toEqual(['draft']);
      expect(back.variables).toMatchObject({ text: 'v1', returnedBy: 'review' });
      expect(task(back)).not.toBe(task(steps[0]));
      // Straight into a task inside a sub-process: its scope is created on the way.
      const jump = await next(engine, ctx, { type: 'modify', terminate: [task(back)], activate: [{ elementId: 'review' }] });
      expect(tasks(jump)).toEqual(['review']);
      const done = await next(engine, ctx, { type: 'completeTask', ref: task(jump), variables: {} });
      expect(done.status).toBe('completed');
      const cancelled = await run(engine, xml, [() => ({ type: 'start', variables: {} }), (s) => ({ type: 'modify', terminate: [task(s)], activate: [] })]);
      expect(cancelled.steps[1].status).toBe('cancelled');
      // Nothing waits as 'nope': our engine's step is an incident, Zeebe's adapter refuses it (409).
      const wrong = await engine.run(cancelled.ctx, { type: 'modify', terminate: ['nope'], activate: [] }).catch((err: { status?: number }) => err);
      if (engine.selfDriven) expect(wrong).toMatchObject({ status: 409 });
      else expect(wrong).toMatchObject({ status: 'incident' });
    });

    it.skipIf(opts.selfDriven)('stops an unmatched gateway and a bad input collection at their element; an unknown state format fails the command, state untouched', async () => {
      const engine = make();
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'g')}<bpmn:exclusiveGateway id="g" />
        ${flow('fa', 'g', 'sign', '=x = 1')}${flow('fb', 'g', 'e', '=x = 2')}${miTask('sign', MI('', 'inputCollection="=signers"'))}${flow('f2', 'sign', 'e')}<bpmn:endEvent id="e" />`);
      const { steps, ctx } = await run(engine, xml, [() => ({ type: 'start', variables: {} })]);
      const none = await engine.run(ctx, { type: 'completeTask', ref: task(steps[0]), variables: { x: 3 } });
      expect(none).toMatchObject({ status: 'incident', incident: { elementId: 'g' }, waits: [{ kind: 'incident', elementId: 'g' }], variables: { x: 3 } });
      expect(none.failed).toBeFalsy();
      const bad = await engine.run(ctx, { type: 'completeTask', ref: task(steps[0]), variables: { x: 1, signers: 'not a list' } });
      expect(bad).toMatchObject({ status: 'incident', incident: { elementId: 'sign' }, waits: [{ kind: 'incident', elementId: 'sign' }] });
      // Resolved with a list, the body enters again.
      const fixed = await engine.run({ ...ctx, state: bad.state, patch: { signers: ['甲'] } }, { type: 'resolveIncident', ref: bad.waits[0]!.ref });
      expect(tasks(fixed)).toEqual(['sign']);
      const alien = await engine.run({ ...ctx, state: { engine: {}, variables: {} } }, { type: 'completeTask', ref: task(steps[0]), variables: {} });
      expect(alien).toMatchObject({ status: 'incident', failed: true });
      expect(alien.state).toEqual({ engine: {}, variables: {} });
    });

    it('gives every element instance its own ref: a task reached again by a loop is a new task', async () => {
      const xml = doc(`<bpmn:startEvent id="s" />${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'g')}<bpmn:exclusiveGateway id="g" default="done" />
        ${flow('again', 'g', 't', '=round &lt; 2')}${flow('done', 'g', 'e')}<bpmn:endEvent id="e" />`);
      const { steps } = await run(make(), xml, [
        () => ({ type: 'start', variables: {} }),
        (s) => ({ type: 'completeTask', ref: task(s), variables: { round: 1 } }),
        (s) => ({ type: 'completeTask', ref: task(s), variables: { round: 2 } }),
      ]);
      expect(task(steps[1])).not.toBe(task(steps[0]));
      expect(steps[2].status).toBe('completed');
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
