// A jurisdiction's rules edited in the browser (PUT /api/jurisdictions/:id): parameters with an
// input chosen by their declared type, vocabulary and groups as tables; each value says whether it
// is set here or inherited (and from where), with 恢复继承; a preview of the effective rules and of
// the diagrams and forms that use each parameter. Saved as a new version (409 when stale).
import { useEffect, useState } from 'react';
import { api, ApiError, type EffectiveRuleSet, type Jurisdiction, type ParameterDeclaration } from '../../api';
import { Async, ErrorBox, useAsync } from '../../components/common';
import { useT } from '../../i18n';
import { RuleSetHistory } from './RuleSetHistory';
import { describeDuration, DURATION_UNITS, joinDuration, splitDuration, type DurationUnit } from './durations';

type Draft = { name: string; parameters: Record<string, unknown>; vocabulary: Record<string, string>; groups: Record<string, string> };
type T = ReturnType<typeof useT>;

/** What the jurisdiction inherits: its parent's effective rules, when the admin may read them. */
async function load(id: string) {
  const self = await api.jurisdictions.effective(id);
  const parent = self.parent ? await api.jurisdictions.effective(self.parent).catch(() => null) : null;
  return { self, parent, usage: await usage(self) };
}

/** Which diagrams and forms use each parameter (`params.<name>` in their text). */
async function usage(j: EffectiveRuleSet): Promise<Record<string, string[]>> {
  const texts = await Promise.all([
    ...j.processes.map(async (p) => ({ label: `流程“${p.name}”`, text: (await api.processes.get(j.id, p.key)).xml })),
    ...j.forms.map(async (f) => {
      const form = await api.forms.get(j.id, f.formKey);
      return { label: `表单“${(form.schema.title as string | undefined) ?? f.formKey}”`, text: JSON.stringify(form) };
    }),
  ]);
  return Object.fromEntries(
    Object.keys(j.parameters).map((name) => {
      const re = new RegExp(`params\\.${name}\\b`);
      return [name, texts.filter((x) => re.test(x.text)).map((x) => x.label)];
    }),
  );
}

export const own = <V,>(all: Record<string, V>, sources: Record<string, string>, id: string) =>
  Object.fromEntries(Object.entries(all).filter(([k]) => sources[k] === id));

export function RuleSetEditor({ id, tree, onSaved }: { id: string; tree: Jurisdiction[]; onSaved: () => void }) {
  const t = useT();
  const state = useAsync(() => load(id), [id]);
  return <Async state={state}>{(data) => <Editor key={data.self.version} {...data} tree={tree} onSaved={() => (state.reload(), onSaved())} t={t} />}</Async>;
}

