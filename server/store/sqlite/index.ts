// SQLite store: one file, each repository in its own module, every multi-row write one transaction.
import type { Store } from '../index.js';
import { attachmentsRepository } from './attachments.js';
import { auditAppender, auditRepository } from './audit.js';
import { casesRepository } from './cases.js';
import { openDatabase } from './database.js';
import { dumper } from './dump.js';
import { instancesRepository, resultsRepository, timersRepository } from './instances.js';
import { jobsRepository } from './jobs.js';
import { serviceTokensRepository } from './service-tokens.js';
import { jurisdictionsRepository, ruleSetImporter } from './jurisdictions.js';
import { leasesRepository } from './leases.js';
import { messagesRepository } from './messages.js';
import { deliveriesRepository, notificationsRepository } from './notifications.js';
import type { Row } from './rows.js';
import { startSchedulesRepository } from './schedules.js';
import { tasksRepository } from './tasks.js';
import { sessionsRepository, usersRepository } from './users.js';
import { decisionsRepository, definitionsRepository, formsRepository } from './versioned.js';

export function openSqliteStore(file: string): Store {
  const db = openDatabase(file);
  const appendAudit = auditAppender(db);
  return {
    kind: 'sqlite',
    async close() {
      db.close();
    },
    async isEmpty() {
      return (db.prepare('SELECT COUNT(*) AS n FROM jurisdictions').get() as Row).n === 0;
    },
    dump: dumper(db),
    jurisdictions: jurisdictionsRepository(db),
    importRuleSet: ruleSetImporter(db, appendAudit),
    definitions: definitionsRepository(db, appendAudit),
    forms: formsRepository(db, appendAudit),
    decisions: decisionsRepository(db, appendAudit),
    users: usersRepository(db, appendAudit),
    sessions: sessionsRepository(db),
    instances: instancesRepository(db, appendAudit),
    cases: casesRepository(db),
    tasks: tasksRepository(db, appendAudit),
    jobs: jobsRepository(db, appendAudit),
    serviceTokens: serviceTokensRepository(db, appendAudit),
    timers: timersRepository(db),
    startSchedules: startSchedulesRepository(db),
    leases: leasesRepository(db),
    messages: messagesRepository(db),
    results: resultsRepository(db),
    attachments: attachmentsRepository(db, appendAudit),
    notifications: notificationsRepository(db),
    deliveries: deliveriesRepository(db),
    audit: auditRepository(db, appendAudit),
  };
}
