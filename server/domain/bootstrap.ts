// First start on an empty store: the shipped rule sets, the admin account and (outside
// production) one demo account per role per shipped jurisdiction. Several servers may start at once
// on the same empty store: the one holding the store's bootstrap lease seeds it, the others wait
// for it and then find the store seeded.
import { exclusive } from '../store/exclusive.js';
import type { Store } from '../store/index.js';
import type { Jurisdictions } from './jurisdictions.js';
import { generatePassword, hashPassword } from './passwords.js';
import { readShippedBundles, type RuleSets } from './rulesets.js';

export const DEMO_PASSWORD = 'yishi-demo-2026';
export const DEMO_ROLES = ['admin', 'official', 'staff'] as const;

/** How long a seeding may take before another server may take over (a crashed one's lease lapses). */
const BOOTSTRAP_LEASE_MS = 120_000;

export interface BootstrapReport {
  loaded: string[];
  adminPassword?: string;
  demoAccounts: string[];
}

interface BootstrapDeps {
  store: Store;
  ruleSets: RuleSets;
  jurisdictions: Jurisdictions;
  contentDir: string;
  adminPassword?: string;
  production: boolean;
}

export async function bootstrap(deps: BootstrapDeps): Promise<BootstrapReport | null> {
  const { store, jurisdictions } = deps;
  if (!(await store.isEmpty())) return null;
  return exclusive(store.leases, BOOTSTRAP_LEASE_MS)('bootstrap', async () => {
    if (await store.isEmpty()) return seed(deps);
    // Another server seeded it while this one waited: use what it loaded.
    await jurisdictions.refresh();
    return null;
  });
}

async function seed(deps: BootstrapDeps): Promise<BootstrapReport> {
  const { store, ruleSets, jurisdictions } = deps;
  const bundles = readShippedBundles(deps.contentDir);
  for (const b of bundles) await ruleSets.import(b, 'system');
  const at = new Date().toISOString();
  const audit = (username: string) => ({ at, actor: 'system', action: 'user.create', jurisdiction: null, targetType: 'user', targetId: username });
  const adminPassword = deps.adminPassword ?? generatePassword();
  const topLevel = jurisdictions.list().filter((j) => !j.parent);
  await store.users.create(
    {
      username: 'admin', displayName: '系统管理员', passwordHash: await hashPassword(adminPassword),
      memberships: topLevel.map((j) => ({ jurisdiction: j.id, roles: ['admin', 'official'] })), createdAt: at,
    },
    audit('admin'),
  );
  const demoAccounts: string[] = [];
  if (!deps.production) {
    const demoHash = await hashPassword(DEMO_PASSWORD);
    for (const b of bundles) {
      const id = b.jurisdiction.id;
      // Demo staff belong to every functional group the rule sets declare, so each task can be worked.
      const groups = jurisdictions.ancestry(id).flatMap((jid) => Object.keys((jurisdictions.get(jid).extra?.groups as object) ?? {}));
      for (const role of DEMO_ROLES) {
        const username = `${id}.${role}`;
        const roles = role === 'staff' ? ['staff', ...new Set(groups)] : [role];
        await store.users.create(
          { username, displayName: `${b.jurisdiction.name} 演示${{ admin: '管理员', official: '干部', staff: '工作人员' }[role]}`, passwordHash: demoHash, memberships: [{ jurisdiction: id, roles }], createdAt: at },
          audit(username),
        );
        demoAccounts.push(username);
      }
    }
  }
  return { loaded: bundles.map((b) => b.jurisdiction.id), adminPassword: deps.adminPassword ? undefined : adminPassword, demoAccounts };
}
