// The access matrix: every route × every role × own / child / sibling jurisdiction × signed out,
// generated and checked against the allow/deny table below. "Allowed" means the request got past
// authorization (any status but 401/403); requests are shaped so that an allowed one changes little.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';

type Role = 'admin' | 'official' | 'staff' | 'signed-out';
type Where = 'own' | 'child' | 'sibling';
const TARGET: Record<Where, string> = { own: 'town-a', child: 'town-a-1', sibling: 'town-b' };

interface Fixture {
  instance: string;
  task: string;
}
interface Route {
  name: string;
  /** Roles (held in the target or above) that may use it; 'member' = any role. */
  allow: string[] | 'member';
  call(c: Client, j: string, f: Fixture): Promise<{ status: number }>;
}

const ROUTES: Route[] = [
  { name: 'GET jurisdiction', allow: 'member', call: (c, j) => c.get(`/api/jurisdictions/${j}`) },
  { name: 'GET processes', allow: 'member', call: (c, j) => c.get(`/api/processes?jurisdiction=${j}`) },
  { name: 'GET process', allow: 'member', call: (c, j) => c.get(`/api/processes/${j}/review`) },
  { name: 'GET versions', allow: 'member', call: (c, j) => c.get(`/api/processes/${j}/review/versions`) },
  { name: 'PUT process (stale base)', allow: ['official', 'admin'], call: (c, j) => c.put(`/api/processes/${j}/review`, { xml: '<x/>', baseVersion: 999 }) },
  { name: 'GET decisions', allow: 'member', call: (c, j) => c.get(`/api/decisions?jurisdiction=${j}`) },
  { name: 'GET decision', allow: 'member', call: (c, j) => c.get(`/api/decisions/${j}/no-such-table`) },
  { name: 'PUT decision (stale base)', allow: ['official', 'admin'], call: (c, j) => c.put(`/api/decisions/${j}/no-such-table`, { xml: '<definitions/>', baseVersion: 999 }) },
  { name: 'GET form', allow: 'member', call: (c, j) => c.get(`/api/forms/${j}/check-form`) },
  { name: 'PUT form (stale base)', allow: ['official', 'admin'], call: (c, j) => c.put(`/api/forms/${j}/check-form`, { schema: { type: 'object' }, baseVersion: 999 }) },
  { name: 'POST instance (unknown process)', allow: ['staff', 'official', 'admin'], call: (c, j) => c.post('/api/instances', { jurisdiction: j, processKey: 'no-such-process' }) },
  { name: 'GET instances', allow: 'member', call: (c, j) => c.get(`/api/instances?jurisdiction=${j}`) },
  { name: 'GET instance', allow: 'member', call: (c, _j, f) => c.get(`/api/instances/${f.instance}`) },
  { name: 'POST retry (no incident)', allow: ['official', 'admin'], call: (c, _j, f) => c.post(`/api/instances/${f.instance}/retry`, {}) },
  { name: 'GET tasks', allow: 'member', call: (c, j) => c.get(`/api/tasks?jurisdiction=${j}`) },
  { name: 'GET task', allow: 'member', call: (c, _j, f) => c.get(`/api/tasks/${f.task}`) },
  { name: 'POST claim+unclaim', allow: ['staff'], call: async (c, _j, f) => {
    const res = await c.post(`/api/tasks/${f.task}/claim`, {});
    if (res.status === 200) await c.post(`/api/tasks/${f.task}/unclaim`, {});
    return res;
  } },
  { name: 'POST complete (invalid data)', allow: ['staff'], call: (c, _j, f) => c.post(`/api/tasks/${f.task}/complete`, { data: { decision: 42 } }) },
  { name: 'POST transfer (unknown colleague)', allow: ['staff'], call: (c, _j, f) => c.post(`/api/tasks/${f.task}/transfer`, { to: 'no-such-user' }) },
  { name: 'POST delegate (unknown colleague)', allow: ['staff'], call: (c, _j, f) => c.post(`/api/tasks/${f.task}/delegate`, { to: 'no-such-user' }) },
  // Only the delegate resolves, and nobody is one here.
  { name: 'POST resolve (not delegated)', allow: [], call: (c, _j, f) => c.post(`/api/tasks/${f.task}/resolve`, {}) },
  { name: 'GET returnable', allow: 'member', call: (c, _j, f) => c.get(`/api/tasks/${f.task}/returnable`) },
  { name: 'POST return (no such earlier task)', allow: ['staff'], call: (c, _j, f) => c.post(`/api/tasks/${f.task}/return`, { elementId: 'nowhere', comment: '退回' }) },
  { name: 'POST urge', allow: ['staff', 'official', 'admin'], call: (c, _j, f) => c.post(`/api/tasks/${f.task}/urge`, {}) },
  // Only the starter (root.staff here) withdraws.
  { name: 'POST withdraw (not the starter)', allow: [], call: (c, _j, f) => c.post(`/api/instances/${f.instance}/withdraw`, { comment: '撤回' }) },
  { name: 'POST cc (unknown user)', allow: 'member', call: (c, _j, f) => c.post(`/api/instances/${f.instance}/cc`, { users: ['no-such-user'] }) },
  { name: 'POST comment (empty)', allow: 'member', call: (c, _j, f) => c.post(`/api/instances/${f.instance}/comments`, { text: '' }) },
  { name: 'GET ruleset', allow: ['official', 'admin'], call: (c, j) => c.get(`/api/rulesets/${j}`) },
  { name: 'POST ruleset (invalid)', allow: ['admin'], call: (c, j) => c.post('/api/rulesets', { jurisdiction: { id: j, name: '改名', parent: j === 'town-a-1' ? 'town-a' : 'root' }, parameters: { remindAfter: 5 } }) },
  { name: 'PUT jurisdiction (stale base)', allow: ['admin'], call: (c, j) => c.put(`/api/jurisdictions/${j}`, { name: '改名', parameters: {}, vocabulary: {}, groups: {}, baseVersion: 999 }) },
  { name: 'POST migrate (dry run, unknown version)', allow: ['official', 'admin'], call: (c, j) => c.post('/api/instances/migrate?dryRun=true', { jurisdiction: j, processKey: 'review', fromVersion: 1, toVersion: 99 }) },
  { name: 'POST attachment', allow: 'member', call: (c, j) => c.upload(`/api/attachments?jurisdiction=${j}`, '记录.txt', Buffer.from('会议记录')) },
  { name: 'GET audit', allow: ['official', 'admin'], call: (c, j) => c.get(`/api/audit?jurisdiction=${j}`) },
  { name: 'POST service token (no name)', allow: ['admin'], call: (c, j) => c.post('/api/service-tokens', { name: '', jurisdictions: [j] }) },
  { name: 'GET ledger', allow: 'member', call: (c, j) => c.get(`/api/ledger?jurisdiction=${j}`) },
  { name: 'GET ledger .xlsx', allow: 'member', call: async (c, j) => c.download(`/api/ledger?jurisdiction=${j}&format=xlsx`).then(async (r) => (await r.arrayBuffer(), r)) },
  { name: 'GET stats', allow: 'member', call: (c, j) => c.get(`/api/stats?jurisdiction=${j}`) },
  { name: 'GET documents', allow: 'member', call: (c, _j, f) => c.get(`/api/documents?instanceId=${f.instance}`) },
  { name: 'GET document (none defined)', allow: 'member', call: (c, _j, f) => c.get(`/api/documents/${f.instance}/meeting-record`) },
];

