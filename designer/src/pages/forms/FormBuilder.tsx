// 表单设计: officials add, reorder and remove fields, and set their title, help, required, bounds,
// options and a simple condition (shown only while a yes/no or choice field has a value), without
// writing JSON. The result is still JSON Schema + uiSchema (field order in ui:order, conditions as
// allOf if/then); members the builder does not know are kept as they are.
import type { ReactNode } from 'react';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { useT } from '../../i18n';

type T = ReturnType<typeof useT>;
type Prop = Record<string, unknown>;

export const FIELD_KINDS = ['text', 'longText', 'number', 'date', 'choice', 'yesNo', 'list', 'attachment'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number] | 'other';

const KIND_LABEL: Record<Exclude<FieldKind, 'other'>, Parameters<T>[0]> = {
  text: 'kindText', longText: 'kindLongText', number: 'kindNumber', date: 'kindDate', choice: 'kindChoice',
  yesNo: 'kindYesNo', list: 'kindList', attachment: 'kindAttachment',
};

/** The schema a kind starts from (title and help are kept across a change of kind). */
const KIND_SCHEMA: Record<Exclude<FieldKind, 'other'>, Prop> = {
  text: { type: 'string' },
  longText: { type: 'string' },
  number: { type: 'number' },
  date: { type: 'string', format: 'date' },
  choice: { type: 'string', enum: ['选项一', '选项二'] },
  yesNo: { type: 'boolean' },
  list: { type: 'array', items: { type: 'string' } },
  attachment: { type: 'array', items: { type: 'string', format: 'attachment' } },
};

export function kindOf(prop: Prop, ui: Prop | undefined): FieldKind {
  const items = prop.items as Prop | undefined;
  if (prop.type === 'array') return items?.format === 'attachment' ? 'attachment' : items?.type === 'string' && !items.enum ? 'list' : 'other';
  if (prop.type === 'boolean') return 'yesNo';
  if (prop.type === 'number' || prop.type === 'integer') return 'number';
  if (prop.type === 'string') {
    if (Array.isArray(prop.enum)) return 'choice';
    if (prop.format === 'date') return 'date';
    if (prop.format) return 'other';
    return ui?.['ui:widget'] === 'textarea' ? 'longText' : 'text';
  }
  return 'other';
}

/** A field as the builder edits it; `when`: shown (and checked) only while another field has that value. */
interface Field {
  key: string;
  prop: Prop;
  required: boolean;
  when?: { field: string; value: unknown };
}

/**
 * A field shown under a condition is kept the JSON-Schema way, one allOf entry per field:
 * {if: {properties: {Y: {const: V}}, required: [Y]}, then: {properties: {X: …}, required?: [X]}}.
 */
function conditional(entry: unknown): Field | null {
  const e = entry as { if?: { properties?: Record<string, Prop> }; then?: { properties?: Record<string, Prop>; required?: string[] }; else?: unknown };
  const cond = Object.entries(e?.if?.properties ?? {});
  const shown = Object.entries(e?.then?.properties ?? {});
  if (cond.length !== 1 || shown.length !== 1 || e.else !== undefined || !('const' in cond[0]![1])) return null;
  const [key, prop] = shown[0]!;
  return { key, prop, required: !!e.then?.required?.includes(key), when: { field: cond[0]![0], value: cond[0]![1].const } };
}

/** The fields in their shown order (ui:order, then the rest; conditional ones after, as rjsf shows them) and the schema's other allOf entries. */
export function readFields(schema: RJSFSchema, ui: UiSchema): { fields: Field[]; otherAllOf: unknown[] } {
  const props = (schema.properties ?? {}) as Record<string, Prop>;
  const required = (schema.required ?? []) as string[];
  const keys = Object.keys(props);
  const listed = ((ui['ui:order'] as string[] | undefined) ?? []).filter((k) => keys.includes(k));
  const fields: Field[] = [...listed, ...keys.filter((k) => !listed.includes(k))].map((key) => ({ key, prop: props[key]!, required: required.includes(key) }));
  const otherAllOf: unknown[] = [];
  for (const entry of (schema.allOf ?? []) as unknown[]) {
    const field = conditional(entry);
    if (field) fields.push(field);
    else otherAllOf.push(entry);
  }
  return { fields, otherAllOf };
}

