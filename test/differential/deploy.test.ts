// Deploy verdicts against the Zeebe broker: every diagram of test/fixtures/deploy (drawn as Camunda
// Modeler writes them) is deployed to the broker and checked by Yishi's deploy check; both must
// accept it, or both refuse it, and a refusal of Yishi's names the element the broker names, in
// Chinese (that element, or one inside or around it: Zeebe names an error end event's definition,
// Yishi the event). The broker's verdicts are kept in deploy-verdicts.json, written by running this file
// with RECORD_DEPLOY_VERDICTS=1; a later broker that decides differently fails the run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedEngine } from '../../server/engine/embedded/index.js';
import { internalHandlers } from '../../server/domain/service-tasks.js';
import { checkDeployable } from '../../server/domain/deployable.js';
import { brokerClient, type Client } from './zeebe.js';
import { compile } from '../../server/bpmn/read.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.join(ROOT, 'test/fixtures/deploy');
const VERDICTS = path.join(import.meta.dirname, 'deploy-verdicts.json');
const RECORD = !!process.env.RECORD_DEPLOY_VERDICTS;

interface Verdict {
  accepted: boolean;
  /** The elements the broker's refusal names. */
  elements: string[];
  message?: string;
}

const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.bpmn')).sort();
const recorded: Record<string, Verdict> = RECORD ? {} : JSON.parse(fs.readFileSync(VERDICTS, 'utf8'));
const CHINESE = /[\u4e00-\u9fff]/;

/**
 * Diagrams Zeebe deploys that Yishi still refuses (in Chinese, naming the element), each with why.
 * The test asserts they still differ, so this list only shrinks; docs/zeebe.md lists them too.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

/** The broker's verdict on one file: INVALID_ARGUMENT is a refusal, anything else a failure of the run. */
async function brokerVerdict(zeebe: Client, file: string, xml: string): Promise<Verdict> {
  try {
    await zeebe.deployResource({ process: Buffer.from(xml), name: file } as any);
    return { accepted: true, elements: [] };
  } catch (err) {
    const message = (err as Error).message;
    if (!/INVALID_ARGUMENT/.test(message)) throw err;
    const elements = [...new Set([...message.matchAll(/Element: ([\w-]+)/g)].map((m) => m[1]!))].sort();
    return { accepted: false, elements, message: message.replace(/^.*?encountered the following errors:\s*/s, '').trim() };
  }
}

/** Whether two element ids name the same element or one lies inside the other. */
async function relation(xml: string): Promise<(a: string, b: string) => boolean> {
  const moddle = (await compile(xml)).moddle as { elementsById?: Record<string, { $parent?: unknown }> } | null;
  const byId = moddle?.elementsById ?? {};
  const within = (inner: string, outer: string) => {
    if (outer === 'definitions') return true;
    for (let el: any = byId[inner]; el; el = el.$parent) if (el.id === outer) return true;
    return false;
  };
  return (a, b) => a === b || within(a, b) || within(b, a);
}

describe('deploy verdicts: Yishi against the Zeebe broker', () => {
  let zeebe: Client;
  const engine = new EmbeddedEngine({ handlers: internalHandlers });

  beforeAll(() => {
    zeebe = brokerClient(inject('zeebeAddress'));
  });
  afterAll(async () => {
    if (RECORD) fs.writeFileSync(VERDICTS, `${JSON.stringify(recorded, null, 2)}\n`);
    await zeebe?.close();
    await engine.close();
  });

  it('has a corpus of at least 50 diagrams on which both agree, both verdicts among them, each with a recorded verdict', () => {
    expect(files.filter((f) => !(f in KNOWN_DIFFERENCES)).length).toBeGreaterThanOrEqual(50);
    if (RECORD) return;
    expect(Object.keys(recorded).sort()).toEqual(files);
    expect(new Set(Object.values(recorded).map((v) => v.accepted))).toEqual(new Set([true, false]));
  });

  it.each(files)('%s', async (file) => {
    const xml = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    const broker = await brokerVerdict(zeebe, file, xml);
    if (RECORD) recorded[file] = broker;
    // The broker lists an element's errors in no fixed order: its message is kept for readers only.
    else expect({ ...broker, message: undefined }, 'the broker decides as recorded').toEqual({ ...recorded[file], message: undefined });

    // Yishi deploys the file under its first process (a deploy names the key it holds).
    const key = (await engine.inspect(xml)).processes[0]?.key ?? 'none';
    const { problems } = await checkDeployable(engine, xml, key, new Set(), { xml: '/xml', key: '/key' });
    const said = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    if (file in KNOWN_DIFFERENCES) {
      expect(broker.accepted, `${file}: the broker refuses it now`).toBe(true);
      expect(problems.length, `${file} now deploys as on Zeebe: remove it from KNOWN_DIFFERENCES`).toBeGreaterThan(0);
      for (const p of problems) expect(p.message).toMatch(CHINESE);
      expect(problems.some((p) => p.path.includes('#')), 'the refusal names the element').toBe(true);
      return;
    }
    expect(problems.length === 0, `Zeebe ${broker.accepted ? 'accepts' : `refuses: ${broker.message}`}\nYishi: ${said || 'accepts'}`).toBe(broker.accepted);
    for (const p of problems) expect(p.message, 'a refusal says why in Chinese').toMatch(CHINESE);
    if (broker.elements.length) {
      // "definitions" is Zeebe's name for the document itself: a problem without an element.
      const named = problems.map((p) => /#(.+)$/.exec(p.path)?.[1] ?? 'definitions');
      const related = await relation(xml);
      expect(named.some((a) => broker.elements.some((b) => related(a, b))), `Yishi names ${named.join(', ')}; Zeebe names ${broker.elements.join(', ')}`).toBe(true);
    }
  });
});