function Editor({ self, parent, usage, tree, onSaved, t }: Awaited<ReturnType<typeof load>> & { tree: Jurisdiction[]; onSaved: () => void; t: T }) {
  const [draft, setDraft] = useState<Draft>({
    name: self.name,
    parameters: own(self.parameters, self.sources.parameters, self.id),
    vocabulary: own(self.vocabulary, self.sources.vocabulary, self.id),
    groups: own(self.groups, self.sources.groups, self.id),
  });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => setNotice(''), [draft]);
  const nameOf = (jid: string) => tree.find((j) => j.id === jid)?.name ?? jid;
  const problems = error instanceof ApiError ? error.errors : [];
  const problemAt = (path: string) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}/`)).map((p) => p.message).join('；');

  const save = async () => {
    setError(null);
    try {
      const saved = await api.jurisdictions.save(self.id, { ...draft, parent: self.parent, baseVersion: self.version });
      setNotice(`${t('saved')} · ${t('version')} ${saved.version}`);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new ApiError(409, err.title, t('staleRuleSet')) : err);
    }
  };
  const set = <K extends keyof Draft>(member: K, value: Draft[K]) => setDraft((d) => ({ ...d, [member]: value }));
  const without = <V,>(map: Record<string, V>, key: string) => Object.fromEntries(Object.entries(map).filter(([k]) => k !== key));

  const effectiveParams = { ...(parent?.parameters ?? {}), ...draft.parameters };
  const names = [...new Set([...Object.keys(self.parameters), ...Object.keys(draft.parameters)])];
  return (
    <section className="ruleset-editor" aria-labelledby="ruleset-title">
      <h2 id="ruleset-title">
        {t('ruleSet')} · {self.name} <small>{t('version')} {self.version}</small>
      </h2>
      <label>
        {t('childName')} <input name="jurisdiction-name" value={draft.name} onChange={(e) => set('name', e.target.value)} />
      </label>

      <h3>{t('parameters')}</h3>
      <div className="param-list">
        {names.map((name) => {
          const decl: ParameterDeclaration = self.parameterTypes[name] ?? { type: guessType(self.parameters[name]), label: name };
          const isOwn = name in draft.parameters;
          const inherited = parent?.parameters[name];
          const from = parent?.sources.parameters[name];
          return (
            <fieldset key={name} className="param" data-param={name}>
              <legend>{decl.label}</legend>
              {decl.help && <p className="help">{decl.help}</p>}
              <ParameterInput decl={decl} value={isOwn ? draft.parameters[name] : inherited ?? self.parameters[name]} onChange={(v) => set('parameters', { ...draft.parameters, [name]: v })} t={t} />
              <p className="provenance">
                {isOwn ? (from ? t('overriddenHere') : t('addedHere')) : `${t('inherited')} ${nameOf(from ?? self.sources.parameters[name])}`}
                {isOwn && from && (
                  <button type="button" className="link" onClick={() => set('parameters', without(draft.parameters, name))}>
                    {t('restoreInherited')}
                  </button>
                )}
              </p>
              {problemAt(`/parameters/${name}`) && (
                <p className="field-error" role="alert">
                  {problemAt(`/parameters/${name}`)}
                </p>
              )}
            </fieldset>
          );
        })}
      </div>

      {(['vocabulary', 'groups'] as const).map((member) => (
        <div key={member}>
          <h3>{t(member)}</h3>
          <TermTable
            label={t(member)}
            columns={member === 'vocabulary' ? [t('generalTerm'), t('localTerm')] : [t('groups'), t('groupName')]}
            own={draft[member]}
            inherited={parent?.[member] ?? {}}
            keyLabel={member === 'groups' ? (k) => parent?.groups[k] ?? draft.groups[k] ?? k : undefined}
            sourceOf={(k) => nameOf(parent?.sources[member][k] ?? '')}
            onChange={(v) => set(member, v)}
            t={t}
          />
        </div>
      ))}

      <ErrorBox error={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <button type="button" className="primary" onClick={save}>
        {t('save')}
      </button>

      <details className="preview">
        <summary>{t('effectivePreview')}</summary>
        <dl>
          {Object.entries(effectiveParams).map(([name, value]) => (
            <div key={name}>
              <dt>{self.parameterTypes[name]?.label ?? name}</dt>
              <dd>
                {formatValue(value, self.parameterTypes[name], t)}
                <br />
                <small>
                  {usage[name]?.length ? `${t('usedIn')}：${usage[name].join('、')}` : t('notUsed')}
                </small>
              </dd>
            </div>
          ))}
        </dl>
      </details>
      <RuleSetHistory self={self} onRestored={onSaved} />
    </section>
  );
}

const guessType = (v: unknown): ParameterDeclaration['type'] =>
  typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : v && typeof v === 'object' ? 'table' : 'text';

export function formatValue(v: unknown, decl: ParameterDeclaration | undefined, t: T): string {
  if (decl?.type === 'duration' && typeof v === 'string') return describeDuration(v);
  const cycle = typeof v === 'string' ? /^R\d*\/(P.+)$/.exec(v) : null;
  if (cycle) return `每 ${describeDuration(cycle[1])}`;
  if (decl?.type === 'ratio' && typeof v === 'number') return ratioLabel(v, t) ?? `${Math.round(v * 1000) / 10}%`;
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}：${String(x)}`).join('；');
  return `${String(v)}${decl?.unit ? ` ${decl.unit}` : ''}`;
}

const ratioLabel = (v: number, t: T) => (v === 0.5 ? t('majority') : Math.abs(v - 2 / 3) < 0.001 ? t('twoThirds') : null);

