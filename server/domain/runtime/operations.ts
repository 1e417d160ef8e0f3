// The everyday operations of Chinese approval practice on a case and its tasks: 转办 (transfer),
// 委派/交回 (delegate/resolve), 退回 (return to an earlier task, through the engine's modify),
// 撤回 (withdraw by the starter), 抄送 (copy to readers), 催办 (urge) and 审批意见 (comments).
// Each is permission-checked, audited and recorded in the case's history with its 意见; the people
// it concerns are recorded there too and handed to the notification seam (`Notify`).
import type { Command } from '../../engine/index.js';
import { DomainError, badRequest, conflict, forbidden, invalid } from '../../errors.js';
import { isPlainObject } from '../../json.js';
import type { AuditEntry, HistoryEntry, InstanceRecord, JsonObject, Store, TaskRecord } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import type { Jurisdictions } from '../jurisdictions.js';
import type { Instances } from './instances.js';
import { delegationOf, operationEntry, readComment, type OperationType } from './opinions.js';
import { COPY_TYPE, groupKey, userKey } from './readers.js';
import { conflictAsHttp, findInstance, findTask } from './records.js';
import { pendingOf, signChainOf } from './signing.js';
import type { Steps } from './steps.js';
import { STARTERS } from './instances.js';
import { mayWork, workerGroups } from './tasks.js';

/** Who must hear of an operation; the notifications module plugs in here. */
export interface OperationNotice {
  type: OperationType;
  instanceId: string;
  taskId: string | null;
  by: string;
  users: string[];
  groups: string[];
  comment: string | null;
}
export type Notify = (notice: OperationNotice) => void;

/** 催办 at most once per task in this interval. */
export const URGE_INTERVAL_MS = 10 * 60_000;

const tooManyRequests = (detail: string) => new DomainError(429, 'Too Many Requests', detail);

function requireOpen(t: TaskRecord) {
  if (t.status !== 'open') throw conflict(`任务已${t.status === 'completed' ? '完成' : '取消'} (task is no longer open)`);
}

function stringList(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v)) throw invalid(`${path} 应为名称列表 (a list of names)`, [{ path, message: 'must be an array of non-empty strings' }]);
  return [...new Set(value as string[])];
}

export class Operations {
  constructor(
    private readonly store: Store,
    private readonly steps: Steps,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
    private readonly instances: Instances,
    private readonly notify: Notify = () => undefined,
  ) {}

  /** 转办: the task goes to a colleague allowed by its groups, who becomes its assignee. */
  async transfer(user: SessionUser, id: string, body: JsonObject) {
    return this.handOver(user, id, body, 'Transfer');
  }

  /** 委派: a colleague works on the task and hands it back (resolve); the owner completes it. */
  async delegate(user: SessionUser, id: string, body: JsonObject) {
    return this.handOver(user, id, body, 'Delegate');
  }

  /** 交回: the delegate hands the task back to its owner, optionally with the form data filled in. */
  async resolve(user: SessionUser, id: string, body: JsonObject) {
    const t = await findTask(this.store, id);
    requireOpen(t);
    const comment = readComment(body.comment, '/comment');
    if (body.data !== undefined && !isPlainObject(body.data)) throw invalid('data 必须是对象 (data must be an object)', [{ path: '/data', message: 'must be an object' }]);
    const d = delegationOf(await this.store.instances.history(t.instanceId), t.id);
    if (!d || d.to !== user.username || t.assignee !== user.username) throw forbidden('只有被委派人可以交回此任务 (only the delegate may resolve)');
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Resolve', user.username, { owner: d.owner, comment });
    await this.note(t, entry, user, 'task.resolve', { users: [d.owner], groups: [] }, { assignee: d.owner, data: (body.data as JsonObject | undefined) ?? null });
    return this.store.tasks.get(id);
  }

  /** 退回: the earlier user tasks of this case, one per element, in the order they were first done. */
  async returnable(user: SessionUser, id: string) {
    const t = await findTask(this.store, id);
    this.access.requireMember(user, t.jurisdiction);
    return (await this.earlier(t)).map(({ elementId, name }) => ({ elementId, name }));
  }

