// 流程简图: a procedure drawn as DingTalk does, a vertical list of nodes (发起 → 审批人 / 办理人 →
// 抄送 → 条件分支 → 结束), phone first. It reads and writes the same BPMN as the modeler (see
// simple/flow.ts); a diagram it cannot express is not shown here but sent to the modeler, with why.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { api, ApiError } from '../api';
import { ErrorBox, Loading } from '../components/common';
import { emptyFlow, problemsOf, toBpmn, type SimpleFlow } from '../simple/flow';
import { MAIN } from '../simple/edit';
import { fromBpmn } from '../simple/parse';
import { useT, versionLabel } from '../i18n';
import { formChoices, NodeList, type Choices } from './simple/NodeList';

const KEY = /^[a-z][a-z0-9-]*$/;

export default function SimpleDesigner() {
  const { jurisdiction = '', key: existing } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const [flow, setFlow] = useState<SimpleFlow | null>(null);
  const [choices, setChoices] = useState<Choices>({ jurisdiction, groups: {}, forms: {}, fields: {} });
  const [base, setBase] = useState(0);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let gone = false;
    (async () => {
      const effective = await api.jurisdictions.effective(jurisdiction);
      // People pick a form, and a branch's field, by title, not by key.
      const forms = (await Promise.all(effective.forms.map((f) => api.forms.get(jurisdiction, f.formKey).catch(() => null)))).filter((f) => f !== null);
      const def = existing ? await api.processes.get(jurisdiction, existing) : null;
      const parsed = def ? await fromBpmn(def.xml, zeebeSchema) : { flow: emptyFlow('', '') };
      if (gone) return;
      setChoices({ jurisdiction, groups: effective.groups, ...formChoices(forms) });
      setBase(def?.version ?? 0);
      if ('reason' in parsed) setReason(parsed.reason);
      else setFlow(parsed.flow);
    })().catch((err) => gone || setError(err));
    return () => {
      gone = true;
    };
  }, [jurisdiction, existing]);

  const deploy = async () => {
    if (!flow) return;
    setError(null);
    setNotice('');
    if (!KEY.test(flow.key)) return setError(new Error(t('keyInvalid')));
    const problems = problemsOf(flow.nodes);
    if (problems.length) return setError(new Error(problems.join('；')));
    setBusy(true);
    try {
        const saved = await api.processes.deploy(jurisdiction, flow.key, toBpmn(flow), base);
      setBase(saved.version);
      setNotice(`${t('deployed')} ${versionLabel(t, saved.version)}`);
      if (!existing) navigate(`/simple/${jurisdiction}/${flow.key}`, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new ApiError(409, err.title, `${t('staleVersion')}：${err.detail}`, err.errors) : err);
    } finally {
      setBusy(false);
    }
  };

  const modeler = existing && <Link className="button" to={`/design/${jurisdiction}/${existing}`}>{t('openInModeler')}</Link>;
  return (
    <div className="simple-designer">
      <p>
        <Link to="/design">← {t('design')}</Link>
      </p>
      <h1>{t('simpleDesigner')}</h1>
      <ErrorBox error={error} />
      {reason ? (
        <div className="error" role="alert">
          <p>
            {t('cannotSimple')}：{reason}
          </p>
          {modeler}
        </div>
      ) : !flow ? (
        !error && <Loading />
      ) : (
        <>
          <div className="simple-head">
            <label>
              {t('processName')}
              <input name="processName" value={flow.name} onChange={(e) => setFlow({ ...flow, name: e.target.value })} required />
            </label>
            <label>
              {t('processKey')}
              <input name="processKey" value={flow.key} readOnly={!!existing} onChange={(e) => setFlow({ ...flow, key: e.target.value.trim() })} required autoComplete="off" />
            </label>
          </div>
          <div className="simple-flow">
            <div className="node node-start">
              <span className="kind">{t('nodeStart')}</span> <strong>{flow.start.name}</strong>
            </div>
            <NodeList flow={flow} listId={MAIN} nodes={flow.nodes} choices={choices} onChange={setFlow} />
            <div className="node node-end">
              <span className="kind">{t('nodeEnd')}</span>
            </div>
          </div>
          <div className="simple-actions">
            <button type="button" className="primary" onClick={deploy} disabled={busy}>
              {t('deploy')}
            </button>
            {modeler}
          </div>
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
        </>
      )}
    </div>
  );
}
