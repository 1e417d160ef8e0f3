// The print buttons of a case: one per document its rule set offers for its process.
import { Link } from 'react-router-dom';
import { api } from '../api';
import { useAsync } from './common';
import { useT } from '../i18n';

export function CaseDocuments({ instanceId }: { instanceId: string }) {
  const t = useT();
  const list = useAsync(() => api.documents.list(instanceId), [instanceId]);
  if (!list.data?.length) return null;
  return (
    <nav className="case-documents" aria-label={t('documents')}>
      {t('documents')}：
      {list.data.map((d) => (
        <Link key={d.key} className="button" to={`/print/${instanceId}/${d.key}`}>
          {t('print')}{d.name}
        </Link>
      ))}
    </nav>
  );
}
