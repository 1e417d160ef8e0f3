// The form a user task shows and is checked against, as Tasklist resolves it: a Camunda Form
// embedded in the task's process (converted from form-js once per deployed version), a form of the
// jurisdiction (ours, or a deployed .form file by its id), or — when the formKey names no form,
// e.g. one meant for a custom task app — a generic form: a notes field, other keys free.
import type { Engine } from '../../engine/index.js';
import { convertFormJs } from '../../forms/formjs.js';
import { embeddedFormId } from '../../forms/keys.js';
import type { FormRecord, JsonObject, Store, TaskRecord } from '../../store/index.js';
import type { Jurisdictions } from '../jurisdictions.js';
import { findInstance } from './records.js';

const CACHE_SIZE = 200;

/** What a task shows when its formKey names no form (Tasklist's behaviour: the task can still be done). */
function genericForm(t: TaskRecord): FormRecord {
  const schema: JsonObject = {
    type: 'object',
    description: `此任务指定的表单「${t.formKey}」未部署，可填写办理意见后完成。`,
    properties: { notes: { type: 'string', title: '办理意见' } },
    additionalProperties: true,
  };
  return { jurisdiction: t.jurisdiction, formKey: '(generic)', version: 0, doc: { schema, uiSchema: { notes: { 'ui:widget': 'textarea' } }, generic: true }, createdAt: '', createdBy: '' };
}

export class TaskForms {
  private readonly embedded = new Map<string, Promise<FormRecord | null>>();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly jurisdictions: Jurisdictions,
  ) {}

  /** The task's form; null for a task without a formKey. */
  async of(t: TaskRecord): Promise<FormRecord | null> {
    if (!t.formKey) return null;
    const id = embeddedFormId(t.formKey);
    const form = id === null ? await this.jurisdictions.form(t.jurisdiction, t.formKey).catch(() => null) : await this.embeddedForm(t, id);
    return form ?? genericForm(t);
  }

  /** The zeebe:userTaskForm of the instance's deployed version, converted once per version. */
  private async embeddedForm(t: TaskRecord, id: string): Promise<FormRecord | null> {
    const i = await findInstance(this.store, t.instanceId);
    const key = `${i.definedAt}/${i.processKey}/${i.version}#${id}`;
    let form = this.embedded.get(key);
    if (!form) {
      form = (async () => {
        const def = await this.jurisdictions.definition(i.definedAt, i.processKey, i.version);
        const body = (await this.engine.inspect(def.xml)).processes.find((p) => p.key === i.processKey)?.userTaskForms?.[id];
        if (body === undefined) return null;
        try {
          const { schema, uiSchema } = convertFormJs(body);
          return { jurisdiction: i.definedAt, formKey: `${i.processKey}#${id}`, version: i.version, doc: { schema, uiSchema }, createdAt: def.createdAt, createdBy: def.createdBy };
        } catch {
          return null;
        }
      })();
      if (this.embedded.size >= CACHE_SIZE) this.embedded.clear();
      this.embedded.set(key, form);
    }
    return form;
  }
}
