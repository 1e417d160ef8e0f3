// Production store: MongoDB through the official driver. Works on a plain server or replica set
// and on FerretDB, so it does not rely on multi-document transactions. Writes that span several
// documents (an engine step, a rule-set import) go through a journal: the whole change is first
// written in ONE document (atomic, and guarded by the instance revision), then applied with
// idempotent writes, then cleared. A crash in between is finished on the next open, so an
// acknowledged write is never half there. Each repository lives in its own module.
import { MongoClient } from 'mongodb';
import type { Store } from '../index.js';
import { attachmentsRepository } from './attachments.js';
import { auditAppender, auditRepository } from './audit.js';
import { casesRepository } from './cases.js';
import { dumper } from './dump.js';
import { instancesRepository, resultsRepository, timersRepository } from './instances.js';
import { exclusive, leasesRepository } from './leases.js';
import { jobsRepository } from './jobs.js';
import { serviceTokensRepository } from './service-tokens.js';
import { finishRuleSetImports, jurisdictionsRepository, ruleSetImporter } from './jurisdictions.js';
import { messagesRepository } from './messages.js';
import { deliveriesRepository, notificationsRepository } from './notifications.js';
import { startSchedulesRepository } from './schedules.js';
import { openCollections } from './schema.js';
import { finishSteps, journaledSteps } from './steps.js';
import { tasksRepository } from './tasks.js';
import { sessionsRepository, usersRepository } from './users.js';
import { decisionsRepository, definitionsRepository, formsRepository } from './versioned.js';

/** How long a guarded write may hold its instance's lease; a server that crashed holding one blocks that instance as long. */
export const WRITE_LEASE_MS = 5000;

export async function openMongoStore(uri: string, dbName?: string): Promise<Store> {
  const client = await MongoClient.connect(uri, { writeConcern: { w: 'majority', journal: true } });
  const db = client.db(dbName);
  const cols = await openCollections(db);
  const appendAudit = auditAppender(cols);
  const leases = leasesRepository(cols);
  const guarded = exclusive(leases, WRITE_LEASE_MS);
  const steps = journaledSteps(cols, guarded);

  // Finish whatever a crash left half-done before serving anything.
  await finishRuleSetImports(cols);
  await finishSteps(cols, steps.finishJournal, guarded);

  return {
    kind: 'mongodb',
    async close() {
      await client.close();
    },
    async isEmpty() {
      return (await cols.jurisdictions.countDocuments({}, { limit: 1 })) === 0;
    },
    dump: dumper(cols),
    jurisdictions: jurisdictionsRepository(cols),
    importRuleSet: ruleSetImporter(cols, guarded),
    definitions: definitionsRepository(cols, appendAudit),
    forms: formsRepository(cols, appendAudit),
    decisions: decisionsRepository(cols, appendAudit),
    users: usersRepository(cols, appendAudit),
    sessions: sessionsRepository(cols),
    instances: instancesRepository(cols, steps, () => finishSteps(cols, steps.finishJournal, guarded)),
    cases: await casesRepository(cols),
    tasks: tasksRepository(cols, appendAudit, guarded),
    jobs: jobsRepository(cols, appendAudit),
    serviceTokens: serviceTokensRepository(cols, appendAudit),
    timers: timersRepository(cols),
    startSchedules: startSchedulesRepository(cols),
    leases,
    messages: messagesRepository(cols),
    results: resultsRepository(cols),
    attachments: attachmentsRepository(db, cols, appendAudit),
    notifications: notificationsRepository(cols),
    deliveries: deliveriesRepository(cols, leases),
    audit: auditRepository(cols, appendAudit),
  };
}
