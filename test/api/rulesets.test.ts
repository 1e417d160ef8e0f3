// Rule-set bundles from the command line (npm run ruleset) and the API: a directory imports as a
// child jurisdiction and exports back; a bundle with three different mistakes is refused with all
// three reported and nothing stored.
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, tempDir, type Server } from '../support/server.js';

const run = promisify(execFile);
let server: Server;
let admin: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

async function cli(...args: string[]) {
  const env = { ...process.env, YISHI_URL: server.url, YISHI_PASSWORD: ADMIN_PASSWORD };
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'server/cli/ruleset.ts'), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
  }
}

const badProcess = fs.readFileSync(path.join(ROOT, 'processes/anhui/council-meeting.bpmn'), 'utf8').replace('formKey="annual-review"', 'formKey="no-such-form"');

describe('rule-set bundles', () => {
  it('imports a directory as a child of Anhui from the command line, and exports it back', async () => {
    const dir = tempDir('yishi-bundle-');
    fs.writeFileSync(path.join(dir, 'jurisdiction.json'), JSON.stringify({ id: 'luyang-x', name: '某街道', parent: 'anhui', parameters: { passRatio: 0.66 } }));
    const form = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/national/issue-intake.schema.json'), 'utf8'));
    form.title = '收集问题（街道版）';
    fs.writeFileSync(path.join(dir, 'issue-intake.schema.json'), JSON.stringify(form));
    const imported = await cli('import', dir);
    expect(imported.code, imported.stderr).toBe(0);
    const j = (await admin.get('/api/jurisdictions/luyang-x')).body;
    expect(j).toMatchObject({ parent: 'anhui', parameters: { passRatio: 0.66, quorumRatio: 0.5, annualReviewQuarter: 4 } });
    expect(j.forms.find((f: any) => f.formKey === 'issue-intake')).toMatchObject({ definedAt: 'luyang-x' });
    expect(j.forms.find((f: any) => f.formKey === 'admissibility')).toMatchObject({ definedAt: 'anhui' });

    const out = path.join(dir, 'export.json');
    const exported = await cli('export', 'luyang-x', out);
    expect(exported.code, exported.stderr).toBe(0);
    const bundle = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(bundle).toMatchObject({ jurisdiction: { id: 'luyang-x', parent: 'anhui' }, parameters: { passRatio: 0.66 }, processes: [] });
    expect(bundle.forms['issue-intake'].schema.title).toBe('收集问题（街道版）');
    expect(Object.keys(bundle.forms)).toEqual(['issue-intake']);
  });

  it('refuses a bundle with three different mistakes, names all three, and stores nothing', async () => {
    const bundle = {
      jurisdiction: { id: 'bad-town', name: '错误示例', parent: 'anhui' },
      parameters: { passRatio: '过半数' },
      forms: { 'annual-review': { schema: { type: 'object', properties: { rating: { type: 'strin' } } } } },
      processes: [{ key: 'council-meeting', xml: badProcess }],
    };
    const audit = async () => (await admin.get('/api/audit?jurisdiction=anhui&limit=200')).body.items.length as number;
    const before = await audit();
    expect(before).toBeGreaterThan(0);
    const res = await admin.post('/api/rulesets', bundle);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual(['/forms/annual-review/schema', '/parameters/passRatio', '/processes/0/xml'].sort());
    expect((await admin.get('/api/jurisdictions/bad-town')).status).toBe(404);
    expect(await audit()).toBe(before);

    const file = path.join(tempDir('yishi-bundle-'), 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bundle));
    const refused = await cli('import', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('/parameters/passRatio');
    expect(refused.stderr).toContain('/forms/annual-review/schema');
    expect(refused.stderr).toContain('no-such-form');
    expect((await admin.get('/api/jurisdictions/bad-town')).status).toBe(404);
  });

  it('refuses a form whose context names a variable without a title (what a task page would show unlabelled)', async () => {
    const res = await admin.post('/api/rulesets', {
      jurisdiction: { id: 'bad-context', name: '错误示例', parent: 'anhui' },
      forms: { 'annual-review': { schema: { type: 'object' }, context: [{ variable: 'matter', title: '反映事项' }, { variable: 'reporter' }] } },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual([expect.stringMatching(/^\/forms\/annual-review\/context\/1/)]);
    expect((await admin.get('/api/jurisdictions/bad-context')).status).toBe(404);
  });

  it('tells the command-line user how to call it', async () => {
    const res = await cli('frobnicate');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('usage: npm run ruleset');
  });
});
