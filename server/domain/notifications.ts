// The in-app inbox and what feeds it: notices raised by the `notify` service handler (to the group it
// names) and tasks falling due or overdue (to the assignee, else the candidate groups). Each
// notification is stored with its outbox rows, one per outbound channel the rule set configures
// (parameters.channels: [{type: "email"|"wecom"|"dingtalk", groups?: [..], kinds?: [..], to?|url?, secret?}]).
import crypto from 'node:crypto';
import { notFound } from '../errors.js';
import { isPlainObject } from '../json.js';
import type { DeliveryRecord, InstanceRecord, JsonObject, NotificationKind, NotificationWrite, PageQuery, Store, TaskRecord } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { OperationNotice } from './runtime/operations.js';
import type { OperationType } from './runtime/opinions.js';
import type { Jurisdictions } from './jurisdictions.js';

const groupKey = (jurisdiction: string, group: string) => `${jurisdiction}#${group}`;
const userKey = (username: string) => `user:${username}`;

const shanghai = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
/** The calendar day in China, so that "daily" means one per day there. */
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Outbox rows: one per configured channel whose groups and kinds concern the notification (none listed: every one). */
export function deliveriesFor(notificationId: string, kind: NotificationKind, groups: string[], params: JsonObject, at: string): DeliveryRecord[] {
  const channels = Array.isArray(params.channels) ? params.channels : [];
  return channels.flatMap((c, n) => {
    if (!isPlainObject(c) || typeof c.type !== 'string') return [];
    if (Array.isArray(c.groups) && !groups.some((g) => (c.groups as string[]).includes(g))) return [];
    if (Array.isArray(c.kinds) && !c.kinds.includes(kind)) return [];
    return [{ id: `${notificationId}>${n}`, notificationId, channel: c, status: 'pending' as const, attempts: 0, nextAt: at, claimedUntil: null, lastError: null, sentAt: null }];
  });
}

interface Draft {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  instance: InstanceRecord;
  taskId: string | null;
  users: string[];
  groups: string[];
  /** The groups a channel's `groups` filter is matched against (default: the audience's). */
  channelGroups?: string[];
  at: string;
}

function write(d: Draft): NotificationWrite {
  const j = d.instance.jurisdiction;
  return {
    notification: {
      id: d.id, at: d.at, kind: d.kind, title: d.title, body: d.body, jurisdiction: j, instanceId: d.instance.id, taskId: d.taskId,
      audience: [...d.users.map(userKey), ...d.groups.map((g) => groupKey(j, g))],
    },
    deliveries: deliveriesFor(d.id, d.kind, d.channelGroups ?? d.groups, d.instance.params, d.at),
  };
}

/** The notices `notify` appended to variables.notifications in a step, as notifications of the instance. */
export function noticesOf(prev: InstanceRecord, variables: JsonObject, at: string): NotificationWrite[] {
  const before = Array.isArray(prev.variables.notifications) ? prev.variables.notifications.length : 0;
  const after = Array.isArray(variables.notifications) ? variables.notifications : [];
  return after.slice(before).flatMap((n, k) => {
    if (!isPlainObject(n) || typeof n.message !== 'string') return [];
    const groups = typeof n.to === 'string' && n.to ? n.to.split(',').map((g) => g.trim()).filter(Boolean) : ['staff'];
    return [write({ id: `notice:${prev.id}:${before + k}`, kind: 'notice', title: n.message, body: n.message, instance: prev, taskId: null, users: [], groups, at })];
  });
}

/** Whom a task's notifications go to: its assignee, else its candidate groups; channels by those groups. */
function taskAudience(t: TaskRecord) {
  const groups = t.candidateGroups.length ? t.candidateGroups : ['staff'];
  return t.assignee ? { users: [t.assignee], groups: [], channelGroups: groups } : { users: [], groups, channelGroups: groups };
}

/** `name`: the task's name in the jurisdiction's own words. */
export function overdueNotice(t: TaskRecord, name: string, instance: InstanceRecord, at: string): NotificationWrite {
  return write({
    id: `overdue:${t.id}`, kind: 'overdue', title: `任务已逾期：${name}`, body: `「${name}」应于 ${shanghai.format(new Date(t.due!))} 前办理，已经逾期，请尽快处理。`,
    instance, taskId: t.id, ...taskAudience(t), at,
  });
}

