// Moves an installation from one store to another (SQLite → MongoDB, or back for a backup):
// every rule set with all its versions, users, instances with their tasks, history, timers,
// subscriptions, results and jobs (keys kept), job-worker tokens, buffered messages and the audit
// trail. Sessions are not moved.
import type { DumpItem, Store } from './index.js';

export interface CopyReport {
  ruleSets: number;
  users: number;
  instances: number;
  tasks: number;
  messages: number;
  audit: number;
}

/** Copies everything from `from` into `to`, which must be empty. */
export async function copyStore(from: Store, to: Store, actor = 'migration'): Promise<CopyReport> {
  if (!(await to.isEmpty())) throw new Error(`the target ${to.kind} store is not empty; refusing to mix installations`);
  const report: CopyReport = { ruleSets: 0, users: 0, instances: 0, tasks: 0, messages: 0, audit: 0 };
  for await (const item of from.dump() as AsyncIterable<DumpItem>) {
    if ('ruleSet' in item) {
      await to.importRuleSet({ ...item.ruleSet, audit: [] });
      report.ruleSets++;
    } else if ('user' in item) {
      const at = new Date().toISOString();
      await to.users.create(item.user, { at, actor, action: 'user.migrate', jurisdiction: null, targetType: 'user', targetId: item.user.username });
      report.users++;
    } else if ('instance' in item) {
      const { instance, tasks, history, timers, subscriptions, results, jobs } = item.instance;
      await to.instances.applyStep({
        instance, expectedRevision: null, createTasks: tasks, cancelTaskRefs: [], history, timers, subscriptions,
        consumeMessageIds: [], results, audit: [], jobs,
      });
      report.instances++;
      report.tasks += tasks.length;
    } else if ('serviceToken' in item) {
      const t = item.serviceToken;
      await to.serviceTokens.create(t, { at: new Date().toISOString(), actor, action: 'serviceToken.migrate', jurisdiction: t.jurisdictions[0] ?? null, targetType: 'serviceToken', targetId: t.id });
    } else if ('message' in item) {
      await to.messages.buffer(item.message);
      report.messages++;
    } else {
      // Dumps give the trail last, oldest first, so it keeps its order in the target.
      await to.audit.append(item.audit);
      report.audit++;
    }
  }
  return report;
}
