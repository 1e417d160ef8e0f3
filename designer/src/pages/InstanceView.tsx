// One instance: its diagram with finished and active elements marked, its history (who did what,
// with 审批意见), its variables and overdue timers; cancel and retry for officials, 撤回 for the
// starter, a comment for anyone on the case.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { api } from '../api';
import { CaseSummary } from '../components/CaseSummary';
import { CaseContext } from '../components/Names';
import { CaseComment, Withdraw } from '../components/CaseActions';
import { CaseHistory } from '../components/CaseHistory';
import { Async, ErrorBox, useAsync } from '../components/common';
import { CaseDocuments } from '../components/CaseDocuments';
import { formatTime, useLocale, useT } from '../i18n';
import { rolesAnywhere, useSession } from '../session';
import { isWithin, useJurisdictions } from '../components/JurisdictionPicker';
import { hasNoLayout } from '../components/diagramLayout';
import { Incidents } from '../components/Incidents';

/** The roles the server's cancel and retry require in the case's jurisdiction (or above it). */
const OPERATOR_ROLES = ['official', 'admin'];

export default function InstanceView() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const { user } = useSession();
  const inst = useAsync(() => api.instances.get(id), [id]);
  const tree = useJurisdictions();
  const mayOperate = (jurisdiction: string) => rolesAnywhere(user, OPERATOR_ROLES).some((held) => isWithin(tree.data ?? [], jurisdiction, held));
  const canvasRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [noLayout, setNoLayout] = useState(false);

  useEffect(() => {
    const i = inst.data;
    if (!i || !canvasRef.current) return;
    const viewer = new NavigatedViewer({ container: canvasRef.current });
    let gone = false; // the effect may be cleaned up before the diagram arrives
    api.processes
      .get(i.definedAt, i.processKey, i.version)
      .then(async ({ xml }) => {
        if (gone) return;
        await viewer.importXML(xml);
        if (gone) return;
        const canvas = viewer.get<Canvas>('canvas');
        const registry = viewer.get<ElementRegistry>('elementRegistry');
        const mark = (elementId: string, cls: string) => registry.get(elementId) && canvas.addMarker(elementId, cls);
        for (const h of i.history) mark(h.elementId, 'done');
        for (const a of i.active) mark(a.elementId, a.incident ? 'stopped' : 'active');
        canvas.zoom('fit-viewport');
      })
      .catch((err) => gone || (hasNoLayout(err) ? setNoLayout(true) : setError(err)));
    return () => {
      gone = true;
      viewer.destroy();
    };
  }, [inst.data]);

  const act = async (action: 'cancel' | 'retry', ref?: string) => {
    setError(null);
    try {
      await (action === 'retry' ? api.instances.retry(id, ref) : api.instances.cancel(id));
      inst.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="instance-view">
      <p>
        <Link to="/instances">← {t('instances')}</Link>
      </p>
      <ErrorBox error={error} />
      <Async state={inst}>
        {(i) => {
          const overdue = i.active.filter((a) => a.dueAt && Date.parse(a.dueAt) < Date.now());
          return (
            <>
              <h1>
                {i.no} {i.title ?? t('untitled')}
              </h1>
              <p className="meta">
                <CaseContext jurisdiction={i.jurisdiction} processKey={i.processKey} /> · {t('version')} {i.version} · <span className={`status ${i.status}`}>{t(i.status as 'active')}</span>
                {i.parentId && (
                  <>
                    {' · '}
                    <Link to={`/instances/${i.parentId}`}>{t('calledBy')}</Link>
                  </>
                )}
              </p>
              <Incidents instance={i} mayRetry={mayOperate(i.jurisdiction)} retry={(ref) => act('retry', ref)} />
              <Withdraw instance={i} me={user?.username} onDone={inst.reload} />
              {i.status === 'active' && !i.parentId && mayOperate(i.jurisdiction) && (
                <button type="button" onClick={() => act('cancel')}>
                  {t('cancel')}
                </button>
              )}
              <CaseDocuments instanceId={i.id} />
              {noLayout && <p className="hint">{t('diagramNoLayout')}</p>}
              <div className="diagram" ref={canvasRef} hidden={noLayout} />
              <div className="split">
                <section aria-label={t('timeline')}>
                  <h2>{t('timeline')}</h2>
                  <CaseHistory entries={i.history} jurisdiction={i.jurisdiction} />
                  <CaseComment instanceId={i.id} onDone={inst.reload} />
                  <h2>{t('waitingOn')}</h2>
                  <ul>
                    {i.active.map((a) => (
                      <li key={a.incident?.ref ?? a.elementId} className={a.incident ? 'stopped' : undefined}>
                        {a.name || a.elementId}
                        {a.incident && ` · ${t('stoppedHere')}`}
                        {a.dueAt && ` · ${t('due')} ${formatTime(a.dueAt, locale)}`}
                      </li>
                    ))}
                  </ul>
                  {!!i.children?.length && (
                    <>
                      <h2>{t('calledInstances')}</h2>
                      <ul className="called">
                        {i.children.map((c) => (
                          <li key={c.id}>
                            <Link to={`/instances/${c.id}`}>{c.processKey} v{c.version}</Link> · {t(c.status as 'active')} · {formatTime(c.startedAt, locale)}
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                  <h2>{t('overdueTimers')}</h2>
                  {overdue.length ? (
                    <ul>
                      {overdue.map((a) => (
                        <li key={a.elementId} className="overdue">
                          {a.name || a.elementId} · {formatTime(a.dueAt, locale)}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p>{t('none')}</p>
                  )}
                </section>
                <section aria-label={t('variables')}>
                  <h2>{t('variables')}</h2>
                  <CaseSummary instanceId={i.id} variables={i.variables} />
                </section>
              </div>
            </>
          );
        }}
      </Async>
    </div>
  );
}
