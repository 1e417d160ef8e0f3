// The design page: bpmn-js modeler with the Zeebe properties panel, our form/group choices, Chinese
// labels, bpmnlint while editing, deploy as a new version (409 names who changed it), version
// history, export to BPMN/SVG/PNG. Undo/redo and keyboard shortcuts are bpmn-js's own.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import lintModule from 'bpmn-js-bpmnlint';
import minimapModule from 'diagram-js-minimap';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'diagram-js-minimap/assets/diagram-js-minimap.css';
import { api, ApiError, type Definition, type DefinitionVersion } from '../api';
import { ErrorBox, Loading, download } from '../components/common';
import { lintConfig } from '../bpmn/lint';
import { fitWidthReadable } from '../bpmn/readableZoom';
import { translateModule } from '../bpmn/translate';
import { yishiPropertiesModule } from '../bpmn/yishiProperties';
import { newProcessDocument } from '../bpmn/template';
import { formatTime, useLocale, useT, versionLabel } from '../i18n';
import { JurisdictionName, PersonName } from '../components/Names';
import { MigratePanel } from './design/MigratePanel';

interface Issue {
  id: string;
  message: string;
  category: string;
}

export default function Modeler() {
  const { jurisdiction = '', key = '' } = useParams();
  const [search] = useSearchParams();
  const t = useT();
  const { locale } = useLocale();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<any>(null);
  const [loaded, setLoaded] = useState<Definition | null>(null);
  const [base, setBase] = useState(0);
  const [versions, setVersions] = useState<DefinitionVersion[]>([]);
  const [nextStart, setNextStart] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const loadVersions = () =>
    Promise.all([
      api.processes.versions(jurisdiction, key).then(setVersions, setError),
      api.processes.schedule(jurisdiction, key).then((s) => setNextStart(s.nextStart), setError),
    ]);

  useEffect(() => {
    let modeler: any;
    let cancelled = false;
    (async () => {
      try {
        const [effective, processes] = await Promise.all([api.jurisdictions.effective(jurisdiction), api.processes.list(jurisdiction)]);
        // A new process (?new=name) starts from the template unless the key is taken meanwhile.
        const wanted = search.get('new');
        const def: Definition = wanted !== null && !processes.some((p) => p.key === key)
          ? { key, name: wanted, version: 0, definedAt: jurisdiction, xml: newProcessDocument(key, wanted, t('newStart')), createdAt: '', createdBy: '' }
          : await api.processes.get(jurisdiction, key);
        if (cancelled) return;
        modeler = new BpmnModeler({
          container: canvasRef.current!,
          propertiesPanel: { parent: panelRef.current! },
          linting: { bpmnlint: lintConfig, active: true },
          additionalModules: [
            BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, ZeebeBehaviorsModule, lintModule, minimapModule,
            translateModule(locale), yishiPropertiesModule({ forms: effective.forms, groups: effective.groups ?? {}, processes }),
          ],
          moddleExtensions: { zeebe: zeebeModdle },
        });
        modelerRef.current = modeler;
        modeler.on('linting.completed', ({ issues: byElement }: { issues: Record<string, Issue[]> }) => {
          setIssues(Object.entries(byElement).flatMap(([id, list]) => list.map((i) => ({ ...i, id }))));
        });
        const { warnings } = await modeler.importXML(def.xml);
        // What bpmn-js could not read would be dropped by the next deploy: say so before anyone edits.
        if (warnings.length) setError(new Error(warnings.map((w: Error) => w.message).join('；')));
        fitWidthReadable(modeler.get('canvas'));
        modeler.get('minimap').open();
        setLoaded(def);
        setBase(def.version);
        if (def.version) await loadVersions();
      } catch (err) {
        setError(err);
      }
    })();
    return () => {
      cancelled = true;
      modeler?.destroy();
      modelerRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jurisdiction, key, locale]);

  const xml = async () => (await modelerRef.current.saveXML({ format: true })).xml as string;
  const svg = async () => (await modelerRef.current.saveSVG()).svg as string;

  const deploy = async () => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const saved = await api.processes.deploy(jurisdiction, key, await xml(), base);
      setBase(saved.version);
      setNotice([`${t('deployed')} ${versionLabel(t, saved.version)}`, ...(saved.warnings ?? []).map((w) => w.message)].join('；'));
      await loadVersions();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? new ApiError(409, err.title, `${t('staleVersion')}：${err.detail}`, err.errors) : err);
    } finally {
      setBusy(false);
    }
  };

  const view = async (v: DefinitionVersion) => {
    setError(null);
    try {
      const def = await api.processes.get(v.definedAt, key, v.version);
      await modelerRef.current.importXML(def.xml);
      setNotice(`${t('viewVersion')} ${versionLabel(t, def.version)}`);
    } catch (err) {
      setError(err);
    }
  };

  const png = async () => {
    const image = new Image();
    const text = await svg();
    image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
    await image.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width: image.width * 2, height: image.height * 2 });
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => blob && download(`${key}.png`, blob, 'image/png'));
  };

  const focus = (id: string) => {
    const element = modelerRef.current?.get('elementRegistry').get(id);
    if (!element) return;
    modelerRef.current.get('selection').select(element);
    modelerRef.current.get('canvas').scrollToElement(element);
  };

  return (
    <div className="modeler-page">
      <div className="toolbar">
        <Link to="/design">← {t('design')}</Link>
        <Link to={`/simple/${jurisdiction}/${key}`}>{t('simpleDesigner')}</Link>
        <strong>
          {loaded?.name} · <JurisdictionName id={jurisdiction} />
        </strong>
        <span className="version-badge">
          {base ? versionLabel(t, base) : t('notDeployed')}
          {loaded && loaded.definedAt !== jurisdiction && (
            <>
              {' '}
              ({t('inherited')} <JurisdictionName id={loaded.definedAt} />)
            </>
          )}
        </span>
        <button type="button" onClick={() => modelerRef.current?.get('commandStack').undo()} aria-label="undo">
          ↶
        </button>
        <button type="button" onClick={() => modelerRef.current?.get('commandStack').redo()} aria-label="redo">
          ↷
        </button>
        <button type="button" onClick={() => fitWidthReadable(modelerRef.current.get('canvas'))} disabled={!loaded}>
          {t('fitWidth')}
        </button>
        <button type="button" onClick={() => modelerRef.current.get('canvas').zoom('fit-viewport')} disabled={!loaded}>
          {t('wholeDiagram')}
        </button>
        <button type="button" className="primary" onClick={deploy} disabled={busy || !loaded}>
          {t('deploy')}
        </button>
        <button type="button" onClick={async () => download(`${key}.bpmn`, await xml(), 'application/xml')} disabled={!loaded}>
          {t('exportBpmn')}
        </button>
        <button type="button" onClick={async () => download(`${key}.svg`, await svg(), 'image/svg+xml')} disabled={!loaded}>
          {t('exportSvg')}
        </button>
        <button type="button" onClick={() => png().catch(setError)} disabled={!loaded}>
          {t('exportPng')}
        </button>
        {nextStart && (
          <span className="version-badge">
            {t('nextTimedStart')}：{formatTime(nextStart, locale)}
          </span>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBox error={error} />
      {!loaded && !error && <Loading />}
      <div className="modeler">
        <div className="canvas" ref={canvasRef} />
        <div className="panel" ref={panelRef} />
      </div>
      <div className="below">
        <section className="lint" aria-label={t('problems')}>
          <h2>
            {t('problems')} ({issues.length})
          </h2>
          {issues.length === 0 ? (
            <p>{t('noProblems')}</p>
          ) : (
            <ul>
              {issues.map((i, n) => (
                <li key={n} className={i.category}>
                  <button type="button" className="link" onClick={() => focus(i.id)}>
                    {i.id}
                  </button>{' '}
                  {modelerRef.current?.get('translate')(i.message) ?? i.message}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="versions" aria-label={t('versions')}>
          <h2>{t('versions')}</h2>
          <ul>
            {versions.map((v) => (
              <li key={`${v.definedAt}-${v.version}`}>
                {versionLabel(t, v.version)} · <JurisdictionName id={v.definedAt} /> · <PersonName account={v.createdBy} name={v.createdByName} /> · {formatTime(v.createdAt, locale)}{' '}
                <button type="button" className="link" onClick={() => view(v)}>
                  {t('viewVersion')}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <MigratePanel jurisdiction={jurisdiction} processKey={key} versions={versions} />
      </div>
    </div>
  );
}
