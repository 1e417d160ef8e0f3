// npm run ruleset -- import <dir|bundle.json> | export <jurisdiction> [file]
// Talks to a running server through the HTTP API (POST/GET /api/rulesets), so an import is
// validated, permission-checked and audited exactly as one from the browser.
import fs from 'node:fs';
import { loadCliConfig, ConfigError } from '../config.js';
import { readBundleDir } from '../domain/rulesets.js';

const USAGE = 'usage: npm run ruleset -- import <dir|bundle.json> | export <jurisdiction> [file.json]';

async function main(argv: string[]): Promise<number> {
  const [command, target, out] = argv;
  if (!command || !target || !['import', 'export'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadCliConfig();
  const signIn = await fetch(`${config.url}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: config.username, password: config.password }),
  });
  if (!signIn.ok) throw new ConfigError(`sign-in as ${config.username} at ${config.url} failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];

  if (command === 'export') {
    const res = await fetch(`${config.url}/api/rulesets/${encodeURIComponent(target)}`, { headers: { cookie } });
    const body = await res.text();
    if (!res.ok) return report(res.status, body);
    if (out) fs.writeFileSync(out, JSON.stringify(JSON.parse(body), null, 2) + '\n');
    else process.stdout.write(body + '\n');
    return 0;
  }
  const bundle = fs.statSync(target).isDirectory() ? readBundleDir(target) : JSON.parse(fs.readFileSync(target, 'utf8'));
  const res = await fetch(`${config.url}/api/rulesets`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(bundle) });
  const body = await res.text();
  if (!res.ok) return report(res.status, body);
  console.log(`imported ${bundle.jurisdiction?.id}: ${body}`);
  return 0;
}

/** Prints a refusal with every problem on its own line. */
function report(status: number, body: string): number {
  let problem: { title?: string; detail?: string; errors?: { path: string; message: string }[] };
  try {
    problem = JSON.parse(body);
  } catch {
    problem = { detail: body };
  }
  console.error(`refused (${status}): ${problem.detail ?? problem.title ?? ''}`);
  for (const e of problem.errors ?? []) console.error(`  ${e.path}: ${e.message}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
