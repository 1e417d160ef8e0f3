// Timer start events, for every engine (the broker gets the diagram without them, see
// engine/zeebe/event-starts.ts, since Zeebe would fire one per process id, not per jurisdiction): each
// jurisdiction where a process with a timer start is effective gets one schedule, computed from the
// latest version effective there (a redeploy replaces it). Each firing's instance has an id made
// from the firing, which the store starts once: the scheduler's tick starts it, then moves the due
// time on by compare-and-set. Any number of servers may tick at once, and one that crashes between
// the two leaves the firing due: the next tick, here or elsewhere, finds its instance there (a
// conflict) and only moves the due time on. So each firing starts exactly one instance. Firings
// missed while down are each made up on the next tick, so a cycle R<n> starts exactly n instances.
import crypto from 'node:crypto';
import { compile } from '../../bpmn/read.js';
import { resolveText } from '../../feel/index.js';
import { buildModel, type TimerDef } from '../../engine/embedded/model.js';
import { firstDue, nextDue, type Due } from '../../engine/embedded/time.js';
import type { DefinitionRecord, StartSchedule, Store } from '../../store/index.js';
import type { Jurisdictions } from '../jurisdictions.js';
import type { Instances } from './instances.js';

export class StartTimers {
  /** Each deployed version with its timer start (null: none), read once: most ticks touch no store row for it. */
  private readonly timers = new Map<string, Promise<{ def: DefinitionRecord; timer: TimerDef } | null>>();

  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly instances: Instances,
  ) {}

  private timer(p: { key: string; version: number; definedAt: string }, id: string) {
    let entry = this.timers.get(id);
    if (!entry) {
      entry = (async () => {
        const def = await this.store.definitions.get(p.definedAt, p.key, p.version);
        if (!def) return null;
        const model = buildModel(await compile(def.xml), def.key);
        const start = [...model.nodes.values()].find((n) => n.kind === 'start' && n.scope === model.processId && n.timer);
        return start?.timer ? { def, timer: start.timer } : null;
      })();
      entry.catch(() => this.timers.delete(id));
      this.timers.set(id, entry);
    }
    return entry;
  }

  /** Starts an instance for every schedule due by now; returns how many were started. */
  async tick(now = new Date()): Promise<number> {
    const stored = new Map((await this.store.startSchedules.list()).map((s) => [`${s.jurisdiction}/${s.processKey}`, s]));
    let started = 0;
    for (const { id: jurisdiction } of this.jurisdictions.list()) {
      for (const p of await this.jurisdictions.processes(jurisdiction)) {
        const definition = `${p.definedAt}/${p.key}/${p.version}`;
        const current = stored.get(`${jurisdiction}/${p.key}`) ?? null;
        if (current?.definition === definition && !current.dueAt) continue;
        const found = await this.timer(p, definition);
        if (!found) continue;
        const { def, timer } = found;
        let schedule = current;
        if (schedule?.definition !== definition) {
          const first = this.schedule(jurisdiction, p.key, definition, firstDue(timer.type, resolveText(timer.expression, {})!, now));
          if (!(await this.store.startSchedules.swap(schedule, first))) continue;
          schedule = first;
        }
        while (schedule.dueAt && schedule.dueAt <= now.toISOString()) {
          const next = this.schedule(jurisdiction, p.key, definition, nextDue(schedule.dueAt, schedule.repeat ?? undefined));
          if (await this.startOnce(jurisdiction, def, firingId(schedule))) started++;
          if (!(await this.store.startSchedules.swap(schedule, next))) break;
          schedule = next;
        }
      }
    }
    return started;
  }

  /** Starts a firing's instance unless it was started already (by another server, or before a crash). */
  private async startOnce(jurisdiction: string, def: DefinitionRecord, id: string): Promise<boolean> {
    try {
      await this.instances.create(jurisdiction, def, {}, 'system', id);
      return true;
    } catch (err) {
      if ((err as { status?: number }).status === 409) return false;
      throw err;
    }
  }

  private schedule(jurisdiction: string, processKey: string, definition: string, due: Due | null): StartSchedule {
    return { jurisdiction, processKey, definition, dueAt: due?.dueAt ?? null, repeat: due?.repeat ?? null };
  }
}

/** The instance id of one firing of a schedule: the same on every server, in UUID form. */
export function firingId(s: StartSchedule): string {
  const h = crypto.createHash('sha256').update(`${s.jurisdiction}/${s.processKey}/${s.definition}@${s.dueAt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
