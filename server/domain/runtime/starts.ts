// Timer start events, for an engine that leaves them to us (Zeebe's broker runs its own): each
// jurisdiction where a process with a timer start is effective gets one schedule, computed from the
// latest version effective there (a redeploy replaces it). The scheduler's tick moves a due time on
// by compare-and-set in the store before it starts the instance, so each firing starts one instance,
// even with several processes or a restart in between (a crash after the claim loses that one
// firing rather than starting it twice). Firings missed while down collapse into one.
import { compile } from '../../bpmn/read.js';
import { resolveText } from '../../feel/index.js';
import { buildModel, type TimerDef } from '../../engine/embedded/model.js';
import { firstDue, nextDue, type Due } from '../../engine/embedded/time.js';
import type { DefinitionRecord, StartSchedule, Store } from '../../store/index.js';
import type { Jurisdictions } from '../jurisdictions.js';
import type { Instances } from './instances.js';

export class StartTimers {
  /** The timer start of each deployed version (null: none), read once. */
  private readonly timers = new Map<string, Promise<TimerDef | null>>();

  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly instances: Instances,
  ) {}

  private timer(def: DefinitionRecord, id: string): Promise<TimerDef | null> {
    let entry = this.timers.get(id);
    if (!entry) {
      entry = compile(def.xml).then((c) => {
        const model = buildModel(c, def.key);
        const start = [...model.nodes.values()].find((n) => n.kind === 'start' && n.scope === model.processId && n.timer);
        return start?.timer ?? null;
      });
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
        const def = await this.store.definitions.get(p.definedAt, p.key, p.version);
        const timer = def && (await this.timer(def, definition));
        if (!def || !timer) continue;
        let schedule = current;
        if (schedule?.definition !== definition) {
          const first = this.schedule(jurisdiction, p.key, definition, firstDue(timer.type, resolveText(timer.expression, {})!, now));
          if (!(await this.store.startSchedules.swap(schedule, first))) continue;
          schedule = first;
        }
        if (!schedule.dueAt || schedule.dueAt > now.toISOString()) continue;
        if (!(await this.store.startSchedules.swap(schedule, this.following(schedule, now)))) continue;
        await this.instances.create(jurisdiction, def, {}, 'system');
        started++;
      }
    }
    return started;
  }

  private schedule(jurisdiction: string, processKey: string, definition: string, due: Due | null): StartSchedule {
    return { jurisdiction, processKey, definition, dueAt: due?.dueAt ?? null, repeat: due?.repeat ?? null };
  }

  /** The next firing after one due now: the cycle's next time after now, or none. */
  private following(s: StartSchedule, now: Date): StartSchedule {
    let next = nextDue(s.dueAt!, s.repeat ?? undefined);
    while (next && next.dueAt <= now.toISOString()) next = nextDue(next.dueAt, next.repeat);
    return this.schedule(s.jurisdiction, s.processKey, s.definition, next);
  }
}