  /** 退回: the current work is cancelled and the earlier task reopens with its last submission. */
  async sendBack(user: SessionUser, id: string, body: JsonObject) {
    const t = await findTask(this.store, id);
    mayWork(this.access, user, t);
    requireOpen(t);
    const comment = readComment(body.comment, '/comment', true);
    if (typeof body.elementId !== 'string') throw badRequest('缺少 elementId', [{ path: '/elementId', message: 'required' }]);
    const target = (await this.earlier(t)).find((e) => e.elementId === body.elementId);
    if (!target) throw invalid('只能退回到本案已办过的步骤 (not an earlier task of this case)', [{ path: '/elementId', message: 'not returnable' }]);
    const concerned = { users: target.by ? [target.by] : [], groups: [] };
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Return', user.username, { to: target.elementId, toName: target.name, comment, notify: concerned });
    // Every open task of the case is the current work: all of it is cancelled (read under the lock).
    const command = async (): Promise<Command> => {
      const open = await this.store.tasks.list({ instanceId: t.instanceId, status: 'open', limit: 10_000 });
      return { type: 'modify', terminate: open.items.map((o) => o.ref), activate: [{ elementId: target.elementId }] };
    };
    await this.steps.execute(t.instanceId, command, user.username, {
      action: 'task.return',
      prefill: target.data ? { [target.elementId]: target.data } : {},
      before: async () => {
        const fresh = await findTask(this.store, id);
        if (fresh.status !== 'open' || fresh.version !== t.version) throw conflict('任务已被处理 (task changed meanwhile)');
        await this.notDelegated(fresh);
        return { history: [entry] };
      },
    });
    this.notify({ type: 'Return', instanceId: t.instanceId, taskId: t.id, by: user.username, ...concerned, comment });
    return this.instances.get(user, t.instanceId);
  }

  /** 撤回: the starter takes the case back while nobody else has completed a task; it ends cancelled. */
  async withdraw(user: SessionUser, id: string, body: JsonObject) {
    const inst = await findInstance(this.store, id);
    if (inst.startedBy !== user.username) throw forbidden('只有发起人可以撤回 (only the starter may withdraw)');
    const comment = readComment(body.comment, '/comment', true);
    let concerned: string[] = [];
    await this.steps.execute(id, { type: 'cancel' }, user.username, {
      action: 'instance.withdraw',
      before: async () => {
        const done = (await this.store.tasks.list({ instanceId: id, status: 'completed', limit: 10_000 })).items;
        if (done.some((d) => d.completedBy !== inst.startedBy)) throw conflict('已有他人办理，不能撤回 (someone else has acted)');
        concerned = (await this.store.tasks.list({ instanceId: id, status: 'open', limit: 10_000 })).items.flatMap((o) => (o.assignee ? [o.assignee] : []));
        return { history: [operationEntry({ instanceId: id }, 'Withdraw', user.username, { comment, notify: { users: concerned, groups: [] } })] };
      },
    });
    this.notify({ type: 'Withdraw', instanceId: id, taskId: null, by: user.username, users: concerned, groups: [], comment });
    return this.instances.get(user, id);
  }

  /** 抄送: the users and groups named may read the case (also from another jurisdiction), not act on it. */
  async copy(user: SessionUser, id: string, body: JsonObject) {
    const inst = await findInstance(this.store, id);
    this.access.requireMember(user, inst.jurisdiction);
    const comment = readComment(body.comment, '/comment');
    const users = stringList(body.users, '/users');
    const groups = stringList(body.groups, '/groups');
    if (!users.length && !groups.length) throw invalid('请选择抄送的人或组 (name users or groups)', [{ path: '/users', message: 'users or groups required' }]);
    for (const [n, u] of users.entries()) {
      if (!(await this.store.users.get(u))) throw invalid(`用户 ${u} 不存在 (no such user)`, [{ path: `/users/${n}`, message: 'unknown user' }]);
    }
    const chain = this.jurisdictions.ancestry(inst.jurisdiction);
    const readers = [...users.map(userKey), ...groups.flatMap((g) => chain.map((j) => groupKey(g, j)))];
    const entry = operationEntry({ instanceId: id }, COPY_TYPE as OperationType, user.username, { users, groups, readers, comment });
    await this.note(inst, entry, user, 'instance.copy', { users, groups });
    return this.instances.get(user, id);
  }

  /** 催办: reminds the assignee (or the candidates); once per task per URGE_INTERVAL_MS. */
  async urge(user: SessionUser, id: string, body: JsonObject) {
    const t = await findTask(this.store, id);
    const inst = await findInstance(this.store, t.instanceId);
    if (inst.startedBy !== user.username) this.access.require(user, t.jurisdiction, STARTERS);
    requireOpen(t);
    const comment = readComment(body.comment, '/comment');
    const last = (await this.store.instances.history(t.instanceId)).filter((h) => h.type === 'Urge' && h.data?.taskId === t.id).pop();
    const wait = last ? Date.parse(last.at) + URGE_INTERVAL_MS - Date.now() : 0;
    if (wait > 0) throw tooManyRequests(`刚刚已催办，请 ${Math.ceil(wait / 60_000)} 分钟后再催 (urged recently)`);
    const concerned = t.assignee ? { users: [t.assignee], groups: [] } : { users: [], groups: workerGroups(t) };
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Urge', user.username, { ...concerned, comment });
    await this.note(t, entry, user, 'task.urge', concerned);
    return { urgedAt: entry.at, ...concerned };
  }

