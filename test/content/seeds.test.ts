// The shipped rule sets against PROCEDURES.md's rule "every diagram, form and rule set is traceable to
// the seeds": each process and each human step cites a seed in its documentation, every parameter a
// diagram reads is defined along the jurisdiction's chain, and every form a step shows exists there.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.js';

const dirs = fs.readdirSync(path.join(ROOT, 'processes'));
const jurisdiction = (id: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'processes', id, 'jurisdiction.json'), 'utf8'));
const chain = (id: string): string[] => {
  const parent = jurisdiction(id).parent;
  return parent ? [id, ...chain(parent)] : [id];
};
const diagrams = (id: string) => fs.readdirSync(path.join(ROOT, 'processes', id)).filter((f) => f.endsWith('.bpmn')).map((f) => fs.readFileSync(path.join(ROOT, 'processes', id, f), 'utf8'));
const formKeys = (id: string) => (fs.existsSync(path.join(ROOT, 'schemas', id)) ? fs.readdirSync(path.join(ROOT, 'schemas', id)) : []).filter((f) => f.endsWith('.schema.json')).map((f) => f.replace('.schema.json', ''));
const elements = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<bpmn:${tag} [^>]*id="([^"]+)"[^>]*>([\\s\\S]*?)</bpmn:${tag}>`, 'g'))].map((m) => ({ id: m[1], body: m[2] }));

describe('shipped rule sets trace to the seeds', () => {
  for (const id of dirs) {
    it(`${id}: every process and every human step cites a seed clause`, () => {
      for (const xml of diagrams(id)) {
        for (const el of [...elements(xml, 'process'), ...elements(xml, 'userTask')]) {
          const doc = /<bpmn:documentation>([\s\S]*?)<\/bpmn:documentation>/.exec(el.body)?.[1] ?? '';
          expect(doc, `${id} ${el.id}`).toMatch(/seed 00[0-4]/);
        }
      }
    });

    it(`${id}: the parameters its diagrams read and the forms they show are defined along its chain`, () => {
      const ids = chain(id);
      const params = new Set(ids.flatMap((j) => Object.keys(jurisdiction(j).parameters ?? {})));
      const forms = new Set(ids.flatMap(formKeys));
      for (const xml of ids.flatMap(diagrams)) {
        for (const [, name] of xml.matchAll(/params\.([A-Za-z_][A-Za-z0-9_]*)/g)) expect(params, `${id}: params.${name}`).toContain(name);
        for (const [, key] of xml.matchAll(/formKey="([^"]+)"/g)) expect(forms, `${id}: form ${key}`).toContain(key);
      }
    });
  }
});