/** The input a declared type calls for. */
function ParameterInput({ decl, value, onChange, t }: { decl: ParameterDeclaration; value: unknown; onChange: (v: unknown) => void; t: T }) {
  const label = decl.label;
  switch (decl.type) {
    case 'duration': {
      const parts = typeof value === 'string' ? splitDuration(value) : null;
      if (!parts) return <input aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
      return (
        <span className="duration">
          <input aria-label={label} type="number" min={1} value={parts.amount} onChange={(e) => onChange(joinDuration(Number(e.target.value), parts.unit))} />
          <select aria-label={`${label} 单位`} value={parts.unit} onChange={(e) => onChange(joinDuration(parts.amount, e.target.value as DurationUnit))}>
            {DURATION_UNITS.map((u) => (
              <option key={u.unit} value={u.unit}>
                {u.label}
              </option>
            ))}
          </select>
        </span>
      );
    }
    case 'ratio':
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      const min = typeof decl.min === 'number' ? decl.min : decl.type === 'ratio' ? 0 : undefined;
      const max = typeof decl.max === 'number' ? decl.max : decl.type === 'ratio' ? 1 : undefined;
      return (
        <span>
          <input aria-label={label} type="number" step={decl.type === 'ratio' ? 0.01 : decl.integer ? 1 : 'any'} min={min} max={max} value={Number.isFinite(n) ? n : ''} onChange={(e) => onChange(Number(e.target.value))} />{' '}
          {decl.type === 'ratio' ? ratioLabel(n, t) ?? `${Math.round(n * 1000) / 10}%` : decl.unit}
        </span>
      );
    }
    case 'boolean':
      return (
        <label>
          <input aria-label={label} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {value === true ? t('yes') : t('no')}
        </label>
      );
    case 'table':
      return <ClassTable decl={decl} value={(value ?? {}) as Record<string, string>} onChange={onChange} t={t} />;
    default:
      return <input aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** A table parameter such as the 三事 class table: one row per category, its class picked from the options. */
function ClassTable({ decl, value, onChange, t }: { decl: ParameterDeclaration; value: Record<string, string>; onChange: (v: unknown) => void; t: T }) {
  const options = decl.options ?? [];
  const [key, setKey] = useState('');
  const [cls, setCls] = useState(options[0] ?? '');
  return (
    <table className="list param-table" aria-label={decl.label}>
      <thead>
        <tr>
          <th>{decl.keyLabel ?? t('generalTerm')}</th>
          <th>{decl.valueLabel ?? t('localTerm')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {Object.entries(value).map(([k, v]) => (
          <tr key={k}>
            <td>{k}</td>
            <td>
              {options.length ? (
                <select aria-label={`${k} ${decl.valueLabel ?? ''}`} value={v} onChange={(e) => onChange({ ...value, [k]: e.target.value })}>
                  {options.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              ) : (
                <input aria-label={k} value={v} onChange={(e) => onChange({ ...value, [k]: e.target.value })} />
              )}
            </td>
            <td>
              <button type="button" className="link" onClick={() => onChange(Object.fromEntries(Object.entries(value).filter(([x]) => x !== k)))}>
                {t('remove')}
              </button>
            </td>
          </tr>
        ))}
        <tr>
          <td>
            <input aria-label={`${t('addRow')} ${decl.keyLabel ?? ''}`} value={key} onChange={(e) => setKey(e.target.value)} />
          </td>
          <td>
            {options.length ? (
              <select aria-label={`${t('addRow')} ${decl.valueLabel ?? ''}`} value={cls} onChange={(e) => setCls(e.target.value)}>
                {options.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input aria-label={`${t('addRow')} ${decl.valueLabel ?? ''}`} value={cls} onChange={(e) => setCls(e.target.value)} />
            )}
          </td>
          <td>
            <button type="button" disabled={!key.trim()} onClick={() => (onChange({ ...value, [key.trim()]: cls }), setKey(''))}>
              {t('addRow')}
            </button>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** Vocabulary or groups: inherited rows shown with their source, overridden by editing, own rows removable. */
function TermTable({
  label, columns, own, inherited, sourceOf, onChange, t, keyLabel = (k) => k,
}: {
  label: string;
  /** What the first column shows for a row (a group's name rather than its code). */
  keyLabel?: (key: string) => string;
  columns: [string, string];
  own: Record<string, string>;
  inherited: Record<string, string>;
  sourceOf: (key: string) => string;
  onChange: (v: Record<string, string>) => void;
  t: T;
}) {
  const [key, setKey] = useState('');
  const [val, setVal] = useState('');
  const keys = [...new Set([...Object.keys(inherited), ...Object.keys(own)])];
  return (
    <table className="list" aria-label={label}>
      <thead>
        <tr>
          <th>{columns[0]}</th>
          <th>{columns[1]}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const isOwn = k in own;
          return (
            <tr key={k}>
              <td>{keyLabel(k)}</td>
              <td>
                <input aria-label={`${keyLabel(k)} ${columns[1]}`} value={isOwn ? own[k] : inherited[k]} onChange={(e) => onChange({ ...own, [k]: e.target.value })} />
              </td>
              <td>
                {isOwn ? (
                  <button type="button" className="link" onClick={() => onChange(Object.fromEntries(Object.entries(own).filter(([x]) => x !== k)))}>
                    {k in inherited ? t('restoreInherited') : t('remove')}
                  </button>
                ) : (
                  <small>
                    {t('inherited')} {sourceOf(k)}
                  </small>
                )}
              </td>
            </tr>
          );
        })}
        <tr>
          <td>
            <input aria-label={`${t('addRow')} ${columns[0]}`} value={key} onChange={(e) => setKey(e.target.value)} />
          </td>
          <td>
            <input aria-label={`${t('addRow')} ${columns[1]}`} value={val} onChange={(e) => setVal(e.target.value)} />
          </td>
          <td>
            <button type="button" disabled={!key.trim() || !val.trim()} onClick={() => (onChange({ ...own, [key.trim()]: val.trim() }), setKey(''), setVal(''))}>
              {t('addRow')}
            </button>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