  /** 审批意见: a comment on the case by one of its jurisdiction's members. */
  async comment(user: SessionUser, id: string, body: JsonObject) {
    const inst = await findInstance(this.store, id);
    this.access.requireMember(user, inst.jurisdiction);
    const text = readComment(body.text, '/text', true);
    const entry = operationEntry({ instanceId: id }, 'Comment', user.username, { comment: text });
    await this.note(inst, entry, user, 'instance.comment', { users: inst.startedBy === user.username ? [] : [inst.startedBy], groups: [] });
    return entry;
  }

  private async handOver(user: SessionUser, id: string, body: JsonObject, type: 'Transfer' | 'Delegate') {
    const t = await findTask(this.store, id);
    mayWork(this.access, user, t);
    requireOpen(t);
    const comment = readComment(body.comment, '/comment');
    if (typeof body.to !== 'string' || !body.to) throw badRequest('缺少 to', [{ path: '/to', message: 'required' }]);
    const to = await this.store.users.get(body.to);
    if (!to || !this.access.has(to, t.jurisdiction, workerGroups(t))) {
      throw invalid(`${body.to} 不能办理此任务 (not allowed by the task's groups)`, [{ path: '/to', message: 'not allowed by the task’s groups' }]);
    }
    if (to.username === (t.assignee ?? user.username)) throw invalid('不能转给自己 (already the assignee)', [{ path: '/to', message: 'already the assignee' }]);
    await this.notDelegated(t);
    const chain = signChainOf(await this.store.instances.history(t.instanceId), t.id);
    if (chain && pendingOf(chain).length) throw conflict('任务正在加签审批中，不能转办或委派 (added signers have yet to act)');
    const owner = t.assignee ?? user.username;
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, type, user.username, { from: owner, to: to.username, ...(type === 'Delegate' && { owner }), comment });
    await this.note(t, entry, user, type === 'Transfer' ? 'task.transfer' : 'task.delegate', { users: [to.username], groups: [] }, { assignee: to.username });
    return this.store.tasks.get(id);
  }

  private async notDelegated(t: TaskRecord) {
    const d = delegationOf(await this.store.instances.history(t.instanceId), t.id);
    if (d) throw conflict(`任务已委派给 ${d.to}，需先交回 (delegated: resolve it first)`);
  }

  /** The completed user tasks of the case other than this one, the last submission of each element. */
  private async earlier(t: TaskRecord) {
    const done = (await this.store.tasks.list({ instanceId: t.instanceId, status: 'completed', limit: 10_000 })).items;
    const byElement = new Map<string, { elementId: string; name: string; data: JsonObject | null; by: string | null; at: string }>();
    for (const d of [...done].sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''))) {
      if (d.elementId === t.elementId) continue;
      const first = byElement.get(d.elementId);
      byElement.set(d.elementId, { elementId: d.elementId, name: d.name, data: d.data, by: d.completedBy, at: first?.at ?? d.completedAt ?? '' });
    }
    return [...byElement.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  private async note(
    target: TaskRecord | InstanceRecord, entry: HistoryEntry, user: SessionUser, action: string,
    concerned: Concerned, assign?: Assign,
  ) {
    const write = () => noteOperation(this.store, this.notify, { target, entry, user, action, concerned, assign });
    // A hand-over changes the task a completion checks: both go through the instance's lock.
    await ('ref' in target && assign ? this.steps.guarded(entry.instanceId, write) : write());
  }
}

export type Concerned = { users: string[]; groups: string[] };
type Assign = { assignee: string; data?: JsonObject | null; signers?: string[] };

/** Writes an operation's history entry (and a hand-over of its task) with its audit entry, then notifies. */
export async function noteOperation(
  store: Store, notify: Notify,
  { target, entry, user, action, concerned, assign }: { target: TaskRecord | InstanceRecord; entry: HistoryEntry; user: SessionUser; action: string; concerned: Concerned; assign?: Assign },
) {
  const isTask = 'ref' in target;
  const audit: AuditEntry = {
    at: entry.at, actor: user.username, action, jurisdiction: target.jurisdiction, targetType: isTask ? 'task' : 'instance', targetId: target.id,
    instanceId: entry.instanceId, beforeVersion: isTask && assign ? target.version : null, afterVersion: isTask && assign ? target.version + 1 : null,
    detail: { ...entry.data, notify: concerned },
  };
  await store.instances
    .note({ instanceId: entry.instanceId, history: [{ ...entry, data: { ...entry.data, notify: concerned } }], audit, ...(isTask && assign && { assign: { taskId: target.id, expectedVersion: target.version, ...assign } }) })
    .catch(conflictAsHttp);
  notify({ type: entry.type as OperationType, instanceId: entry.instanceId, taskId: isTask ? target.id : null, by: user.username, ...concerned, comment: (entry.data?.comment as string | null) ?? null });
}
