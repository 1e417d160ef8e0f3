// The case's process drawn read-only (pan and zoom with the fingers or the mouse), fitted to the
// box at a readable zoom and centred on the step the case waits at, which is marked.
import { useEffect, useRef, useState } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './caseDiagram.css';
import { api } from '../api';
import { ErrorBox } from './common';
import { useT } from '../i18n';
import type { CaseDiagramProps } from './CaseDiagram';
import { hasNoLayout } from './diagramLayout';

/** Long diagrams fitted whole are unreadable on a phone: show the current step at a readable zoom. */
const READABLE = 0.8;
function centreAt(canvas: any, element: { x: number; y: number; width: number; height: number }) {
  const { outer } = canvas.viewbox();
  const width = outer.width / READABLE;
  const height = outer.height / READABLE;
  canvas.viewbox({ x: element.x + element.width / 2 - width / 2, y: element.y + element.height / 2 - height / 2, width, height });
}

export default function CaseDiagramView({ jurisdiction, processKey, version, current }: CaseDiagramProps) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [names, setNames] = useState<string[]>([]);
  const [noLayout, setNoLayout] = useState(false);
  const key = current.join(',');
  useEffect(() => {
    const viewer = new NavigatedViewer({ container: box.current! });
    let gone = false;
    (async () => {
      const { xml } = await api.processes.get(jurisdiction, processKey, version);
      if (gone) return;
      await viewer.importXML(xml);
      const canvas = viewer.get<any>('canvas');
      const registry = viewer.get<any>('elementRegistry');
      const marked = current.map((id) => registry.get(id)).filter(Boolean);
      for (const element of marked) canvas.addMarker(element.id, 'case-current');
      if (marked[0]) centreAt(canvas, marked[0]);
      else canvas.zoom('fit-viewport');
      setNames(marked.map((e: any) => e.businessObject?.name).filter(Boolean));
    })().catch((err) => gone || (hasNoLayout(err) ? setNoLayout(true) : setError(err)));
    return () => {
      gone = true;
      viewer.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jurisdiction, processKey, version, key]);
  return (
    <figure className="case-diagram-view">
      <ErrorBox error={error} />
      {noLayout && <p className="hint">{t('diagramNoLayout')}</p>}
      <div className="case-diagram-canvas" ref={box} role="img" aria-label={`${t('diagramNow')}：${names.join('、')}`} />
      {names.length > 0 && (
        <figcaption>
          {t('diagramNow')}：{names.join('、')}
        </figcaption>
      )}
    </figure>
  );
}
