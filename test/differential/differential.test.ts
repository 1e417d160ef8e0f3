// Differential tests: every case of the corpus (and every shipped diagram) runs on the real Zeebe
// broker, the reference, where it must do what the case says; and on the embedded engine, whose
// trace (open tasks after each action, end status, final variables) must equal Zeebe's.
//   - A case the embedded engine refuses at deploy is only named, in one printed line.
//   - A case it runs differently fails, unless KNOWN_DIFFERENCES names it; a known difference that
//     has gone away fails too, so the list only ever shrinks.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedEngine } from '../../server/engine/embedded/index.js';
import type { DecisionLookup } from '../../server/engine/index.js';
import { readDmn } from '../../server/dmn/read.js';
import { internalHandlers } from '../../server/domain/service-tasks.js';
import { CASES } from './cases.js';
import { KNOWN_DIFFERENCES } from './known.js';
import { EmbeddedDriver } from './embedded.js';
import { atLeast, comparable, difference, expectationsMet, runScript, type Case, type Trace } from './script.js';
import { SHIPPED } from './shipped.js';
import { brokerClient, privatise, warmUp, ZeebeDriver, type Client } from './zeebe.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The embedded engine finds a case's decisions in its DMN files (the first file holding the id). */
async function decisionLookup(files: string[]): Promise<DecisionLookup | undefined> {
  if (!files.length) return undefined;
  const docs = await Promise.all(files.map(async (file) => {
    const xml = fs.readFileSync(path.join(ROOT, file), 'utf8');
    return { id: file, xml, ids: new Set((await readDmn(xml)).decisions.keys()) };
  }));
  return async (decisionId) => docs.find((d) => d.ids.has(decisionId)) ?? null;
}
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

const TRANSIENT = /^1[034] (ABORTED|INTERNAL|UNAVAILABLE)|RESOURCE_EXHAUSTED|was closed/;

describe('differential: embedded engine against the Zeebe broker', () => {
  let zeebe: Client;
  const embedded = new EmbeddedEngine({ handlers: internalHandlers });
  const compared: string[] = [];
  const refused: string[] = [];
  const known: string[] = [];
  const newer: string[] = [];
  let version = '';

  beforeAll(async () => {
    zeebe = brokerClient(inject('zeebeAddress'));
    version = String(((await zeebe.topology()) as any).brokers[0].version);
    await warmUp(zeebe, run);
  }, 90_000);
  afterAll(async () => {
    console.log(
      `differential: ${compared.length}/${compared.length + refused.length} cases compared, refused by the embedded engine: ${refused.join(', ') || 'none'}` +
        (known.length ? `; known differences: ${known.join(', ')}` : '') +
        (newer.length ? `; not run, the broker (${version}) is older than they describe: ${newer.join(', ')}` : ''),
    );
    await zeebe?.close();
    await embedded.close();
  });

  const all: Case[] = [...CASES, ...SHIPPED];
  all.forEach((c, i) => {
    it.concurrent(c.name, async () => {
      if (c.since && !atLeast(version, c.since)) {
        newer.push(c.name);
        return;
      }
      const xml = fs.readFileSync(path.join(ROOT, c.file), 'utf8');
      const dmnFiles = (c.decisions ?? []).map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
      const suffix = `${run}-${i}`;
      const params = c.params ?? {};
      const { problems } = await embedded.inspect(xml);
      const onZeebe = (attempt: number) => privatise(xml, `${suffix}-${attempt}`, dmnFiles).then((model) => runScript(c, new ZeebeDriver(zeebe, model, params, internalHandlers)));
      // The shared broker now and then drops a request (INTERNAL: connection closed): run the case again, once.
      const zeebeRun = onZeebe(1).then((t) => (t.error && TRANSIENT.test(t.error) ? (console.log(`differential: "${c.name}" again after ${t.error}`), onZeebe(2)) : t));
      const embeddedRun: Promise<Trace> = problems.length
        ? Promise.resolve({ observations: [], status: 'refused', variables: null })
        : runScript(c, new EmbeddedDriver(embedded, `d-${suffix}`, xml, params, await decisionLookup(c.decisions ?? [])));
      const [reference, ours] = await Promise.all([zeebeRun, embeddedRun]);
      if (process.env.DIFFERENTIAL_TRACE) console.log(c.name, JSON.stringify({ zeebe: reference, embedded: ours }, null, 1));
      expect(expectationsMet(c, reference), `Zeebe: ${JSON.stringify(reference)}`).toEqual([]);
      if (ours.status === 'refused' && reference.status !== 'refused') {
        refused.push(c.name);
        return;
      }
      compared.push(c.name);
      let diff: string | null;
      if (reference.status === 'refused' || ours.status === 'refused') {
        diff = ours.status === reference.status ? null : `embedded ${ours.status}, Zeebe refused it at deploy`;
      } else {
        // Task variables are compared once the embedded engine reports them; final variables when Zeebe can tell them.
        const withTaskVariables = ours.observations.some((o) => o.tasks.some((t) => t.variables));
        diff = difference(
          comparable({ ...ours, variables: reference.variables && ours.variables }, withTaskVariables),
          comparable(reference, withTaskVariables),
        );
        if (diff && ours.status !== reference.status) diff += ` (embedded ended ${ours.status}${ours.error ? `: ${ours.error}` : ''})`;
      }
      if (c.name in KNOWN_DIFFERENCES) {
        known.push(c.name);
        if (diff === null) expect.fail(`"${c.name}" now runs as on Zeebe: remove it from KNOWN_DIFFERENCES`);
      } else if (diff !== null) {
        expect.fail(`embedded differs from Zeebe in "${c.name}": ${diff}`);
      }
    }, 120_000);
  });
});