let server: Server;
const clients = {} as Record<Role, Client>;
const fixtures = {} as Record<Where, Fixture>;

beforeAll(async () => {
  server = await startServer();
  const root = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  expect((await root.post('/api/rulesets', { jurisdiction: { id: 'town-a-1', name: '甲镇一村', parent: 'town-a' } })).status).toBe(201);
  for (const role of ['admin', 'official', 'staff'] as const) clients[role] = await Client.signIn(server.url, `town-a.${role}`);
  clients['signed-out'] = new Client(server.url);
  const rootStaff = await Client.signIn(server.url, 'root.staff');
  for (const [where, j] of Object.entries(TARGET) as [Where, string][]) {
    const inst = (await rootStaff.post('/api/instances', { jurisdiction: j, processKey: 'review' })).body;
    const task = (await rootStaff.get(`/api/tasks?jurisdiction=${j}&status=open`)).body.items.find((t: any) => t.instanceId === inst.id);
    fixtures[where] = { instance: inst.id, task: task.id };
  }
});
afterAll(async () => {
  await server?.stop();
});

/** The table: town-a's users hold their role in town-a and (inherited) town-a-1, nothing in town-b. */
function expected(route: Route, role: Role, where: Where): 'allow' | 'deny' | 'sign-in' {
  if (role === 'signed-out') return 'sign-in';
  if (where === 'sibling') return 'deny';
  if (route.allow === 'member') return 'allow';
  // Demo staff also hold the functional groups, which is what claim/complete check.
  return route.allow.includes(role) ? 'allow' : 'deny';
}

describe('access matrix', () => {
  it(`checks ${ROUTES.length} routes × 4 roles × 3 jurisdictions against the table`, async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of ROUTES) {
      for (const role of Object.keys(clients) as Role[]) {
        for (const where of Object.keys(TARGET) as Where[]) {
          const { status } = await route.call(clients[role], TARGET[where], fixtures[where]);
          const got = status === 401 ? 'sign-in' : status === 403 ? 'deny' : status >= 500 ? `error ${status}` : 'allow';
          const want = expected(route, role, where);
          checked++;
          if (got !== want) mismatches.push(`${route.name} as ${role} in ${where}: want ${want}, got ${got} (${status})`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(ROUTES.length * 4 * 3);
  });

  it('keeps users to the jurisdictions they administer', async () => {
    const users = (await clients.admin.get('/api/users')).body;
    const names = (users.items ?? users).map((u: any) => u.username);
    expect(names).toContain('town-a.staff');
    expect(names).not.toContain('town-b.staff');
    expect((await clients.official.get('/api/users')).status).toBe(403);
    expect((await clients['signed-out'].get('/api/users')).status).toBe(401);
    const create = await clients.admin.post('/api/users', { username: 'intruder', displayName: '越权', password: 'long-enough-password', memberships: [{ jurisdiction: 'town-b', roles: ['admin'] }] });
    expect(create.status).toBe(403);
  });
});
