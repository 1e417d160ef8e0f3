// What the routers are given (app.ts builds it): the domain services, the config, the jurisdiction tree.
import type { Config } from '../config.js';
import type { Attachments } from '../domain/attachments.js';
import type { AuditTrail } from '../domain/audit.js';
import type { Catalog } from '../domain/catalog.js';
import type { Notifications } from '../domain/notifications.js';
import type { Documents } from '../domain/documents.js';
import type { Ledger } from '../domain/ledger.js';
import type { Stats } from '../domain/stats.js';
import type { Jurisdictions } from '../domain/jurisdictions.js';
import type { PublishedResults } from '../domain/results.js';
import type { RuleSets } from '../domain/rulesets.js';
import type { Instances } from '../domain/runtime/instances.js';
import type { Migrations } from '../domain/runtime/migration.js';
import type { Messages } from '../domain/runtime/messages.js';
import type { Signals } from '../domain/runtime/signals.js';
import type { Operations } from '../domain/runtime/operations.js';
import type { Signing } from '../domain/runtime/signing.js';
import type { Tasks } from '../domain/runtime/tasks.js';
import type { ServiceTokens } from '../domain/service-tokens.js';
import type { Sessions } from '../domain/sessions.js';
import type { Users } from '../domain/users.js';

export interface Deps {
  config: Config;
  jurisdictions: Jurisdictions;
  catalog: Catalog;
  ruleSets: RuleSets;
  instances: Instances;
  migrations: Migrations;
  tasks: Tasks;
  operations: Operations;
  signing: Signing;
  messages: Messages;
  signals: Signals;
  results: PublishedResults;
  audit: AuditTrail;
  sessions: Sessions;
  users: Users;
  attachments: Attachments;
  notifications: Notifications;
  ledger: Ledger;
  stats: Stats;
  documents: Documents;
  serviceTokens: ServiceTokens;
}
