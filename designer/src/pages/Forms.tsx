// 表单: the jurisdiction's forms (inherited ones overridable); a form builder, or (advanced) a
// schema + uiSchema editor with schema errors shown as the official types, with the real form
// previewed live; saved as a new version.
import { useEffect, useMemo, useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { api, ApiError } from '../api';
import { Async, ErrorBox, useAsync } from '../components/common';
import { JurisdictionPicker } from '../components/JurisdictionPicker';
import { TaskForm } from '../components/TaskForm';
import { useT, versionLabel } from '../i18n';
import { JurisdictionName } from '../components/Names';
import { useWorkingJurisdiction } from '../session';
import { FormBuilder } from './forms/FormBuilder';

const ajv = new Ajv({ strict: false, allErrors: true, $data: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);

export default function Forms() {
  return (
    <Routes>
      <Route index element={<FormList />} />
      <Route path=":jurisdiction/:formKey" element={<FormEditor />} />
    </Routes>
  );
}

function FormList() {
  const t = useT();
  const { jurisdiction, choose, allowed } = useWorkingJurisdiction(['official', 'admin']);
  const effective = useAsync(() => (jurisdiction ? api.jurisdictions.effective(jurisdiction).then((j) => j.forms) : Promise.resolve([])), [jurisdiction]);
  return (
    <div>
      <h1>{t('forms')}</h1>
      <JurisdictionPicker value={jurisdiction} onChange={choose} allowed={allowed} />
      <Async state={effective}>
        {(list) => (
          <ul className="plain">
            {list.map((f) => (
              <li key={f.formKey}>
                <Link to={`/forms/${jurisdiction}/${f.formKey}`}>{f.title ?? f.formKey}</Link> {versionLabel(t, f.version)} ·{' '}
                {f.definedAt === jurisdiction ? t('definedHere') : <>{t('inherited')} <JurisdictionName id={f.definedAt} /></>}
              </li>
            ))}
          </ul>
        )}
      </Async>
    </div>
  );
}

/** A JSON text area with its parse or compile problem shown under it as the official types. */
function JsonText({ name, label, text, onChange, problem }: { name: string; label: string; text: string; onChange: (text: string) => void; problem: string | null }) {
  const t = useT();
  return (
    <label className="code">
      {label}
      <textarea name={name} spellCheck={false} value={text} onChange={(e) => onChange(e.target.value)} aria-invalid={!!problem} />
      {problem && (
        <span className="field-error" role="alert">
          {t('schemaError')}: {problem}
        </span>
      )}
    </label>
  );
}

/** Parses JSON text and, for a schema, compiles it: the first problem, or null. */
function problemOf<T extends object>(text: string, isSchema: boolean): { value?: T; problem: string | null } {
  let value: T;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (isSchema) {
    try {
      ajv.compile(value);
    } catch (err) {
      return { value, problem: (err as Error).message };
    }
  }
  return { value, problem: null };
}

function FormEditor() {
  const { jurisdiction = '', formKey = '' } = useParams();
  const t = useT();
  const form = useAsync(() => api.forms.get(jurisdiction, formKey), [jurisdiction, formKey]);
  const [schemaText, setSchemaText] = useState('');
  const [uiText, setUiText] = useState('');
  const [base, setBase] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [view, setView] = useState<'builder' | 'advanced'>('builder');
  useEffect(() => {
    if (!form.data) return;
    setSchemaText(JSON.stringify(form.data.schema, null, 2));
    setUiText(JSON.stringify(form.data.uiSchema ?? {}, null, 2));
    setBase(form.data.version);
  }, [form.data]);
  const schema = useMemo(() => problemOf<RJSFSchema>(schemaText, true), [schemaText]);
  const ui = useMemo(() => problemOf<UiSchema>(uiText, false), [uiText]);
  // The preview keeps the last schema that compiled, so a half-typed edit does not blank it.
  const [preview, setPreview] = useState<{ schema: RJSFSchema; uiSchema?: UiSchema } | null>(null);
  useEffect(() => {
    if (!schema.problem && !ui.problem && schema.value) setPreview({ schema: schema.value, uiSchema: ui.value });
  }, [schema, ui]);

  const save = async () => {
    if (!schema.value) return; // the button is disabled until the schema compiles
    setError(null);
    setNotice('');
    try {
      const { formKey: _k, version: _v, definedAt: _d, schema: _s, uiSchema: _u, ...extra } = form.data!;
      const saved = await api.forms.save(jurisdiction, formKey, { ...extra, schema: schema.value, uiSchema: ui.value }, base);
      setBase(saved.version);
      setNotice(`${t('newVersionSaved')} v${saved.version}`);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new ApiError(409, err.title, `${t('staleVersion')}：${err.detail}`) : err);
    }
  };

  return (
    <div className="form-editor">
      <p>
        <Link to="/forms">← {t('forms')}</Link>
      </p>
      <Async state={form}>
        {(f) => (
          <>
            <h1>
              {typeof f.schema.title === 'string' ? f.schema.title : formKey} · <JurisdictionName id={jurisdiction} />{' '}
              <small>
                {versionLabel(t, base)}{' '}
                {f.definedAt !== jurisdiction && (
                  <>
                    ({t('inherited')} <JurisdictionName id={f.definedAt} />)
                  </>
                )}
              </small>
            </h1>
            <ErrorBox error={error} />
            {notice && (
              <p className="notice" role="status">
                {notice}
              </p>
            )}
            <div className="tabs" role="group">
              {(['builder', 'advanced'] as const).map((v) => (
                <button key={v} type="button" className="link" aria-pressed={view === v} onClick={() => setView(v)}>
                  {t(v)}
                </button>
              ))}
            </div>
            <div className="split3">
              {view === 'builder' && schema.value && !schema.problem && !ui.problem ? (
                <FormBuilder
                  schema={schema.value}
                  uiSchema={ui.value ?? {}}
                  onChange={(s, u) => (setSchemaText(JSON.stringify(s, null, 2)), setUiText(JSON.stringify(u, null, 2)))}
                />
              ) : (
                <>
                  <JsonText name="schema" label={t('schema')} text={schemaText} onChange={setSchemaText} problem={schema.problem} />
                  <JsonText name="uiSchema" label={t('uiSchema')} text={uiText} onChange={setUiText} problem={ui.problem} />
                </>
              )}
              <section className="preview" aria-label={t('preview')}>
                <h2>{t('preview')}</h2>
                {preview && <TaskForm key={JSON.stringify(preview)} schema={preview.schema} uiSchema={preview.uiSchema} rules={f.rules} onSubmit={async () => undefined} />}
              </section>
            </div>
            <button type="button" className="primary" onClick={save} disabled={!!schema.problem || !!ui.problem}>
              {t('save')}
            </button>
          </>
        )}
      </Async>
    </div>
  );
}