function writeFields(schema: RJSFSchema, ui: UiSchema, fields: Field[], otherAllOf: unknown[]): [RJSFSchema, UiSchema] {
  const always = fields.filter((f) => !f.when);
  const shownWhen = fields.filter((f) => f.when).map((f) => ({
    if: { properties: { [f.when!.field]: { const: f.when!.value } }, required: [f.when!.field] },
    then: { properties: { [f.key]: f.prop }, ...(f.required ? { required: [f.key] } : {}) },
  }));
  const { allOf: _a, ...rest } = schema;
  const allOf = [...otherAllOf, ...shownWhen];
  return [
    {
      ...rest, type: 'object',
      properties: Object.fromEntries(always.map((f) => [f.key, f.prop])) as RJSFSchema['properties'],
      required: always.filter((f) => f.required).map((f) => f.key),
      ...(allOf.length ? { allOf: allOf as RJSFSchema['allOf'] } : {}),
    },
    // rjsf refuses an order naming a field the current data hides: conditional fields come at "*".
    { ...ui, 'ui:order': [...always.map((f) => f.key), '*'] },
  ];
}

/** A key for a new field that no other field has. */
const freshKey = (taken: string[]) => {
  let n = taken.length + 1;
  while (taken.includes(`field${n}`)) n++;
  return `field${n}`;
};

export function FormBuilder({ schema, uiSchema, onChange }: { schema: RJSFSchema; uiSchema: UiSchema; onChange: (schema: RJSFSchema, uiSchema: UiSchema) => void }) {
  const t = useT();
  const { fields, otherAllOf } = readFields(schema, uiSchema);
  const emit = (next: Field[], ui: UiSchema = uiSchema, s: RJSFSchema = schema) => onChange(...writeFields(s, ui, next, otherAllOf));
  const update = (key: string, change: Partial<Field>) => emit(fields.map((f) => (f.key === key ? { ...f, ...change } : f)));
  const setUi = (key: string, ui: Prop | undefined) => {
    const { [key]: _old, ...rest } = uiSchema;
    emit(fields, ui && Object.keys(ui).length ? { ...rest, [key]: ui } : rest);
  };
  const move = (key: string, by: number) => {
    const i = fields.findIndex((f) => f.key === key);
    const next = [...fields];
    const [f] = next.splice(i, 1);
    next.splice(Math.max(0, Math.min(fields.length - 1, i + by)), 0, f!);
    emit(next);
  };
  const remove = (key: string) => {
    const { [key]: _ui, ...ui } = uiSchema;
    emit(fields.filter((f) => f.key !== key && f.when?.field !== key), ui);
  };
  const add = () => {
    const key = freshKey(fields.map((f) => f.key));
    emit([...fields, { key, prop: { ...KIND_SCHEMA.text, title: `${t('kindText')} ${fields.length + 1}` }, required: false }]);
  };
  /** Fields a condition may look at: always shown, with a few known values. */
  const deciders = fields.filter((f) => !f.when && (kindOf(f.prop, undefined) === 'yesNo' || kindOf(f.prop, undefined) === 'choice'));

  return (
    <section className="form-builder" aria-label={t('builder')}>
      <label>
        {t('formTitle')}{' '}
        <input name="form-title" value={(schema.title as string | undefined) ?? ''} onChange={(e) => emit(fields, uiSchema, { ...schema, title: e.target.value })} />
      </label>
      <ol className="plain">
        {fields.map((f, i) => (
          <li key={f.key}>
            <FieldRow
              prop={f.prop}
              ui={uiSchema[f.key] as Prop | undefined}
              required={f.required}
              first={i === 0}
              last={i === fields.length - 1}
              onProp={(prop) => update(f.key, { prop })}
              onUi={(u) => setUi(f.key, u)}
              onRequired={(required) => update(f.key, { required })}
              onMove={(by) => move(f.key, by)}
              onRemove={() => remove(f.key)}
              t={t}
            >
              <Condition field={f} deciders={deciders.filter((d) => d.key !== f.key)} onChange={(when) => update(f.key, { when })} t={t} />
            </FieldRow>
          </li>
        ))}
      </ol>
      <button type="button" onClick={add}>
        + {t('addField')}
      </button>
    </section>
  );
}

