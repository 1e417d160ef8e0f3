// Printable documents (会议记录, 书面通知, 书面答复, 公示, 政府书面答复): rule-set data, kept in the bundle
// as `documents: {<key>: template}` (on disk processes/<id>/documents.json); a child rule set overrides
// a template by naming its key, as with forms. A template names the processes it serves, the form
// whose latest submission it records (a task's fields reach the process variables only through its
// output mappings, so the meeting's minutes live in its submission) and the official layout's parts
// — title, 文号, date, fields, body sections, signature lines — each a literal or a FEEL expression
// over the case's variables overlaid with that submission, `params` and `case` ({no, title, year,
// seq, issuer}). The designer lays the filled document out on A4 for printing or saving as PDF.
import { notFound } from '../errors.js';
import { evaluateFeel, isFeel } from '../feel/index.js';
import type { JsonObject } from '../json.js';
import type { InstanceRecord, Store } from '../store/index.js';
import { parseCaseNo } from '../store/cases.js';
import type { Access, SessionUser } from './access.js';
import type { Cases } from './cases.js';
import type { Jurisdictions } from './jurisdictions.js';
import { attachmentRefs } from './forms.js';

export interface DocumentTemplate {
  name: string;
  processes: string[];
  /** The formKey whose latest submission the document records. */
  form?: string;
  title: string;
  docNo?: string;
  date?: string;
  /** Who issues it (default: the jurisdiction's name). */
  issuer?: string;
  fields?: { label: string; value: string }[];
  body?: { heading?: string; text: string }[];
  signatures?: string[];
}

export interface FilledDocument {
  key: string;
  name: string;
  title: string;
  docNo: string | null;
  date: string | null;
  issuer: string;
  no: string | null;
  fields: { label: string; value: string | null }[];
  body: { heading: string | null; text: string | null }[];
  signatures: string[];
  /** The files attached to the recorded submission (its attachment fields), listed and linked under the document. */
  attachments: { id: string; name: string; field: string }[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

/** A value as it is written on paper: dates in Chinese (Beijing time), yes/no, lists with 、. */
export function paperText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(paperText).filter((v) => v !== null).join('、') || null;
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  const m = ISO_DATE.exec(text);
  if (!m) return text;
  if (!m[4]) return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
  const local = new Date(Date.parse(text) + 8 * 3600_000);
  if (Number.isNaN(local.getTime())) return text;
  const hm = `${local.getUTCHours()}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${hm}`;
}

export class Documents {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
    private readonly cases: Cases,
  ) {}

  /** The documents a case can print: the effective templates serving its process. */
  async list(user: SessionUser, instanceId: string): Promise<{ key: string; name: string }[]> {
    const inst = await this.instance(user, instanceId);
    const keys = new Set(this.jurisdictions.ancestry(inst.jurisdiction).flatMap((id) => Object.keys((this.jurisdictions.get(id).extra?.documents as JsonObject | undefined) ?? {})));
    return [...keys]
      .map((key) => ({ key, template: this.cases.rule<DocumentTemplate>(inst.jurisdiction, 'documents', key)! }))
      .filter(({ template }) => template.processes?.includes(inst.processKey))
      .map(({ key, template }) => ({ key, name: template.name }));
  }

  async fill(user: SessionUser, instanceId: string, key: string): Promise<FilledDocument> {
    const inst = await this.instance(user, instanceId);
    const t = this.cases.rule<DocumentTemplate>(inst.jurisdiction, 'documents', key);
    if (!t || !t.processes?.includes(inst.processKey)) throw notFound(`本案件没有文书 ${key} (no such document for this case)`);
    const issuer = this.jurisdictions.get(inst.jurisdiction).name;
    const number = inst.no ? parseCaseNo(inst.no) : null;
    const submission = t.form ? await this.submission(inst.id, t.form) : {};
    const context: JsonObject = {
      ...inst.variables,
      ...submission,
      params: inst.params,
      case: { no: inst.no ?? null, title: inst.summary?.title ?? null, year: number ? String(number.year) : null, seq: number ? String(number.seq) : null, issuer },
    };
    const text = (value: string | undefined) => {
      if (value === undefined) return null;
      if (!isFeel(value)) return value;
      try {
        return paperText(evaluateFeel(value, context));
      } catch {
        return null; // a blank on paper, to be filled in by hand, rather than no document at all
      }
    };
    return {
      key,
      name: t.name,
      title: text(t.title) ?? t.name,
      docNo: text(t.docNo),
      date: text(t.date),
      issuer: text(t.issuer) ?? issuer,
      no: inst.no ?? null,
      fields: (t.fields ?? []).map((f) => ({ label: f.label, value: text(f.value) })),
      body: (t.body ?? []).map((b) => ({ heading: b.heading ?? null, text: text(b.text) })),
      signatures: t.signatures ?? [],
      attachments: t.form ? await this.attached(inst, t.form, submission) : [],
    };
  }

  /** The submission's files, in field order, each with its field's title; only the case's own jurisdiction's. */
  private async attached(inst: InstanceRecord, formKey: string, data: JsonObject): Promise<FilledDocument['attachments']> {
    const form = await this.jurisdictions.form(inst.jurisdiction, formKey).catch(() => null);
    if (!form) return [];
    const schema = form.doc.schema;
    const refs = attachmentRefs(schema, data);
    if (!refs.length) return [];
    const found = new Map((await this.store.attachments.getMany(refs.map((r) => r.id))).map((a) => [a.id, a]));
    const title = (path: string) => {
      const field = (schema.properties as JsonObject | undefined)?.[path.split('/')[1]] as JsonObject | undefined;
      return typeof field?.title === 'string' ? field.title : '';
    };
    return refs.flatMap(({ path, id }) => {
      const a = found.get(id);
      return a && a.jurisdiction === inst.jurisdiction ? [{ id, name: a.name, field: title(path) }] : [];
    });
  }

  /** The data of the latest completed task of the case with that form. */
  private async submission(instanceId: string, formKey: string): Promise<JsonObject> {
    const done = (await this.store.tasks.list({ instanceId, status: 'completed', limit: 1000 })).items.filter((t) => t.formKey === formKey);
    return done.sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? '')).at(-1)?.data ?? {};
  }

  private async instance(user: SessionUser, id: string): Promise<InstanceRecord> {
    const inst = await this.store.instances.get(id);
    if (!inst) throw notFound(`流程实例 ${id} 不存在 (no such instance)`);
    this.access.requireMember(user, inst.jurisdiction);
    return inst;
  }
}
