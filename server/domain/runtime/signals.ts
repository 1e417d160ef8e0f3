// Signals, Zeebe's broadcast, scoped to one jurisdiction: a broadcast wakes every instance of that
// jurisdiction waiting for the signal (intermediate, boundary, event sub-process start) and starts
// an instance of every process in effect there whose start event waits for it. Another
// jurisdiction's instances never hear it. A signal comes from the API (a person or a worker) or
// from a throw or end event of an instance, delivered once that instance's step is committed.
// On a self-driven engine (Zeebe) the broker wakes the waiting instances itself and Yishi starts
// the signal-start processes, as it does for timer and message starts (engine/zeebe/event-starts.ts).
import { compile } from '../../bpmn/read.js';
import { buildModel } from '../../engine/embedded/model.js';
import type { Engine } from '../../engine/index.js';
import { badRequest, conflict, forbidden } from '../../errors.js';
import { resolveText } from '../../feel/index.js';
import { isPlainObject } from '../../json.js';
import type { DefinitionRecord, JsonObject, Store } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import type { Jurisdictions } from '../jurisdictions.js';
import { STARTERS, type Instances } from './instances.js';
import type { WorkerPrincipal } from './jobs.js';
import type { Steps } from './steps.js';

/** What one broadcast did here: instances woken and started (a self-driven engine wakes its own). */
export interface Broadcast {
  key: string;
  woken: string[];
  started: string[];
}

/** The signal start event of a deployed version, by signal name. */
type SignalStarts = Map<string, string>;

export class Signals {
  /** Each deployed version's signal start events, read once. */
  private readonly starts = new Map<string, Promise<SignalStarts>>();
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly steps: Steps,
    private readonly jurisdictions: Jurisdictions,
    private readonly instances: Instances,
    private readonly access: Access,
    private readonly onError: (err: unknown) => void,
  ) {
    // A throw or end event's broadcast goes out after its step is committed, outside its instance's
    // lock: the thrower's own waits may take it too, as on Zeebe.
    steps.onCommitted(async (instance, step) => {
      for (const e of step.effects) {
        if (e.type === 'broadcast-signal') void this.deliver(instance.jurisdiction, e.name, e.variables, 'system').catch(this.onError);
      }
    });
  }

  /** A person's broadcast (`POST /api/signals/broadcast`): in a jurisdiction where they may start cases. */
  async byUser(user: SessionUser, body: JsonObject): Promise<Broadcast> {
    const { jurisdiction } = body;
    if (typeof jurisdiction !== 'string' || !jurisdiction) throw badRequest('缺少辖区 jurisdiction', [{ path: '/jurisdiction', message: 'required' }]);
    this.access.require(user, jurisdiction, STARTERS);
    return this.broadcast(jurisdiction, body, user.username);
  }

  /** A worker's broadcast (Camunda's `POST /signals/broadcast`): the tenant is the jurisdiction, one of the account's. */
  async byWorker(worker: WorkerPrincipal, body: JsonObject): Promise<Broadcast> {
    const { tenantId } = body;
    if (typeof tenantId !== 'string' || !tenantId) throw badRequest('缺少 tenantId：信号在哪个辖区广播 (tenantId names the jurisdiction)', [{ path: '/tenantId', message: 'required' }]);
    if (!worker.jurisdictions.includes(tenantId)) throw forbidden(`作业账号 ${worker.name} 不能在辖区 ${tenantId} 广播信号 (not a jurisdiction of this account)`);
    return this.broadcast(tenantId, body, worker.name);
  }

  /** Checks a broadcast's body (Camunda's shape: signalName, variables) and sends it in the jurisdiction. */
  private async broadcast(jurisdiction: string, body: JsonObject, actor: string): Promise<Broadcast> {
    const { signalName, variables = {} } = body;
    if (typeof signalName !== 'string' || !signalName.trim()) throw badRequest('缺少信号名 signalName', [{ path: '/signalName', message: 'required' }]);
    if (!isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    return this.deliver(jurisdiction, signalName, variables as JsonObject, actor);
  }

  private async deliver(jurisdiction: string, name: string, variables: JsonObject, actor: string): Promise<Broadcast> {
    const key = `${Date.now()}${String(this.seq++ % 1000).padStart(3, '0')}`;
    const woken: string[] = [];
    if (this.engine.selfDriven && this.engine.broadcastSignal) await this.engine.broadcastSignal({ jurisdiction, name, variables });
    else {
      for (const sub of await this.store.messages.signalSubscriptions(name)) {
        const inst = await this.store.instances.get(sub.instanceId);
        if (inst?.jurisdiction !== jurisdiction || inst.status !== 'active') continue;
        // A wait that went meanwhile (an earlier catch of this broadcast ended it) is skipped, checked under the instance's lock.
        const stillWaiting = async () => {
          if (!(await this.store.messages.signalSubscriptions(name)).some((s) => s.instanceId === sub.instanceId && s.ref === sub.ref)) throw conflict('信号等待已结束 (the wait is gone)');
          return {};
        };
        await this.steps.execute(sub.instanceId, { type: 'correlate', ref: sub.ref, variables }, actor, { action: 'signal.catch', detail: { signalName: name }, before: stillWaiting })
          .then(() => woken.push(sub.instanceId), (err) => ((err as { status?: number }).status === 409 ? undefined : this.onError(err)));
      }
    }
    const started: string[] = [];
    for (const p of (await this.jurisdictions.effective(jurisdiction)).processes) {
      const def = await this.store.definitions.get(p.definedAt, p.key, p.version);
      const startAt = def && (await this.signalStarts(def)).get(name);
      if (startAt) started.push(await this.instances.create(jurisdiction, def, variables, actor, undefined, startAt));
    }
    return { key, woken, started };
  }

  private signalStarts(def: DefinitionRecord): Promise<SignalStarts> {
    const id = `${def.jurisdiction}/${def.key}/${def.version}`;
    let entry = this.starts.get(id);
    if (!entry) {
      entry = compile(def.xml).then((compiled) => {
        const model = buildModel(compiled, def.key);
        const found: SignalStarts = new Map();
        for (const n of model.nodes.values()) {
          // A process's signal start names its signal by a constant (deploy checks it), literal or FEEL.
          const signal = n.kind === 'start' && n.signal && n.scope === model.processId ? resolveText(n.meta.signalName, {}) : null;
          if (signal) found.set(signal, n.id);
        }
        return found;
      });
      entry.catch(() => this.starts.delete(id));
      this.starts.set(id, entry);
    }
    return entry;
  }
}
