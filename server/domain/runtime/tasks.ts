// The task inbox: reading a task with its localized form, claiming, completing.
import { conflict, forbidden, invalid } from '../../errors.js';
import { isPlainObject } from '../../json.js';
import type { HistoryEntry, JsonObject, PageQuery, Store, TaskRecord, TaskStatus } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import type { Attachments } from '../attachments.js';
import { attachmentRefs, fieldTitle, type Forms, type Locale } from '../forms.js';
import type { Jurisdictions } from '../jurisdictions.js';
import { withCase } from '../cases.js';
import { displayNames } from '../people.js';
import { taskContext, type ContextEntry } from './context.js';
import { localizeLabels } from './labels.js';
import { delegationOf, operationEntry, readComment } from './opinions.js';
import { conflictAsHttp, findInstance, findTask } from './records.js';
import type { Steps } from './steps.js';
import type { TaskForms } from './task-forms.js';

export const TASK_STATUSES: TaskStatus[] = ['open', 'completed', 'cancelled'];

export interface TaskFilter extends PageQuery {
  /** The jurisdiction (and its descendants) to list; none: all the user sees. */
  jurisdiction?: string;
  status?: TaskStatus;
  /** Claimed by the user ('me') or by nobody ('none'). */
  assignee?: 'me' | 'none';
  candidateGroup?: string;
  overdue?: boolean;
  instanceId?: string;
  /** Only tasks the user completed (已办). */
  completedByMe?: boolean;
  /** Tasks of cases whose number, title or reporter contains this. */
  q?: string;
}

export class Tasks {
  constructor(
    private readonly store: Store,
    private readonly steps: Steps,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
    private readonly forms: Forms,
    private readonly attachments: Attachments,
    private readonly taskForms: TaskForms,
  ) {}

  async list(user: SessionUser, { jurisdiction, assignee, candidateGroup, overdue, completedByMe, ...filter }: TaskFilter) {
    const page = await this.store.tasks.list({
      ...filter,
      completedBy: completedByMe ? user.username : undefined,
      jurisdictions: this.access.scope(user, jurisdiction),
      assignee: assignee === 'me' ? user.username : assignee === 'none' ? null : undefined,
      candidateGroups: candidateGroup ? [candidateGroup] : undefined,
      overdueAt: overdue ? new Date().toISOString() : undefined,
    });
    // Task names in the words of each task's jurisdiction (村 → 嘎查村), as on the task itself.
    const vocabularies = new Map<string, Record<string, string>>();
    const vocabulary = (id: string) => vocabularies.get(id) ?? vocabularies.set(id, this.jurisdictions.vocabulary(id)).get(id)!;
    const items = page.items.map((t) => ({ ...t, name: this.jurisdictions.localize(t.name, vocabulary(t.jurisdiction)) }));
    return { items: await withCase(this.store, items), nextCursor: page.nextCursor };
  }

  async task(user: SessionUser, id: string, locale: Locale) {
    const t = await findTask(this.store, id);
    this.access.requireMember(user, t.jurisdiction);
    const effective = await this.jurisdictions.effective(t.jurisdiction);
    const form = await this.taskForms.of(t);
    const localize = (text: string) => this.jurisdictions.localize(text, effective.vocabulary);
    const declared = ((form?.doc.context as ContextEntry[] | undefined) ?? []).map((c) => ({ ...c, title: localize(c.title) }));
    const [withNo] = await withCase(this.store, [t]);
    return {
      ...withNo,
      assigneeName: t.assignee ? (await displayNames(this.store.users, [t.assignee])).get(t.assignee) ?? null : null,
      name: localize(t.name),
      form: form && { schema: localizeLabels(form.doc.schema, localize), uiSchema: form.doc.uiSchema ?? {}, rules: form.doc.rules ?? [], prefill: form.doc.prefill ?? null, version: form.version, definedAt: form.jurisdiction },
      // What the task is about, read-only above the form: the variables the form names, as the task sees them.
      context: declared.length ? taskContext(declared, { ...(await findInstance(this.store, t.instanceId)).variables, ...t.locals }) : [],
      locale,
    };
  }

