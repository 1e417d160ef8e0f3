// 加签 and 减签, as in DingTalk and Feishu approvals: the holder of a task adds signers who act
// before them (the task returns to them afterwards), after them (the task moves on only once
// those also approved) or in parallel (all must approve). The chain lives beside the engine, in
// the case's history: the engine's task stays open, and completes only when the chain is done, so
// it works the same on every engine. Every write of the chain moves the task's version, so of two
// concurrent steps of one chain exactly one succeeds; the history a step of the chain reads is
// never older than the task's version (both stores write a case note's history first), so the
// last approval is always seen as the last.
import { badRequest, conflict, forbidden, invalid, notFound } from '../../errors.js';
import type { HistoryEntry, JsonObject, Store, TaskRecord } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import type { Locale } from '../forms.js';
import { noteOperation, type Notify } from './operations.js';
import { operationEntry, readComment } from './opinions.js';
import { displayNames } from '../people.js';
import { findTask } from './records.js';
import { mayWork, type Tasks } from './tasks.js';

export const SIGN_MODES = ['before', 'after', 'parallel'] as const;
export type SignMode = (typeof SIGN_MODES)[number];

export interface Signer {
  username: string;
  mode: SignMode;
  acted: boolean;
  /** Acted with 不同意. */
  refused?: boolean;
}

export interface SignChain {
  /** Who added the signers: the task's holder, whose form data the task completes with. */
  owner: string;
  signers: Signer[];
  /** The owner approved (after / parallel signers still to act); their data is the task's. */
  ownerDone: boolean;
  /** The added signer whose 不同意 ended the chain. */
  refusedBy?: string;
}

export const pendingOf = (c: SignChain, mode?: SignMode) => c.signers.filter((s) => !s.acted && (!mode || s.mode === mode));

/** The sign chain of a task from the case's history: 加签 (Sign), 减签 (Unsign), approvals (Countersign). */
export function signChainOf(history: HistoryEntry[], taskId: string): SignChain | null {
  let chain: SignChain | null = null;
  for (const h of history) {
    const d = h.data;
    if (d?.taskId !== taskId) continue;
    if (h.type === 'Sign') {
      // A chain whose signers have all acted is over: the holder (perhaps another one by now) starts afresh.
      if (!chain || !pendingOf(chain).length) chain = { owner: String(d.owner), signers: [], ownerDone: false };
      for (const u of d.users as string[]) chain.signers.push({ username: u, mode: d.mode as SignMode, acted: false });
    } else if (chain && h.type === 'Unsign') {
      chain.signers = chain.signers.filter((s) => s.acted || s.username !== d.user);
    } else if (chain && h.type === 'Countersign') {
      if (d.user === chain.owner) chain.ownerDone = true;
      else for (const s of chain.signers) if (s.username === d.user && !s.acted) s.acted = true;
    } else if (chain && h.type === 'SignRefuse') {
      // One 不同意 ends the chain: the others need not act, and the decision is the owner's again.
      chain.signers = chain.signers
        .filter((s) => s.acted || s.username === d.user)
        .map((s) => (s.acted ? s : { ...s, acted: true, refused: true }));
      chain.ownerDone = false;
      chain.refusedBy = String(d.user);
    }
  }
  return chain;
}

/** Who holds the task now: the next 前加签 signer, else the owner, else (owner done) the next 后加签 signer. */
export function holderOf(c: SignChain): string {
  const next = pendingOf(c, 'before')[0] ?? (c.ownerDone ? pendingOf(c, 'after')[0] : undefined);
  return next?.username ?? c.owner;
}

/** Whether a signer may approve now: a parallel one any time, a before/after one when holding the task. */
function mayApprove(c: SignChain, username: string) {
  const s = pendingOf(c).find((p) => p.username === username);
  return !!s && (s.mode === 'parallel' || holderOf(c) === username);
}

const isDone = (c: SignChain) => c.ownerDone && !pendingOf(c).length;

/** Who has the task in their 待办 beside its holder: the signers still to act. */
const waiting = (c: SignChain) => pendingOf(c).map((s) => s.username);

