// "Where does the case stand?": a button on the task page that opens a small read-only diagram of
// the case's process version with its current steps marked. The viewer (bpmn-js) loads only when
// someone opens it, so the task page itself stays within its download budget.
import { lazy, Suspense, useState } from 'react';
import { useT } from '../i18n';
import { Loading } from './common';

const CaseDiagramView = lazy(() => import('./CaseDiagramView'));

export interface CaseDiagramProps {
  jurisdiction: string;
  processKey: string;
  version: number;
  /** The element ids the case waits at now. */
  current: string[];
}

export function CaseDiagram(props: CaseDiagramProps) {
  const t = useT();
  const [shown, setShown] = useState(false);
  return (
    <div className="case-diagram">
      <button type="button" className="link" aria-expanded={shown} onClick={() => setShown(!shown)}>
        {t(shown ? 'hideDiagram' : 'showDiagram')}
      </button>
      {shown && (
        <Suspense fallback={<Loading />}>
          <CaseDiagramView {...props} />
        </Suspense>
      )}
    </div>
  );
}
