// Call activities on an engine that leaves them to us (the embedded one; Zeebe's broker runs its
// own): after each committed step, a new call gets its child instance (the called process's latest
// version effective where the parent runs, Zeebe's default binding), a call that went takes its
// child with it, and a completed child completes its parent's call. The child is started after the
// parent's step is committed, not with it: a crash in between (or a called process not deployed yet)
// leaves a call without its child, which the sweep (tick) starts later. Its id is made from the call,
// so however many servers get there, one child is started.
import crypto from 'node:crypto';
import type { CallWait, EngineStarted, Step } from '../../engine/index.js';
import type { DefinitionRecord, InstanceRecord, JsonObject, Store } from '../../store/index.js';
import { auditEntry, type Steps } from './steps.js';
import { findInstance } from './records.js';

/** The called process where the parent runs, and the rule-set parameters the child starts with. */
export type ResolveCalled = (jurisdiction: string, key: string) => Promise<{ definition: DefinitionRecord; params: JsonObject }>;

const ENDED = new Set(['completed', 'cancelled']);

/** How often each server looks through a page of active instances for calls without their child (ms). */
export const CALL_SWEEP_MS = 5000;

export class Calls {
  private sweepCursor: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly steps: Steps,
    private readonly resolve: ResolveCalled,
  ) {
    steps.onCommitted((instance, step) => this.follow(instance, step));
  }

  private async follow(instance: InstanceRecord, step: Step) {
    // An incident at one element leaves the others running: their calls too.
    const calls = step.status === 'active' || (step.status === 'incident' && !step.failed) ? step.waits.filter((w): w is CallWait => w.kind === 'call') : [];
    if (calls.length || ENDED.has(step.status)) {
      const children = (await this.store.instances.list({ parentId: instance.id, limit: 1000 })).items;
      for (const child of children) {
        if (child.status === 'active' && !calls.some((c) => c.ref === child.parentRef)) {
          await this.steps.system(child.id, { type: 'cancel' }, 'instance.cancel');
        }
      }
      for (const call of calls) if (!children.some((c) => c.parentRef === call.ref)) await this.startChild(instance, call);
    }
    // The parent's lock may be held by the very step that started this child: complete it once that step is done.
    if (instance.parentId && instance.parentRef && step.status === 'completed') {
      const { parentId, parentRef } = instance;
      void this.steps.system(parentId, { type: 'completeCall', ref: parentRef, variables: step.variables }, 'call.complete').catch(() => undefined);
    }
  }

  /** Starts the children missing from the calls of one page of active instances (going round them over successive ticks). */
  async tick(): Promise<number> {
    const page = await this.store.instances.list({ status: 'active', limit: 100, cursor: this.sweepCursor });
    this.sweepCursor = page.nextCursor;
    let started = 0;
    for (const instance of page.items) {
      if (!(await this.steps.definitionXml(instance)).includes('callActivity')) continue;
      // A state the engine cannot read becomes an incident at the instance's next real step, not here.
      const calls = (await this.steps.peek(instance).catch(() => null))?.waits.filter((w): w is CallWait => w.kind === 'call') ?? [];
      if (!calls.length) continue;
      const children = (await this.store.instances.list({ parentId: instance.id, limit: 1000 })).items;
      for (const call of calls) {
        if (children.some((c) => c.parentRef === call.ref)) continue;
        // A called process still not deployed: the next round tries again.
        const ok = await this.startChild(instance, call).then(() => true, (err) => {
          if ((err as { status?: number }).status !== 404) throw err;
          return false;
        });
        if (ok) started++;
      }
    }
    return started;
  }

  /** A called instance a self-driven engine (Zeebe) started itself: recorded with its parent link, then synced. */
  async adopt(started: EngineStarted) {
    const parent = await findInstance(this.store, started.parentId);
    const { definition, params } = await this.resolve(parent.jurisdiction, started.processId);
    const child = this.childOf(parent, definition, params, started.instanceId, started.parentRef, {});
    await this.steps.start({ ...child, engineState: started.state }, definition.xml, { type: 'sync' }, 'system', [
      auditEntry('system', 'instance.start', child, { processKey: definition.key, version: definition.version, definedAt: definition.jurisdiction, parentId: parent.id }),
    ]);
  }

  private childOf(parent: InstanceRecord, definition: DefinitionRecord, params: JsonObject, id: string, parentRef: string, variables: JsonObject): InstanceRecord {
    return {
      id, jurisdiction: parent.jurisdiction, processKey: definition.key, version: definition.version,
      definedAt: definition.jurisdiction, status: 'active', startedAt: new Date().toISOString(), startedBy: parent.startedBy, endedAt: null,
      variables, params, active: [], incident: null, engineState: null, revision: 0, parentId: parent.id, parentRef,
    };
  }

  private async startChild(parent: InstanceRecord, call: CallWait) {
    const { definition, params } = await this.resolve(parent.jurisdiction, call.processId);
    // One child per call, whoever gets there first: a second start of the same id is refused by the store.
    const child = this.childOf(parent, definition, params, `${parent.id}.${call.ref}`, call.ref, call.variables);
    await this.steps.start(child, definition.xml, { type: 'start', variables: call.variables }, 'system', [
      auditEntry('system', 'instance.start', child, { processKey: definition.key, version: definition.version, definedAt: definition.jurisdiction, parentId: parent.id }),
    ]).catch((err) => {
      // Started meanwhile by another server (its sweep, or its step of the parent): that one is the child.
      if ((err as { status?: number }).status !== 409) throw err;
    });
  }
}