export class Signing {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly tasks: Tasks,
    private readonly notify: Notify = () => undefined,
  ) {}

  /** The task's chain as the task page shows it (null: none). */
  async chain(user: SessionUser, id: string) {
    const t = await findTask(this.store, id);
    this.access.requireMember(user, t.jurisdiction);
    const c = await this.read(t);
    if (!c) return null;
    // People read the signers by name, not by account.
    const names: Record<string, string> = {};
    for (const u of [c.owner, ...c.signers.map((x) => x.username)]) names[u] ??= (await this.store.users.get(u))?.displayName ?? u;
    return { ...c, holder: holderOf(c), pending: pendingOf(c).map((s) => s.username), mayApprove: mayApprove(c, user.username), names };
  }

  /** 加签: the task's holder adds signers before, after or alongside them. */
  async sign(user: SessionUser, id: string, body: JsonObject) {
    const t = await this.openTask(id);
    mayWork(this.access, user, t);
    const comment = readComment(body.comment, '/comment');
    const mode = body.mode as SignMode;
    if (!SIGN_MODES.includes(mode)) throw badRequest('mode 应为 before、after 或 parallel (前加签、后加签、并加签)', [{ path: '/mode', message: 'before | after | parallel' }]);
    const chain = await this.read(t);
    const owner = chain?.owner ?? t.assignee;
    if (owner !== user.username || t.assignee !== user.username) throw forbidden('只有任务的办理人可以加签，请先认领 (only the assignee may add signers)');
    if (chain?.ownerDone) throw conflict('您已审批，不能再加签 (you have already approved)');
    if (!Array.isArray(body.users) || !body.users.length || body.users.some((u) => typeof u !== 'string' || !u)) {
      throw invalid('请选择加签人 (name the signers)', [{ path: '/users', message: 'a non-empty list of usernames' }]);
    }
    const users = [...new Set(body.users as string[])];
    const pending = new Set(chain ? pendingOf(chain).map((s) => s.username) : []);
    for (const [n, name] of users.entries()) {
      const path = `/users/${n}`;
      const u = await this.store.users.get(name);
      if (!u) throw invalid(`用户 ${name} 不存在 (no such user)`, [{ path, message: 'unknown user' }]);
      if (!this.access.rolesIn(u, t.jurisdiction).size) throw invalid(`${name} 不是本辖区的成员，不能加签 (not a member of the task's jurisdiction)`, [{ path, message: 'outside the jurisdiction' }]);
      if (name === user.username || pending.has(name)) throw invalid(`${name} 已是本任务的审批人 (already a signer)`, [{ path, message: 'already a signer' }]);
    }
    const next: SignChain = { owner: user.username, ownerDone: false, signers: [...(chain?.signers ?? []), ...users.map((u) => ({ username: u, mode, acted: false }))] };
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Sign', user.username, { owner: user.username, users, mode, comment });
    await this.write(t, entry, user, 'task.sign', users, holderOf(next), waiting(next));
    return this.chain(user, id);
  }

  /** 减签: the owner removes an added signer who has not acted yet. */
  async unsign(user: SessionUser, id: string, username: string, body: JsonObject) {
    const t = await this.openTask(id);
    this.access.requireMember(user, t.jurisdiction);
    const chain = await this.read(t);
    if (!chain || chain.owner !== user.username) throw forbidden('只有加签人可以减签 (only who added the signers may remove them)');
    const s = chain.signers.find((x) => x.username === username);
    if (!s) throw notFound(`${username} 不是本任务的加签人 (not an added signer)`);
    if (s.acted) throw conflict(`${username} 已审批，不能减签 (already acted)`);
    const comment = readComment(body.comment, '/comment');
    const next = { ...chain, signers: chain.signers.filter((x) => x !== s) };
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Unsign', user.username, { user: username, comment });
    // The last one the owner (already done) waited for: the task completes now.
    if (isDone(next)) return this.completeChain(t, user, entry, [username]);
    await this.write(t, entry, user, 'task.unsign', [username], holderOf(next), waiting(next));
    return this.chain(user, id);
  }

  /**
   * 办理 of a task: without a pending chain the usual completion; in a chain, an added signer's
   * approval (their 意见; the form stays the owner's) or the owner's own, which the after and
   * parallel signers then follow. The last approval of the chain completes the engine's task.
   */
  async complete(user: SessionUser, id: string, data: unknown, locale: Locale, comment?: unknown) {
    const t = await this.openTask(id);
    const chain = await this.read(t);
    if (!chain || !pendingOf(chain).length) return this.tasks.complete(user, id, data, locale, comment);
    this.access.requireMember(user, t.jurisdiction);
    const opinion = readComment(comment, '/comment');
    if (mayApprove(chain, user.username)) {
      const next: SignChain = { ...chain, signers: chain.signers.map((s) => (s.username === user.username && !s.acted ? { ...s, acted: true } : s)) };
      const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Countersign', user.username, { user: user.username, comment: opinion });
      if (isDone(next)) return this.completeChain(t, user, entry, [chain.owner]);
      await this.write(t, entry, user, 'task.countersign', [holderOf(next)].filter((u) => u !== user.username), holderOf(next), waiting(next));
      return this.store.tasks.get(id);
    }
    if (holderOf(chain) !== user.username || chain.ownerDone) {
      throw conflict(`等待加签人 ${await this.namesOf(waiting(chain))} 审批 (waiting for the added signers)`);
    }
    // The owner approves with the form; the after / parallel signers follow.
    const valid = await this.tasks.validate(t, data, locale);
    const next = { ...chain, ownerDone: true };
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'Countersign', user.username, { user: user.username, comment: opinion });
    await this.write(t, entry, user, 'task.countersign', pendingOf(next).map((s) => s.username), holderOf(next), waiting(next), valid);
    return this.store.tasks.get(id);
  }

  /**
   * 不同意 by an added signer who may act now, with a required 意见: as in 会签, one refusal decides
   * the chain. The other signers are taken off, an approval the owner gave is void, and the task is
   * the owner's to decide again: a task's 不同意 is its form's decision, which the diagram routes on
   * (the owner records the refusal there, the history shows whose 不同意 it was).
   */
  async refuse(user: SessionUser, id: string, body: JsonObject) {
    const t = await this.openTask(id);
    this.access.requireMember(user, t.jurisdiction);
    const chain = await this.read(t);
    if (!chain || !pendingOf(chain).some((s) => s.username === user.username)) throw forbidden('只有待审批的加签人可以不同意 (only a pending added signer may refuse)');
    if (!mayApprove(chain, user.username)) throw conflict(`请等待 ${await this.namesOf([holderOf(chain)])} 审批后再审批 (not your turn yet)`);
    const comment = readComment(body.comment, '/comment', true);
    const others = pendingOf(chain).map((s) => s.username).filter((u) => u !== user.username);
    const entry = operationEntry({ instanceId: t.instanceId, task: t }, 'SignRefuse', user.username, { user: user.username, owner: chain.owner, removed: others, comment });
    await this.write(t, entry, user, 'task.sign-refuse', [chain.owner, ...others], chain.owner, []);
    return this.chain(user, id);
  }

  private async completeChain(t: TaskRecord, user: SessionUser, entry: HistoryEntry, told: string[]) {
    const done = await this.tasks.finish(t, user.username, t.data ?? {}, [entry]);
    this.notify({ type: entry.type as 'Countersign', instanceId: t.instanceId, taskId: t.id, by: user.username, users: told.filter((u) => u !== user.username), groups: [], comment: (entry.data?.comment as string | null) ?? null });
    return done;
  }

  /** Writes a step of the chain: the task goes to its next holder, and the signers still to act have it in their 待办. */
  private async write(t: TaskRecord, entry: HistoryEntry, user: SessionUser, action: string, told: string[], holder: string, signers: string[], data?: JsonObject) {
    await noteOperation(this.store, this.notify, { target: t, entry, user, action, concerned: { users: told, groups: [] }, assign: { assignee: holder, signers, ...(data && { data }) } });
  }

  /** People named in a message by the name they are known by. */
  private async namesOf(accounts: string[]) {
    const names = await displayNames(this.store.users, accounts);
    return accounts.map((a) => names.get(a) ?? a).join('、');
  }

  private async openTask(id: string) {
    const t = await findTask(this.store, id);
    if (t.status !== 'open') throw conflict(`任务已${t.status === 'completed' ? '完成' : '取消'} (task is no longer open)`);
    return t;
  }

  private async read(t: TaskRecord) {
    return signChainOf(await this.store.instances.history(t.instanceId), t.id);
  }
}
