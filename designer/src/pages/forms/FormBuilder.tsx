// 表单设计: officials add, reorder and remove fields, and set their title, help, required, bounds
// and options, without writing JSON. The result is still JSON Schema + uiSchema (field order in
// ui:order); members the builder does not know are kept as they are.
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

/** The fields in their shown order: ui:order first (without its "*"), then the rest. */
export function fieldOrder(schema: RJSFSchema, ui: UiSchema): string[] {
  const keys = Object.keys((schema.properties ?? {}) as object);
  const listed = ((ui['ui:order'] as string[] | undefined) ?? []).filter((k) => keys.includes(k));
  return [...listed, ...keys.filter((k) => !listed.includes(k))];
}

/** A key for a new field that no other field has. */
const freshKey = (taken: string[]) => {
  let n = taken.length + 1;
  while (taken.includes(`field${n}`)) n++;
  return `field${n}`;
};

export function FormBuilder({ schema, uiSchema, onChange }: { schema: RJSFSchema; uiSchema: UiSchema; onChange: (schema: RJSFSchema, uiSchema: UiSchema) => void }) {
  const t = useT();
  const props = (schema.properties ?? {}) as Record<string, Prop>;
  const order = fieldOrder(schema, uiSchema);
  const required = (schema.required ?? []) as string[];

  const emit = (nextProps: Record<string, Prop>, nextOrder: string[], nextRequired: string[], nextUi: UiSchema = uiSchema, title = schema.title) => {
    const ordered = Object.fromEntries(nextOrder.map((k) => [k, nextProps[k]]));
    onChange(
      { ...schema, ...(title !== undefined ? { title } : {}), type: 'object', properties: ordered as RJSFSchema['properties'], required: nextRequired.filter((k) => k in ordered) },
      { ...nextUi, 'ui:order': [...nextOrder, '*'] },
    );
  };
  const setProp = (key: string, prop: Prop) => emit({ ...props, [key]: prop }, order, required);
  const setUi = (key: string, ui: Prop | undefined) => {
    const { [key]: _old, ...rest } = uiSchema;
    emit(props, order, required, ui && Object.keys(ui).length ? { ...rest, [key]: ui } : rest);
  };
  const move = (key: string, by: number) => {
    const i = order.indexOf(key);
    const next = [...order];
    next.splice(i, 1);
    next.splice(Math.max(0, Math.min(order.length - 1, i + by)), 0, key);
    emit(props, next, required);
  };
  const remove = (key: string) => {
    const { [key]: _gone, ...rest } = props;
    const { [key]: _ui, ...ui } = uiSchema;
    emit(rest, order.filter((k) => k !== key), required.filter((k) => k !== key), ui);
  };
  const add = () => {
    const key = freshKey(order);
    emit({ ...props, [key]: { ...KIND_SCHEMA.text, title: `${t('kindText')} ${order.length + 1}` } }, [...order, key], required);
  };

  return (
    <section className="form-builder" aria-label={t('builder')}>
      <label>
        {t('formTitle')} <input name="form-title" value={(schema.title as string | undefined) ?? ''} onChange={(e) => emit(props, order, required, uiSchema, e.target.value)} />
      </label>
      <ol className="plain">
        {order.map((key, i) => (
          <li key={key}>
            <FieldRow
              prop={props[key]}
              ui={uiSchema[key] as Prop | undefined}
              required={required.includes(key)}
              first={i === 0}
              last={i === order.length - 1}
              onProp={(p) => setProp(key, p)}
              onUi={(u) => setUi(key, u)}
              onRequired={(r) => emit(props, order, r ? [...required, key] : required.filter((k) => k !== key))}
              onMove={(by) => move(key, by)}
              onRemove={() => remove(key)}
              t={t}
            />
          </li>
        ))}
      </ol>
      <button type="button" onClick={add}>
        + {t('addField')}
      </button>
    </section>
  );
}

function FieldRow({
  prop, ui, required, first, last, onProp, onUi, onRequired, onMove, onRemove, t,
}: {
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
