// Checks a bundle's case members — `summaries`, `ledger`, `documents` — with the rest of the bundle:
// their shape (schemas/case-rules.schema.json) and every FEEL expression in them, all problems at once.
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { FieldProblem } from '../errors.js';
import { feelSyntaxError, isFeel } from '../feel/index.js';

const require = createRequire(import.meta.url);
const checkShape = new Ajv({ allErrors: true, strict: false }).compile(require('../../schemas/case-rules.schema.json'));

/** Every "=…" string under value, with its JSON pointer. */
function* expressions(value: unknown, at: string): Generator<[string, string]> {
  if (isFeel(value)) yield [at, value];
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* expressions(v, `${at}/${k}`);
}

export function checkCaseRules(bundle: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!checkShape(bundle)) {
    for (const e of checkShape.errors ?? []) {
      // A ledger column's value is a row field or a variable: one message for both alternatives.
      if (e.schemaPath.includes('/anyOf/')) continue;
      const message = e.keyword === 'anyOf' ? '列的取值应为台账字段（如 no、title、openedAt）或 variables.<变量名> (a row field or variables.<name>)' : (e.message ?? e.keyword);
      problems.push({ path: e.instancePath || '/', message });
    }
  }
  for (const member of ['summaries', 'documents']) {
    for (const [path, expression] of expressions(bundle[member], `/${member}`)) {
      const error = feelSyntaxError(expression);
      if (error) problems.push({ path, message: `FEEL 表达式有误 (invalid FEEL): ${error}` });
    }
  }
  return problems;
}
