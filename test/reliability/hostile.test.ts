// Hostile input: a property-based fuzzer (fast-check) sends malformed JSON, wrong types, huge and
// deeply nested bodies, `$`-operator and prototype-pollution keys, script tags, broken and malicious
// BPMN, invalid schemas and bundles to every writing route. Never a 5xx, never a crash, and a
// rejected request changes nothing (the newest audit entry, the definition and form versions and
// the open task stay as they were).
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';

let server: Server;
let admin: Client;
let taskId: string;
let instanceId: string;
let cases = 0;
/** Generated bodies per run (the hand-written cases come on top). */
const FUZZ_RUNS = 10_000;

beforeAll(async () => {
  server = await startServer();
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  const inst = (await admin.post('/api/instances', { jurisdiction: 'root', processKey: 'review' })).body;
  taskId = (await admin.get(`/api/tasks?status=open&limit=200`)).body.items.find((t: any) => t.instanceId === inst.id).id;
  instanceId = inst.id;
});
// Another test's accepted writes change the state: each test starts from a fresh reading.
beforeEach(() => {
  known = null;
});
afterAll(async () => {
  console.log(`hostile: ${cases} fuzz cases`);
  await server?.stop();
});

async function fingerprint() {
  const [audit, def, form, task, users] = await Promise.all([
    admin.get('/api/audit?jurisdiction=root&limit=1'),
    admin.get('/api/processes/root/review'),
    admin.get('/api/forms/root/check-form'),
    admin.get(`/api/tasks/${taskId}`),
    admin.get('/api/users'),
  ]);
  return JSON.stringify([audit.body.items[0]?.id, def.body.version, form.body.version, task.body.status, task.body.data, task.body.assignee, users.body.length]);
}

/** The state as it was after the last request: a refused request must leave it as it is. */
let known: string | null = null;

/** Sends one request; asserts no 5xx, the server alive, and no change when refused. */
async function probe(method: string, url: string, body: unknown, raw = false) {
  cases++;
  const before = known ?? (await fingerprint());
  const res = await admin.request(method, url, raw ? (body as string) : body, raw ? { 'content-type': 'application/json' } : {});
  expect(res.status, `${method} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
  expect(server.proc.exitCode).toBeNull();
  known = await fingerprint();
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(known, `${method} ${url} was refused (${res.status}) but changed state`).toBe(before);
  }
  return res;
}

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', '$where', '$ne', '$gt', 'a.b', '$set', '');
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{"$ne":null}', '\u0000', '../../etc/passwd', '=now()', '%s%n'),
  fc.string({ minLength: 5000, maxLength: 20000 }),
);
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('hostile input', () => {
  it(`survives ${FUZZ_RUNS} generated malformed, deep, huge and polluted bodies on every writing route`, { timeout: 900_000 }, async () => {
    const routes: [string, (id: string) => string][] = [
      ['POST', () => '/api/session'], ['POST', () => '/api/instances'], ['POST', (t) => `/api/tasks/${t}/complete`],
      ['POST', (t) => `/api/tasks/${t}/claim`], ['PUT', () => '/api/processes/root/review'], ['PUT', () => '/api/forms/root/check-form'],
      ['POST', () => '/api/rulesets'], ['POST', () => '/api/messages'], ['POST', () => '/api/users'], ['PUT', () => '/api/users/root.staff'],
      ['POST', (t) => `/api/tasks/${t}/transfer`], ['POST', (t) => `/api/tasks/${t}/delegate`], ['POST', (t) => `/api/tasks/${t}/resolve`],
      ['POST', (t) => `/api/tasks/${t}/return`], ['POST', (t) => `/api/tasks/${t}/urge`], ['POST', () => `/api/instances/${instanceId}/cc`],
      ['POST', () => `/api/instances/${instanceId}/comments`], ['POST', () => `/api/instances/${instanceId}/withdraw`],
      ['PUT', () => '/api/jurisdictions/root'], ['PUT', () => '/api/jurisdictions/new-child'], ['POST', () => '/api/instances/migrate'],
      ['POST', () => '/api/attachments?jurisdiction=root'], ['POST', (t) => `/api/notifications/${t}/read`],
    ];
    for (const [method, url] of routes) {
      for (const raw of ['{', '{"a":', 'nul', '[1,2', '\u0000', deep(5000), `{"x":"${'a'.repeat(3_000_000)}"}`]) await probe(method, url(taskId), raw, true);
    }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), hostileJson, async ([method, url], body) => {
        const res = await probe(method, url(taskId), body);
        // Polluted keys never reach Object.prototype of the server (a later request would show it).
        expect(({} as any).polluted).toBeUndefined();
        return res.status < 500;
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('keeps `$` and `__proto__` keys of form data as data', async () => {
    const staff = await Client.signIn(server.url, 'root.staff');
    const inst = (await staff.post('/api/instances', { jurisdiction: 'root', processKey: 'review', variables: { caseNo: 'H-1' } })).body;
    const task = (await staff.get(`/api/tasks?status=open&limit=200`)).body.items.find((t: any) => t.instanceId === inst.id);
    const body = '{"data":{"kind":"b","count":1,"expected":3,"present":3,"note":{"$where":"sleep(1)","__proto__":{"polluted":true}}}}';
    const res = await staff.request('POST', `/api/tasks/${task.id}/complete`, body);
    cases++;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stored = (await staff.get(`/api/tasks/${task.id}`)).body.data.note;
    expect(Object.keys(stored).sort()).toEqual(['$where', '__proto__']);
    expect(stored.$where).toBe('sleep(1)');
    expect(({} as any).polluted).toBeUndefined();
    expect((await staff.get(`/api/instances/${inst.id}`)).body.status).toBe('active');
  });

  it('refuses malicious and broken BPMN without expanding entities, and handles 10k elements', async () => {
    const base = (await admin.get('/api/processes/root/review')).body;
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>` +
      base.xml.replace(/^<\?xml[^>]*>/, '').replace('name="', 'name="&lol9;');
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + base.xml.replace(/^<\?xml[^>]*>/, '').replace('name="', 'name="&xxe;');
    for (const xml of [laughs, xxe, '<bpmn:definitions', 'not xml at all', base.xml.replace('</bpmn:process>', '<bpmn:scriptTask id="s" /></bpmn:process>')]) {
      const res = await probe('PUT', '/api/processes/root/review', { xml, baseVersion: base.version });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).not.toContain('root:x:0:0');
    }
    const tasks = Array.from({ length: 5000 }, (_, i) => `<bpmn:task id="t${i}" name="步骤${i}" /><bpmn:sequenceFlow id="f${i}" sourceRef="${i ? `t${i - 1}` : 's'}" targetRef="t${i}" />`).join('');
    const big = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"><bpmn:process id="review" isExecutable="true"><bpmn:startEvent id="s" />${tasks}<bpmn:endEvent id="e" /><bpmn:sequenceFlow id="fe" sourceRef="t4999" targetRef="e" /></bpmn:process></bpmn:definitions>`;
    const started = Date.now();
    const res = await probe('PUT', '/api/processes/root/review', { xml: big, baseVersion: base.version });
    expect([201, 413, 422]).toContain(res.status);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await admin.get('/api/health')).body.status).toBe('ok');
  });
});
