// The FEEL compile cache must be invisible: cached evaluation = feelin's own (uncached) evaluation,
// over every expression of the shipped diagrams and over generated ones, in contexts whose names
// change the parse (spaces, dots, operators) as well as plain ones.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { compile } from '../../server/bpmn/read.js';
import { evaluateFeel, isFeel, toJsonValue } from '../../server/feel/index.js';
import type { JsonObject } from '../../server/json.js';
import { P1_PASSED } from '../support/p1.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Outcome = { value: unknown } | { error: true };
const cached = (expr: string, ctx: JsonObject): Outcome => {
  try {
    return { value: evaluateFeel(expr, ctx) };
  } catch {
    return { error: true };
  }
};
const uncached = (expr: string, ctx: JsonObject): Outcome => {
  try {
    return { value: toJsonValue(evaluate(expr.replace(/^=/, ''), ctx).value) };
  } catch {
    return { error: true };
  }
};

const isoTime = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v);
/** now() differs by the milliseconds between two evaluations: date-times agree within a second. */
function same(a: Outcome, b: Outcome, expr: string) {
  if ('value' in a && 'value' in b && isoTime(a.value) && isoTime(b.value)) expect(Math.abs(Date.parse(a.value) - Date.parse(b.value)), expr).toBeLessThan(1000);
  else expect(a, expr).toEqual(b);
}

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name), ext) : d.name.endsWith(ext) ? [path.join(dir, d.name)] : []));
}

async function shippedExpressions(): Promise<string[]> {
  const out = new Set<string>();
  for (const file of files(path.join(ROOT, 'processes'), '.bpmn')) {
    const xml = fs.readFileSync(file, 'utf8');
    for (const [, body] of xml.matchAll(/<bpmn:(?:conditionExpression|timeDuration|timeDate|timeCycle)[^>]*>([^<]+)</g)) out.add(body!.trim());
    const c = await compile(xml);
    for (const m of c.meta.values()) {
      for (const v of [...m.inputs.map((i) => i.source), ...m.outputs.map((o) => o.source), m.candidateGroups, m.dueDate, m.correlationKey, ...Object.values(m.headers)]) {
        if (isFeel(v)) out.add(v.replace(/&quot;/g, '"'));
      }
    }
  }
  return [...out].filter(isFeel);
}

const params = Object.assign({}, ...files(path.join(ROOT, 'processes'), 'jurisdiction.json').map((f) => JSON.parse(fs.readFileSync(f, 'utf8')).parameters ?? {}));
const p1 = Object.assign({}, ...Object.values(P1_PASSED)) as JsonObject;

describe('FEEL compile cache', () => {
  it('evaluates every shipped expression exactly as feelin does, in several contexts, twice', async () => {
    const expressions = await shippedExpressions();
    expect(expressions.length).toBeGreaterThan(40);
    const contexts: JsonObject[] = [
      { params },
      { ...p1, params },
      { ...p1, passed: false, votesFor: 2, quarter: 4, params },
      { ...p1, 'odd name': 1, 'a.b': { 'c d': 2 }, params },
    ];
    let compared = 0;
    for (const ctx of contexts) {
      for (const expr of expressions) {
        // Twice: the second evaluation comes from the cache.
        same(cached(expr, ctx), uncached(expr, ctx), expr);
        same(cached(expr, ctx), uncached(expr, ctx), expr);
        compared++;
      }
    }
    console.log(`feel cache: ${expressions.length} shipped expressions, ${compared} comparisons`);
  });

  it('evaluates generated expressions exactly as feelin does, names with spaces and operators included', () => {
    const name = fc.constantFrom('a', 'b', 'total', 'first name', 'x-y', 'a.b', "o'k", 'p+q', 'r*s', '评分');
    const value = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.boolean(), fc.constantFrom('甲', 'yes', ''), fc.constant(null), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }));
    const context = fc.dictionary(name, value, { maxKeys: 6 }).map((d) => ({ ...d, nested: { 'inner key': 3, v: 2 } }) as JsonObject);
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        name,
        fc.integer({ min: 0, max: 20 }).map(String),
        fc.constantFrom('"甲"', 'true', 'null', '[1,2,3]', 'nested.v', 'nested.inner key', 'date("2026-01-01")', 'duration("P1D")'),
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '>', '<', '=', '!=', 'and', 'or'), tie('e')).map(([l, op, r]) => `${l} ${op} ${r}`),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, f]) => `if ${c} then ${t} else ${f}`),
        tie('e').map((e) => `(${e})`),
        fc.tuple(fc.constantFrom('count', 'sum', 'string length', 'not', 'is defined', 'string'), tie('e')).map(([f, a]) => `${f}(${a})`),
        fc.tuple(tie('e'), tie('e')).map(([l, c]) => `${l}[${c}]`),
        tie('e').map((e) => `some x in [1,2,3] satisfies x > ${e}`),
      ),
    })).e;
    let cases = 0;
    fc.assert(
      fc.property(expr, context, context, (e, c1, c2) => {
        cases++;
        expect(cached(e, c1)).toEqual(uncached(e, c1));
        expect(cached(e, c2)).toEqual(uncached(e, c2));
      }),
      { numRuns: 3000, seed: 11 },
    );
    console.log(`feel cache: ${cases} generated cases`);
  });
});
