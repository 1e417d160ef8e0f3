// People read who did something by name, not by account: display names for a set of accounts.
import type { Store } from '../store/index.js';

/** Display names by account; the system and accounts no longer there are left out. */
export async function displayNames(users: Store['users'], accounts: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const account of new Set(accounts)) {
    if (!account || account === 'system') continue;
    const u = await users.get(account);
    if (u) names.set(account, u.displayName);
  }
  return names;
}