export function reminderNotice(t: TaskRecord, name: string, instance: InstanceRecord, now: Date): NotificationWrite {
  return write({
    id: `reminder:${t.id}:${chinaDay(now)}`, kind: 'reminder', title: `任务即将到期：${name}`, body: `「${name}」将于 ${shanghai.format(new Date(t.due!))} 到期，请及时办理。`,
    instance, taskId: t.id, ...taskAudience(t), at: now.toISOString(),
  });
}

/**
 * The scheduler's look at open tasks with a due date: overdue ones notify once, those due within
 * a day get one reminder per (China) day. Ids are deterministic, so a restart repeats nothing.
 */
export class DueWatch {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly remindWithinMs = 86_400_000,
  ) {}

  async tick(now = new Date()): Promise<number> {
    const horizon = new Date(now.getTime() + this.remindWithinMs).toISOString();
    let added = 0;
    let cursor: string | null = null;
    do {
      const page = await this.store.tasks.list({ status: 'open', overdueAt: horizon, limit: 200, cursor });
      cursor = page.nextCursor;
      for (const t of page.items) {
        if (!t.due) continue;
        const overdue = Date.parse(t.due) <= now.getTime();
        const id = overdue ? `overdue:${t.id}` : `reminder:${t.id}:${chinaDay(now)}`;
        if (await this.store.notifications.get(id)) continue;
        const instance = await this.store.instances.get(t.instanceId);
        if (!instance) continue;
        const name = this.jurisdictions.localize(t.name, (await this.jurisdictions.effective(t.jurisdiction)).vocabulary);
        added += await this.store.notifications.add([overdue ? overdueNotice(t, name, instance, now.toISOString()) : reminderNotice(t, name, instance, now)]);
      }
    } while (cursor);
    return added;
  }
}

export interface NotificationView {
  id: string;
  at: string;
  kind: NotificationKind;
  title: string;
  body: string;
  instanceId?: string;
  taskId?: string;
  read: boolean;
}

/** The signed-in user's inbox. */
/** How an everyday operation reads in the inbox of those it concerns. */
const OPERATION_TITLES: Record<OperationType, string> = {
  Transfer: '转办给您', Delegate: '委派给您', Resolve: '委派已交回', Return: '已退回', Withdraw: '已撤回',
  CarbonCopy: '抄送给您', Urge: '催办', Comment: '新的审批意见', Opinion: '审批意见',
  Sign: '加签请您审批', Unsign: '已减签', Countersign: '加签审批进展', SignRefuse: '加签人不同意',
};

export class Notifications {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** 转办, 退回, 抄送, 催办…: the users and groups an operation concerns hear of it (kept after the operation's own write). */
  operation(notice: OperationNotice): void {
    void (async () => {
      const instance = await this.store.instances.get(notice.instanceId);
      if (!instance || (!notice.users.length && !notice.groups.length)) return;
      const at = new Date().toISOString();
      const title = `${OPERATION_TITLES[notice.type]}：${instance.summary?.title || instance.processKey}`;
      await this.store.notifications.add([
        write({ id: crypto.randomUUID(), kind: 'notice', title, body: notice.comment ?? '', instance, taskId: notice.taskId, users: notice.users, groups: notice.groups, at }),
      ]);
    })().catch(this.onError);
  }

  /** The user's own key and one per group (role) the user holds in each jurisdiction they see. */
  audience(user: SessionUser): string[] {
    const keys = new Set([userKey(user.username)]);
    for (const j of this.access.visible(user)) for (const role of this.access.rolesIn(user, j)) keys.add(groupKey(j, role));
    return [...keys];
  }

  async list(user: SessionUser, query: PageQuery & { unread?: boolean }) {
    const page = await this.store.notifications.list(this.audience(user), user.username, query);
    return { items: page.items.map(({ audience: _a, jurisdiction: _j, instanceId, taskId, ...n }): NotificationView => ({ ...n, ...(instanceId && { instanceId }), ...(taskId && { taskId }) })), nextCursor: page.nextCursor };
  }

  async markRead(user: SessionUser, id: string) {
    const n = await this.store.notifications.get(id);
    const mine = new Set(this.audience(user));
    // Someone else's notification is as unknown as a missing one.
    if (!n || !n.audience.some((k) => mine.has(k))) throw notFound('没有这条通知 (no such notification)');
    await this.store.notifications.markRead(id, user.username, new Date().toISOString());
    return { id, read: true };
  }
}
