// Form documents: JSON Schema (+ uiSchema) validated by ajv with Chinese messages, plus FEEL rules
// (draft-07, as @rjsf/validator-ajv8 in the browser) for what JSON Schema cannot say (votes for + against + abstain ≤ present), each with its message.
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldProblem } from '../errors.js';
import type { FormRecord, JsonObject } from '../store/index.js';
import { evaluateFeel } from '../feel/index.js';
import { friendlyMessage } from './form-messages.js';

export { fieldTitle } from './form-messages.js';

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
  // An attachment field holds ids from POST /api/attachments; Attachments.check looks them up.
  ajv.addFormat('attachment', ATTACHMENT_ID);
  return ajv;
}

const ATTACHMENT_ID = /^[A-Za-z0-9-]{1,64}$/;

const isAttachment = (s: unknown) => !!s && typeof s === 'object' && (s as JsonObject).format === 'attachment';

/** Attachment ids in the data, with their JSON pointers: fields {"type":"array","items":{"format":"attachment"}} or one such string. */
export function attachmentRefs(schema: unknown, data: unknown, at = ''): { path: string; id: string }[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as JsonObject;
  if (isAttachment(s) && typeof data === 'string') return [{ path: at, id: data }];
  if (Array.isArray(data) && isAttachment(s.items)) return data.flatMap((id, n) => (typeof id === 'string' ? [{ path: `${at}/${n}`, id }] : []));
  if (s.properties && typeof s.properties === 'object' && data && typeof data === 'object' && !Array.isArray(data)) {
    return Object.entries(s.properties as JsonObject).flatMap(([k, sub]) => attachmentRefs(sub, (data as JsonObject)[k], `${at}/${k}`));
  }
  return [];
}

// A branch error ("if", "oneOf"…) only says that its branches failed; the branches' own errors name
// the fields, once each (a choice's alternatives all say the same). In Chinese each message names the
// field's title and says what to do; in English ajv-i18n's.
const BRANCHES = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not']);
const toProblems = (errors: ErrorObject[], schema: unknown, locale: Locale): FieldProblem[] => {
  const seen = new Set<string>();
  return errors
    // A branch error stays when nothing inside it says more (e.g. "not", or two alternatives matching).
    .filter((e) => !BRANCHES.has(e.keyword) || !errors.some((o) => !BRANCHES.has(o.keyword) && o.instancePath.startsWith(e.instancePath)))
    .map((e) => {
      const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
      const path = `${e.instancePath}${missing}`;
      return { path, message: locale === 'zh' ? friendlyMessage(schema, path, e.keyword, e.params) : e.message ?? e.keyword };
    })
    .filter((p) => !seen.has(`${p.path}\u0000${p.message}`) && !!seen.add(`${p.path}\u0000${p.message}`));
};

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

  /**
   * Every problem of the data against the form: schema errors first, then failed FEEL rules. The
   * rules read the data and, as `params`, the rule-set parameters in force where the task is, so
   * one form serves localities whose rules differ (e.g. a required voting method).
   */
  validate(form: FormRecord, data: unknown, locale: Locale = 'zh', params: JsonObject = {}): FieldProblem[] {
    const key = `${form.jurisdiction}/${form.formKey}/${form.version}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(form.doc.schema);
      this.compiled.set(key, validate);
    }
    if (validate(data)) return this.checkRules((form.doc.rules as FeelRule[] | undefined) ?? [], { ...(data as JsonObject), params });
    const errors = [...(validate.errors ?? [])];
    localize[locale]?.(errors);
    return toProblems(errors, form.doc.schema, locale);
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
