// 台账: the cases of a jurisdiction and below, one row each with the rule set's columns; filters,
// search, and the whole filtered ledger as Excel or CSV (the server streams the file).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import type { LedgerPage } from '../api/ledger';
import { Async, useAsync } from '../components/common';
import { JurisdictionPicker } from '../components/JurisdictionPicker';
import { StatusSelect } from '../components/StatusSelect';
import { useT } from '../i18n';
import { useSession, useWorkingJurisdiction } from '../session';
import './officials.css';

const PAGE = 50;

/** A date cell as the Beijing calendar date (a plain date stays as it is). */
const shownDate = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : new Date(Date.parse(value) + 8 * 3600_000).toISOString().slice(0, 10));

export default function Ledger() {
  const t = useT();
  const { user } = useSession();
  const { jurisdiction, choose, allowed } = useWorkingJurisdiction([...new Set((user?.memberships ?? []).flatMap((m) => m.roles))]);
  const [filters, setFilters] = useState({ period: '', status: '', class: '', q: '' });
  const [pages, setPages] = useState(1);
  const params = { jurisdiction, ...filters };
  const list = useAsync(async () => {
    // The first `pages` pages, so "more" keeps what is shown and filters start again from the top.
    let page: LedgerPage = await api.ledger.page({ ...params, limit: PAGE });
    for (let n = 1; n < pages && page.nextCursor; n++) {
      const next = await api.ledger.page({ ...params, limit: PAGE, cursor: page.nextCursor });
      page = { ...next, items: [...page.items, ...next.items] };
    }
    return page;
  }, [jurisdiction, filters.period, filters.status, filters.class, filters.q, pages]);
  const set = (name: keyof typeof filters) => (value: string) => (setFilters({ ...filters, [name]: value.trim() }), setPages(1));

  return (
    <div className="ledger">
      <h1>{t('ledger')}</h1>
      <div className="filters" role="search">
        <JurisdictionPicker value={jurisdiction} onChange={(j) => (choose(j), setPages(1))} allowed={allowed} />
        <label>
          {t('period')} <input name="period" value={filters.period} onChange={(e) => set('period')(e.target.value)} placeholder="2026Q4" size={9} />
        </label>
        <StatusSelect value={filters.status} onChange={set('status')} />
        <label>
          {t('matterClass')} <input name="class" value={filters.class} onChange={(e) => set('class')(e.target.value)} placeholder="大事" size={6} />
        </label>
        <label>
          {t('search')} <input name="q" type="search" value={filters.q} onChange={(e) => set('q')(e.target.value)} placeholder={t('searchCases')} />
        </label>
        <a className="button" href={api.ledger.fileUrl(params, 'xlsx')} download>
          {t('exportXlsx')}
        </a>
        <a className="button" href={api.ledger.fileUrl(params, 'csv')} download>
          {t('exportCsv')}
        </a>
      </div>
      <Async state={list}>
        {(page) =>
          page.items.length ? (
            <>
              <table className="list ledger-table">
                <thead>
                  <tr>
                    {page.columns.map((c) => (
                      <th key={c.header}>{c.header}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((row) => (
                    <tr key={row.instanceId} className={row.status}>
                      {row.cells.map((value, i) => (
                        <td key={i} className={page.columns[i].type === 'date' || value === row.no ? 'nowrap' : undefined}>
                          {value !== null && value === row.no ? <Link to={`/instances/${row.instanceId}`}>{value}</Link> : value === null ? '' : page.columns[i].type === 'date' ? shownDate(value) : value}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {page.nextCursor && (
                <button type="button" onClick={() => setPages(pages + 1)}>
                  {t('more')}
                </button>
              )}
            </>
          ) : (
            <p className="empty">{t('noCases')}</p>
          )
        }
      </Async>
    </div>
  );
}