  async claim(user: SessionUser, id: string, claim: boolean) {
    const t = await findTask(this.store, id);
    mayWork(this.access, user, t);
    if (t.status !== 'open') throw conflict(`任务已${t.status === 'completed' ? '完成' : '取消'} (task is no longer open)`);
    if (claim && t.assignee && t.assignee !== user.username) throw conflict(`任务已由 ${t.assignee} 认领 (already claimed)`);
    if (!claim && t.assignee !== user.username && !this.access.has(user, t.jurisdiction, ['official', 'admin'])) {
      throw forbidden('只能退回自己认领的任务 (only the assignee may unclaim)');
    }
    await this.steps.guarded(t.instanceId, () =>
      this.store.tasks
        .assign(t.id, t.version, claim ? user.username : null, {
          at: new Date().toISOString(), actor: user.username, action: claim ? 'task.claim' : 'task.unclaim',
          jurisdiction: t.jurisdiction, targetType: 'task', targetId: t.id, instanceId: t.instanceId, beforeVersion: t.version, afterVersion: t.version + 1,
        })
        .catch(conflictAsHttp));
    return this.store.tasks.get(id);
  }

  /** Completes with the form data and an optional 审批意见 (comment), shown in the case's history. */
  async complete(user: SessionUser, id: string, data: unknown, locale: Locale, comment?: unknown) {
    const opinion = readComment(comment, '/comment');
    const t = await findTask(this.store, id);
    mayWork(this.access, user, t);
    if (t.status !== 'open') throw conflict(`任务已${t.status === 'completed' ? '完成' : '取消'} (task is no longer open)`);
    const valid = await this.validate(t, data, locale);
    return this.finish(t, user.username, valid, opinion ? [operationEntry({ instanceId: t.instanceId, task: t }, 'Opinion', user.username, { comment: opinion })] : []);
  }

  /** The task's form data checked against its form (422 naming each field); attachments must be the jurisdiction's. */
  async validate(t: TaskRecord, data: unknown, locale: Locale): Promise<JsonObject> {
    if (!isPlainObject(data)) throw invalid('data 必须是对象 (data must be an object)', [{ path: '/data', message: 'must be an object' }]);
    const form = await this.taskForms.of(t);
    if (form) {
      const schema = form.doc.schema;
      const problems = this.forms.validate(form, data, locale, this.jurisdictions.parameters(t.jurisdiction));
      if (!problems.length) problems.push(...(await this.attachments.check(t.jurisdiction, attachmentRefs(schema, data), (p) => fieldTitle(schema, p))));
      if (problems.length) throw invalid(`表单有 ${problems.length} 处错误 (form has errors)`, problems);
    }
    return data as JsonObject;
  }

  /** Completes the engine's task with `data`, provided it is unchanged since `t` was read (history written with the step). */
  async finish(t: TaskRecord, by: string, data: JsonObject, history: HistoryEntry[]) {
    await this.steps.execute(t.instanceId, { type: 'completeTask', ref: t.ref, variables: data }, by, {
      action: 'task.complete',
      before: async () => {
        const fresh = await findTask(this.store, t.id);
        if (fresh.status !== 'open') throw conflict('任务已被处理 (task is no longer open)');
        // Handed to someone else (转办, 委派, 加签) since the permission check: that one wins.
        if (fresh.version !== t.version) throw conflict('任务已被转办或认领，请刷新 (task changed meanwhile)');
        const delegated = delegationOf(await this.store.instances.history(t.instanceId), t.id);
        if (delegated) throw conflict(`任务已委派给 ${delegated.to}，需交回后由 ${delegated.owner} 办理 (delegated: resolve it first)`);
        return { completeTask: { id: t.id, expectedVersion: fresh.version, data, by, at: new Date().toISOString() }, history };
      },
    });
    return this.store.tasks.get(t.id);
  }
}

/** The groups that may work on a task: its candidate groups, else staff. */
export const workerGroups = (t: TaskRecord) => (t.candidateGroups.length ? t.candidateGroups : ['staff']);

/**
 * Claiming, completing and the task operations need one of the task's candidate groups, or being
 * its assignee (a 会签 signer needs no group); a task someone else holds is theirs unless an
 * official or admin steps in.
 */
export function mayWork(access: Access, user: SessionUser, t: TaskRecord) {
  if (t.assignee && t.assignee === user.username) {
    access.requireMember(user, t.jurisdiction);
    return;
  }
  access.require(user, t.jurisdiction, workerGroups(t));
  // Someone else's claim is a state of the task, not a lack of permission: it may be unclaimed.
  if (t.assignee && !access.has(user, t.jurisdiction, ['official', 'admin'])) {
    throw conflict(`任务已由 ${t.assignee} 认领 (assigned to someone else)`);
  }
}
