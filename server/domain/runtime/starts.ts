// Timer start events, for every engine (the broker gets the diagram without them, see
// engine/zeebe/event-starts.ts, since Zeebe would fire one per process id, not per jurisdiction): each
// jurisdiction where a process with a timer start is effective gets one schedule, computed from the
// latest version effective there (a redeploy replaces it). The scheduler's tick moves a due time on
// by compare-and-set in the store before it starts the instance, so each firing starts one instance,
// even with several processes or a restart in between (a crash after the claim loses that one
// firing rather than starting it twice). Firings missed while down are each made up on the next
// tick, so a cycle R<n> starts exactly n instances.
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
      for (const p of (await this.jurisdictions.effective(jurisdiction)).processes) {
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
          if (!(await this.store.startSchedules.swap(schedule, next))) break;
          await this.instances.create(jurisdiction, def, {}, 'system');
          started++;
          schedule = next;
        }
      }
    }
    return started;
  }

  private schedule(jurisdiction: string, processKey: string, definition: string, due: Due | null): StartSchedule {
    return { jurisdiction, processKey, definition, dueAt: due?.dueAt ?? null, repeat: due?.repeat ?? null };
  }
}
