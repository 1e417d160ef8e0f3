// 决策表: one DMN document in bpmn.io's dmn-js (decision table editor and requirements diagram),
// Chinese labels, deployed as a new version over the one loaded (409 names who changed it), exported
// as a .dmn file. dmn-js loads with this page only.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import DmnModeler from 'dmn-js/lib/Modeler';
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import { ApiError } from '../api';
import { decisions as decisionsApi } from '../api/decisions';
import { download, ErrorBox, Loading } from '../components/common';
import { newDecisionDocument } from '../dmn/template';
import { dmnText } from '../dmn/text';
import { dmnTranslateModule } from '../dmn/translate';
import '../dmn/dmn.css';
import { useLocale } from '../i18n';

interface View {
  type: 'drd' | 'decisionTable' | 'literalExpression';
  element: { id: string; name?: string };
}

export default function Decisions() {
  const { jurisdiction = '', key = '' } = useParams();
  const [search] = useSearchParams();
  const { locale } = useLocale();
  const text = dmnText(locale);
  const canvasRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<any>(null);
  const [name, setName] = useState('');
  const [definedAt, setDefinedAt] = useState(jurisdiction);
  const [base, setBase] = useState(0);
  const [views, setViews] = useState<View[]>([]);
  const [active, setActive] = useState<View | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    // Each view takes its own modules (dmn-js does not pass `common.additionalModules` on).
    const views = { additionalModules: [dmnTranslateModule(locale)] };
    const modeler = new DmnModeler({ container: canvasRef.current!, drd: views, decisionTable: views, literalExpression: views });
    modelerRef.current = modeler;
    modeler.on('views.changed', ({ views: all, activeView }: { views: View[]; activeView: View }) => {
      setViews(all);
      setActive(activeView);
    });
    (async () => {
      try {
        // A new document (?new=name) starts from the template unless the key is taken meanwhile.
        const wanted = search.get('new');
        const exists = wanted === null || (await decisionsApi.list(jurisdiction)).some((d) => d.key === key);
        const doc = exists ? await decisionsApi.get(jurisdiction, key) : null;
        if (cancelled) return;
        const xml = doc?.xml ?? newDecisionDocument(key, wanted || text.newTable, { input: locale === 'zh' ? '事项类别' : 'Category', output: locale === 'zh' ? '结果' : 'Result' });
        await modeler.importXML(xml);
        // A decision table is what officials edit: open the first one rather than the diagram.
        const table = (modeler.getViews() as View[]).find((v) => v.type === 'decisionTable');
        if (table) await modeler.open(table);
        setName(doc?.name ?? (wanted || text.newTable));
        setDefinedAt(doc?.definedAt ?? jurisdiction);
        setBase(doc?.version ?? 0);
        setReady(true);
      } catch (err) {
        if (!cancelled) setError(err);
      }
    })();
    return () => {
      cancelled = true;
      modeler.destroy();
      modelerRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jurisdiction, key, locale]);

  const decisionViews = views.filter((v) => v.type !== 'drd');
  const xml = async () => (await modelerRef.current.saveXML({ format: true })).xml as string;
  const stack = () => modelerRef.current?.getActiveViewer()?.get('commandStack');

  const deploy = async () => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const saved = await decisionsApi.deploy(jurisdiction, key, await xml(), base);
      setBase(saved.version);
      setDefinedAt(jurisdiction);
      setNotice(`${text.deployed} v${saved.version}`);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new ApiError(409, err.title, `${text.staleVersion}：${err.detail}`, err.errors) : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modeler-page dmn-page">
      <div className="toolbar">
        <Link to="/design">← {text.back}</Link>
        <strong>
          {name} · {jurisdiction}
        </strong>
        <span className="version-badge">
          {text.version} v{base}
          {definedAt !== jurisdiction && ` (${text.inherited} ${definedAt})`}
        </span>
        <button type="button" onClick={() => stack()?.undo()} aria-label={text.undo}>
          ↶
        </button>
        <button type="button" onClick={() => stack()?.redo()} aria-label={text.redo}>
          ↷
        </button>
        <button type="button" className="primary" onClick={deploy} disabled={busy || !ready}>
          {text.deploy}
        </button>
        <button type="button" onClick={async () => download(`${key}.dmn`, await xml(), 'application/xml')} disabled={!ready}>
          {text.exportDmn}
        </button>
      </div>
      {decisionViews.length > 1 && (
        <nav className="dmn-views" aria-label={text.decisionsInside}>
          {decisionViews.map((v) => (
            <button type="button" key={v.element.id} className={v === active ? 'active' : ''} onClick={() => modelerRef.current.open(v)}>
              {v.element.name || v.element.id}
            </button>
          ))}
        </nav>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBox error={error} />
      {!ready && !error && <Loading />}
      <div className="dmn-canvas" ref={canvasRef} />
    </div>
  );
}
