// 流程实例: instances of the chosen jurisdiction (and below) filtered by process and status.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { Async, useAsync } from '../components/common';
import { JurisdictionPicker } from '../components/JurisdictionPicker';
import { INSTANCE_STATUSES, StatusSelect } from '../components/StatusSelect';
import { formatTime, useLocale, useT } from '../i18n';
import { useWorkingJurisdiction } from '../session';

export default function Instances() {
  const t = useT();
  const { locale } = useLocale();
  const { jurisdiction, choose, allowed } = useWorkingJurisdiction(['official', 'admin']);
  const [status, setStatus] = useState('');
  const [processKey, setProcessKey] = useState('');
  const [search, setSearch] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useAsync(() => api.instances.list({ jurisdiction, status, processKey, q: search, cursor, limit: 50 }), [jurisdiction, status, processKey, search, cursor]);
  return (
    <div>
      <h1>{t('instances')}</h1>
      <div className="filters">
        <JurisdictionPicker value={jurisdiction} onChange={(j) => (choose(j), setCursor(null))} allowed={allowed} />
        <StatusSelect value={status} onChange={(s) => (setStatus(s), setCursor(null))} />
        <label>
          {t('process')} <input value={processKey} onChange={(e) => (setProcessKey(e.target.value.trim()), setCursor(null))} placeholder="consultation" />
        </label>
        <label>
          {t('search')} <input type="search" value={search} onChange={(e) => (setSearch(e.target.value.trim()), setCursor(null))} placeholder={t('searchCases')} />
        </label>
      </div>
      <Async state={list}>
        {(page) => (
          <>
            <table className="list">
              <thead>
                <tr>
                  <th>{t('caseNo')}</th>
                  <th>{t('caseTitle')}</th>
                  <th>{t('process')}</th>
                  <th>{t('jurisdiction')}</th>
                  <th>{t('status')}</th>
                  <th>{t('waitingOn')}</th>
                  <th>{t('startedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((i) => (
                  <tr key={i.id} className={i.status}>
                    <td>{i.no}</td>
                    <td>{i.title ?? t('untitled')}</td>
                    <td>
                      <Link to={`/instances/${i.id}`}>
                        {i.processKey} v{i.version}
                      </Link>
                    </td>
                    <td>{i.jurisdiction}</td>
                    <td>{t(i.status as (typeof INSTANCE_STATUSES)[number])}</td>
                    <td>{i.active.map((a) => a.name || a.elementId).join('、')}</td>
                    <td>{formatTime(i.startedAt, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.nextCursor && (
              <button type="button" onClick={() => setCursor(page.nextCursor)}>
                →
              </button>
            )}
          </>
        )}
      </Async>
    </div>
  );
}
