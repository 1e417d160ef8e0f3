// FEEL through feelin: every "=…" expression of a diagram is evaluated here, never by a hand parser.
import { evaluate } from 'feelin';
import type { JsonObject } from '../json.js';

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

/** Evaluates "=expr" (or a bare expression) in the context; syntax errors throw FeelError. */
export function evaluateFeel(expression: string, context: JsonObject): unknown {
  const source = expression.startsWith('=') ? expression.slice(1) : expression;
  try {
    return toJsonValue(evaluate(source, context).value);
  } catch (err) {
    throw new FeelError(`FEEL ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
}

/** The syntax error of an expression, or null when it parses (evaluating FEEL has no side effects). */
export function feelSyntaxError(expression: string): string | null {
  try {
    evaluate(expression.startsWith('=') ? expression.slice(1) : expression, {});
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
