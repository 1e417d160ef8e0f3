// Form documents: JSON Schema (+ uiSchema) validated by ajv with Chinese messages, plus FEEL rules
// (draft-07, as @rjsf/validator-ajv8 in the browser) for what JSON Schema cannot say (votes for + against + abstain ≤ present), each with its message.
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldProblem } from '../errors.js';
import type { FormRecord, JsonObject } from '../store/index.js';
import { evaluateFeel } from '../feel/index.js';

const require = createRequire(import.meta.url);
const localize: Record<string, (errors?: ErrorObject[] | null) => void> = require('ajv-i18n');

export interface FeelRule {
  expression: string;
  message: string;
  /** JSON pointer of the field the message belongs to ("" for the whole form). */
  path?: string;
}

export type Locale = 'zh' | 'en';

function newAjv() {
  const ajv = new Ajv({ allErrors: true, $data: true, strict: false, messages: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

// An "if" error only says that a then/else branch failed; the branch's own errors name the fields.
const toProblems = (errors: ErrorObject[]): FieldProblem[] =>
  errors.filter((e) => e.keyword !== 'if').map((e) => {
    const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
    return { path: `${e.instancePath}${missing}`, message: e.message ?? e.keyword };
  });

export class Forms {
  private readonly ajv = newAjv();
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Problems that stop a schema from being used (does not compile, rules malformed). */
  check(doc: unknown, where: string): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [{ path: where, message: 'form document must be an object' }];
    const { schema, uiSchema, rules, context } = doc as JsonObject;
    if (!schema || typeof schema !== 'object') problems.push({ path: `${where}/schema`, message: 'schema must be a JSON Schema object' });
    else {
      try {
        newAjv().compile(schema as object);
      } catch (err) {
        problems.push({ path: `${where}/schema`, message: `schema does not compile: ${(err as Error).message}` });
      }
    }
    if (uiSchema !== undefined && (typeof uiSchema !== 'object' || uiSchema === null || Array.isArray(uiSchema))) {
      problems.push({ path: `${where}/uiSchema`, message: 'uiSchema must be an object' });
    }
    if (rules !== undefined) {
      if (!Array.isArray(rules)) problems.push({ path: `${where}/rules`, message: 'rules must be an array of {expression, message}' });
      else
        rules.forEach((r, i) => {
          if (!r || typeof r.expression !== 'string' || typeof r.message !== 'string') {
            problems.push({ path: `${where}/rules/${i}`, message: 'a rule needs a FEEL expression and a message' });
          }
        });
    }
    if (context !== undefined) {
      if (!Array.isArray(context)) problems.push({ path: `${where}/context`, message: 'context must be an array of {variable, title}' });
      else
        context.forEach((c, i) => {
          if (!c || typeof c.variable !== 'string' || !c.variable || typeof c.title !== 'string' || !c.title) {
            problems.push({ path: `${where}/context/${i}`, message: 'a context entry needs a variable name and a title' });
          }
        });
    }
    return problems;
  }

  /** Every problem of the data against the form: schema errors first, then failed FEEL rules. */
  validate(form: FormRecord, data: unknown, locale: Locale = 'zh'): FieldProblem[] {
    const key = `${form.jurisdiction}/${form.formKey}/${form.version}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(form.doc.schema);
      this.compiled.set(key, validate);
    }
    if (validate(data)) return this.checkRules((form.doc.rules as FeelRule[] | undefined) ?? [], data as JsonObject);
    const errors = [...(validate.errors ?? [])];
    localize[locale]?.(errors);
    return toProblems(errors);
  }

  private checkRules(rules: FeelRule[], data: JsonObject): FieldProblem[] {
    const problems: FieldProblem[] = [];
    for (const rule of rules) {
      let ok: unknown;
      try {
        ok = evaluateFeel(rule.expression, data);
      } catch {
        ok = false;
      }
      // A rule over fields left empty says nothing (null); only a definite false is an error.
      if (ok === false) problems.push({ path: rule.path ?? '', message: rule.message });
    }
    return problems;
  }
}
