// FEEL through feelin: every "=…" expression of a diagram is evaluated here, never by a hand parser.
// Each expression is parsed once per shape of context names (names with spaces or ./-+*' change
// feelin's parse) and its execution tree reused: feelin's own evaluate re-parses every time.
import * as feelin from 'feelin';
import type { JsonObject } from '../json.js';

/** feelin's internals, exported by our patch (patches/feelin+*.patch): the parsed execution tree. */
interface Internals {
  _interpreter: Record<'evaluate' | 'unaryTest', (expression: string, parseContext: object, dialect: undefined, ictx: { warnings: unknown[] }) => { root: (context: object) => unknown }>;
  _InterpreterContext: new () => { warnings: unknown[] };
}
const internals = feelin as unknown as Internals;
if (!internals._interpreter) throw new Error('feelin is not patched: run npm install (its postinstall applies patches/feelin+*.patch)');

export const isFeel = (value: unknown): value is string => typeof value === 'string' && value.startsWith('=');

export class FeelError extends Error {}

/** FEEL values → plain JSON: temporal values become ISO strings (what timers and the store expect). */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const iso = (value as { iso?: unknown }).iso;
    if (typeof iso === 'string') return iso;
    if (typeof (value as { toISO?: unknown }).toISO === 'function') return (value as { toISO(): string }).toISO();
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  if (typeof value === 'function') return null;
  return value;
}

/** Characters that make a context name parse differently (it may then contain them in an expression). */
const SHAPING = /[\s./\-+*']/;
const shapingName = new Map<string, boolean>();
/** Nested values are shared between the contexts of one instance: their shapes are computed once. */
const nestedShapes = new WeakMap<object, string[]>();

function shapes(name: string): boolean {
  let yes = shapingName.get(name);
  if (yes === undefined) {
    yes = SHAPING.test(name);
    if (shapingName.size < 10_000) shapingName.set(name, yes);
  }
  return yes;
}

function nestedShape(value: object): string[] {
  let out = nestedShapes.get(value);
  if (!out) {
    out = contextShape(value);
    nestedShapes.set(value, out);
  }
  return out;
}

/** The names in a context (at any depth) that change the parse, with their paths; empty for most contexts. */
export function contextShape(value: object): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) if (item && typeof item === 'object') for (const name of nestedShape(item)) out.push(`[]${name}`);
    return out;
  }
  for (const key in value) {
    if (shapes(key)) out.push(`.${key}`);
    const child = (value as Record<string, unknown>)[key];
    if (child && typeof child === 'object') for (const name of nestedShape(child)) out.push(`.${key}${name}`);
  }
  return out;
}

type Compiled = (context: JsonObject) => unknown;
const CACHE_LIMIT = 5000;
const cache = new Map<string, Compiled>();

/**
 * Parses once; the execution tree is then evaluated against any context of the same shape.
 * `unaryTests` parses DMN input entries ("> 5", "\"a\",\"b\"", "-"): the tree then yields a test of "?".
 */
function compileFeel(source: string, context: JsonObject, grammar: 'evaluate' | 'unaryTest' = 'evaluate'): Compiled {
  const shape = contextShape(context);
  const named = grammar === 'evaluate' ? source : `\u0001${source}`;
  const key = shape.length ? `${named}\u0000${[...new Set(shape)].sort().join('\u0000')}` : named;
  let compiled = cache.get(key);
  if (compiled) return compiled;
  const ictx = new internals._InterpreterContext();
  const { root } = internals._interpreter[grammar](source, context, undefined, ictx);
  compiled = (ctx) => {
    // Warnings (e.g. a missing variable) are not reported; they must not pile up on a shared tree.
    ictx.warnings.length = 0;
    // Our contexts are JSON (and functions): feelin's coercion of dates and Temporal values has nothing to do.
    return root(ctx);
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}

/**
 * Zeebe's own FEEL functions that feelin lacks, for the contexts of diagram expressions:
 * cycle(n, interval) / cycle(interval) → "R2/PT1S" / "R/PT1H" (timer cycles).
 */
export const ZEEBE_FUNCTIONS: JsonObject = {
  cycle: ((a: unknown, b?: unknown) => {
    const [n, interval] = b === undefined ? [null, a] : [a, b];
    const iso = typeof interval === 'string' ? interval : (interval as { iso?: string } | null)?.iso;
    return iso ? `R${n ?? ''}/${iso}` : null;
  }) as unknown as JsonObject[string],
};

const sourceOf = (expression: string) => (expression.startsWith('=') ? expression.slice(1) : expression);

/** Evaluates "=expr" (or a bare expression) in the context; syntax errors throw FeelError. */
export function evaluateFeel(expression: string, context: JsonObject): unknown {
  const source = sourceOf(expression);
  try {
    return toJsonValue(compileFeel(source, context)(context));
  } catch (err) {
    throw new FeelError(`FEEL ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
}

/**
 * Whether `input` passes DMN unary tests (an input entry of a decision table) in the context: true,
 * false, or null (no comparison possible, which a rule treats as not met). An empty entry or "-" passes.
 */
export function unaryTests(tests: string, input: unknown, context: JsonObject): boolean | null {
  if (!tests.trim()) return true;
  try {
    const ctx = { ...context, '?': input as JsonObject[string] };
    const test = compileFeel(tests, ctx, 'unaryTest')(ctx) as (value: unknown) => unknown;
    const result = test(input ?? null);
    return typeof result === 'boolean' ? result : null;
  } catch (err) {
    throw new FeelError(`FEEL unary tests ${JSON.stringify(tests)}: ${(err as Error).message}`);
  }
}

/** The syntax error of unary tests, or null when they parse. */
export function unaryTestsSyntaxError(tests: string): string | null {
  try {
    if (tests.trim()) compileFeel(tests, { '?': null }, 'unaryTest')({ '?': null });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The syntax error of an expression, or null when it parses (evaluating FEEL has no side effects). */
export function feelSyntaxError(expression: string): string | null {
  try {
    compileFeel(sourceOf(expression), {})({});
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A literal ("P10D") or FEEL ("=params.x") value of an attribute, resolved to a string. */
export function resolveText(value: string | undefined, context: JsonObject): string | null {
  if (value === undefined || value === '') return null;
  if (!isFeel(value)) return value;
  const result = evaluateFeel(value, context);
  return result == null ? null : String(result);
}
