// The domain services a router may use, passed in by app.ts.
import type { Config } from '../config.js';
import type { Engine } from '../engine/index.js';
import type { Store } from '../store/index.js';
import type { Access } from '../domain/access.js';
import type { Catalog } from '../domain/catalog.js';
import type { Jurisdictions } from '../domain/jurisdictions.js';
import type { Documents } from '../domain/documents.js';
import type { Ledger } from '../domain/ledger.js';
import type { Stats } from '../domain/stats.js';
import type { RuleSets } from '../domain/rulesets.js';
import type { Runtime } from '../domain/runtime.js';
import type { Sessions } from '../domain/sessions.js';
import type { Users } from '../domain/users.js';

export interface Services {
  config: Config;
  store: Store;
  engine: Engine;
  access: Access;
  catalog: Catalog;
  jurisdictions: Jurisdictions;
  ledger: Ledger;
  documents: Documents;
  stats: Stats;
  ruleSets: RuleSets;
  runtime: Runtime;
  sessions: Sessions;
  users: Users;
  version: string;
}