/** 仅当 [a yes/no or choice field] 为 [one of its values]: the field is shown and checked only then. */
function Condition({ field, deciders, onChange, t }: { field: Field; deciders: Field[]; onChange: (when: Field['when']) => void; t: T }) {
  const name = (field.prop.title as string | undefined) || t('fieldTitle');
  const decider = deciders.find((d) => d.key === field.when?.field);
  const values = (d: Field | undefined): { value: unknown; label: string }[] =>
    !d ? [] : kindOf(d.prop, undefined) === 'yesNo' ? [{ value: true, label: t('yes') }, { value: false, label: t('no') }] : ((d.prop.enum as string[]) ?? []).map((v) => ({ value: v, label: v }));
  if (!deciders.length && !field.when) return null;
  return (
    <span className="condition">
      <label>
        {t('showWhen')}{' '}
        <select
          aria-label={`${t('showWhen')} ${name}`}
          value={field.when?.field ?? ''}
          onChange={(e) => {
            const d = deciders.find((x) => x.key === e.target.value);
            onChange(d ? { field: d.key, value: values(d)[0]?.value } : undefined);
          }}
        >
          <option value="">{t('always')}</option>
          {deciders.map((d) => (
            <option key={d.key} value={d.key}>
              {(d.prop.title as string | undefined) || t('fieldTitle')}
            </option>
          ))}
        </select>
      </label>
      {field.when && decider && (
        <label>
          {t('equals')}{' '}
          <select
            aria-label={`${t('equals')} ${name}`}
            value={JSON.stringify(field.when.value)}
            onChange={(e) => onChange({ field: decider.key, value: JSON.parse(e.target.value) })}
          >
            {values(decider).map((v) => (
              <option key={JSON.stringify(v.value)} value={JSON.stringify(v.value)}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      )}
    </span>
  );
}

function FieldRow({
  prop, ui, required, first, last, onProp, onUi, onRequired, onMove, onRemove, t, children,
}: {
  children?: ReactNode;
  prop: Prop;
  ui: Prop | undefined;
  required: boolean;
  first: boolean;
  last: boolean;
  onProp: (p: Prop) => void;
  onUi: (u: Prop | undefined) => void;
  onRequired: (r: boolean) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
  t: T;
}) {
  const kind = kindOf(prop, ui);
  const title = (prop.title as string | undefined) ?? '';
  const name = title || t('fieldTitle');
  const changeKind = (k: Exclude<FieldKind, 'other'>) => {
    onProp({ ...KIND_SCHEMA[k], ...(prop.title !== undefined ? { title: prop.title } : {}), ...(prop.description !== undefined ? { description: prop.description } : {}) });
    const { 'ui:widget': _w, ...rest } = ui ?? {};
    onUi(k === 'longText' ? { ...rest, 'ui:widget': 'textarea' } : rest);
  };
  const bound = (member: 'minimum' | 'maximum', text: string) => {
    const { [member]: _old, ...rest } = prop;
    onProp(text === '' ? rest : { ...rest, [member]: Number(text) });
  };
  return (
    <div className="field" data-field={title}>
      <label>
        {t('fieldTitle')} <input aria-label={`${t('fieldTitle')} ${name}`} value={title} onChange={(e) => onProp({ ...prop, title: e.target.value })} />
      </label>
      <label>
        {t('fieldKind')}{' '}
        {kind === 'other' ? (
          <em>{t('advanced')}</em>
        ) : (
          <select aria-label={`${t('fieldKind')} ${name}`} value={kind} onChange={(e) => changeKind(e.target.value as Exclude<FieldKind, 'other'>)}>
            {FIELD_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(KIND_LABEL[k])}
              </option>
            ))}
          </select>
        )}
      </label>
      <label>
        {t('fieldHelp')}{' '}
        <input
          aria-label={`${t('fieldHelp')} ${name}`}
          value={(prop.description as string | undefined) ?? ''}
          onChange={(e) => {
            const { description: _d, ...rest } = prop;
            onProp(e.target.value ? { ...rest, description: e.target.value } : rest);
          }}
        />
      </label>
      <label>
        <input type="checkbox" aria-label={`${t('fieldRequired')} ${name}`} checked={required} onChange={(e) => onRequired(e.target.checked)} /> {t('fieldRequired')}
      </label>
      {kind === 'number' && (
        <>
          <label>
            {t('minimum')} <input type="number" aria-label={`${t('minimum')} ${name}`} value={(prop.minimum as number | undefined) ?? ''} onChange={(e) => bound('minimum', e.target.value)} />
          </label>
          <label>
            {t('maximum')} <input type="number" aria-label={`${t('maximum')} ${name}`} value={(prop.maximum as number | undefined) ?? ''} onChange={(e) => bound('maximum', e.target.value)} />
          </label>
        </>
      )}
      {kind === 'choice' && (
        <label>
          {t('choiceOptions')}
          <textarea
            aria-label={`${t('choiceOptions')} ${name}`}
            value={((prop.enum as string[]) ?? []).join('\n')}
            onChange={(e) => onProp({ ...prop, enum: e.target.value.split('\n').map((s) => s.trim()).filter(Boolean) })}
          />
        </label>
      )}
      {children}
      <span>
        <button type="button" className="link" disabled={first} onClick={() => onMove(-1)} aria-label={`${t('moveUp')} ${name}`}>
          ↑ {t('moveUp')}
        </button>
        <button type="button" className="link" disabled={last} onClick={() => onMove(1)} aria-label={`${t('moveDown')} ${name}`}>
          ↓ {t('moveDown')}
        </button>
        <button type="button" className="link" onClick={onRemove} aria-label={`${t('remove')} ${name}`}>
          {t('remove')}
        </button>
      </span>
    </div>
  );
}
