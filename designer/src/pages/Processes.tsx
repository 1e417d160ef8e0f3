// 流程设计: the jurisdiction's effective processes and decision tables (DMN), inherited ones marked
// with where they come from; a new decision table starts from a template in the DMN editor, which
// is routed here (/design/dmn/…) so that its code, dmn-js, loads from this page's chunk only.
import { lazy, Suspense, useState } from 'react';
import { Link, Route, Routes } from 'react-router-dom';
import { api } from '../api';
import { decisions as decisionsApi } from '../api/decisions';
import { Async, ErrorBox, Loading, useAsync } from '../components/common';
import { JurisdictionPicker } from '../components/JurisdictionPicker';
import { useLocale, useT, versionLabel } from '../i18n';
import { DMN_KEY, dmnText } from '../dmn/text';
import { JurisdictionName } from '../components/Names';
import { useWorkingJurisdiction } from '../session';
import { useNavigate } from 'react-router-dom';
import { PROCESS_KEY } from '../bpmn/template';

const Decisions = lazy(() => import('./Decisions'));

export default function Processes() {
  return (
    <Routes>
      <Route
        path="dmn/:jurisdiction/:key"
        element={
          <Suspense fallback={<Loading />}>
            <Decisions />
          </Suspense>
        }
      />
      <Route path="*" element={<ProcessList />} />
    </Routes>
  );
}

function ProcessList() {
  const t = useT();
  const navigate = useNavigate();
  const { jurisdiction, choose, allowed } = useWorkingJurisdiction(['official', 'admin']);
  const list = useAsync(() => (jurisdiction ? api.processes.list(jurisdiction) : Promise.resolve([])), [jurisdiction]);
  const [startError, setStartError] = useState<unknown>(null);
  const decisions = useAsync(() => (jurisdiction ? decisionsApi.list(jurisdiction) : Promise.resolve([])), [jurisdiction]);
  const { locale } = useLocale();
  const text = dmnText(locale);
  const [draft, setDraft] = useState({ key: '', name: '' });
  const [newProcess, setNewProcess] = useState({ key: '', name: '' });
  const start = async (key: string) => {
    setStartError(null);
    try {
      const inst = await api.instances.start(jurisdiction, key);
      navigate(`/instances/${inst.id}`);
    } catch (err) {
      setStartError(err);
    }
  };
  return (
    <div>
      <h1>{t('design')}</h1>
      <JurisdictionPicker value={jurisdiction} onChange={choose} allowed={allowed} />
      {jurisdiction && (
        <p>
          <Link className="button" to={`/simple/${jurisdiction}`}>
            {t('newSimple')}
          </Link>
        </p>
      )}
      {jurisdiction && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(`/design/${jurisdiction}/${newProcess.key}?new=${encodeURIComponent(newProcess.name)}`);
          }}
        >
          <label>
            {t('processName')} <input value={newProcess.name} required onChange={(e) => setNewProcess({ ...newProcess, name: e.target.value })} />
          </label>
          <label title={t('keyInvalid')}>
            {t('processKey')} <input value={newProcess.key} required pattern={PROCESS_KEY.source} onChange={(e) => setNewProcess({ ...newProcess, key: e.target.value })} />
          </label>
          <button type="submit">{t('newModeler')}</button>
        </form>
      )}
      <ErrorBox error={startError} />
      <Async state={list}>
        {(items) => (
          <table className="list">
            <thead>
              <tr>
                <th>{t('process')}</th>
                <th>{t('version')}</th>
                <th>{t('jurisdiction')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.key}>
                  <td>
                    <Link to={`/design/${jurisdiction}/${p.key}`}>{p.name || p.key}</Link>{' '}
                    <Link to={`/simple/${jurisdiction}/${p.key}`}>{t('simpleDesigner')}</Link>
                  </td>
                  <td>{versionLabel(t, p.version)}</td>
                  <td>{p.definedAt === jurisdiction ? t('definedHere') : <>{t('inherited')} <JurisdictionName id={p.definedAt} /></>}</td>
                  <td>
                    <button type="button" onClick={() => start(p.key)}>
                      {t('startInstance')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <h2>{text.decisionTables}</h2>
      <Async state={decisions}>
        {(items) =>
          items.length ? (
            <table className="list">
              <tbody>
                {items.map((d) => (
                  <tr key={d.key}>
                    <td>
                      <Link to={`/design/dmn/${jurisdiction}/${d.key}`}>{d.name || d.key}</Link>
                    </td>
                    <td>v{d.version}</td>
                    <td>{d.definedAt === jurisdiction ? t('definedHere') : `${t('inherited')} ${d.definedAt}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{text.none}</p>
          )
        }
      </Async>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/design/dmn/${jurisdiction}/${draft.key}?new=${encodeURIComponent(draft.name)}`);
        }}
      >
        <label>
          {text.name} <input value={draft.name} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label title={text.keyHelp}>
          {text.key} <input value={draft.key} required pattern={DMN_KEY.source} onChange={(e) => setDraft({ ...draft, key: e.target.value })} />
        </label>
        <button type="submit" disabled={!jurisdiction}>
          {text.newDecisionTable}
        </button>
      </form>
    </div>
  );
}
