// 公开: published consultation results per jurisdiction, without sign-in; readable on a phone, printable.
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { api } from '../api';
import { Async, useAsync } from '../components/common';
import { formatValue } from '../components/Facts';
import { formatTime, useLocale, useT } from '../i18n';

export default function Public() {
  return (
    <Routes>
      <Route index element={<PublicIndex />} />
      <Route path=":jurisdiction" element={<PublicResults />} />
    </Routes>
  );
}

function PublicIndex() {
  const t = useT();
  const list = useAsync(() => api.jurisdictions.list(), []);
  return (
    <div className="public">
      <h1>{t('publicResults')}</h1>
      <Async state={list}>
        {(all) => (
          <ul className="plain">
            {all.map((j) => (
              <li key={j.id}>
                <Link to={`/public/${j.id}`}>{j.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </Async>
    </div>
  );
}

function PublicResults() {
  const { jurisdiction = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const results = useAsync(() => api.publicResults.list({ jurisdiction, limit: 100 }), [jurisdiction]);
  const tree = useAsync(() => api.jurisdictions.list(), []);
  const name = tree.data?.find((j) => j.id === jurisdiction)?.name;
  return (
    <div className="public">
      <h1>
        {t('publicResults')}
        {name && ` · ${name}`}
      </h1>
      <button type="button" className="no-print" onClick={() => window.print()}>
        {t('print')}
      </button>
      <Async state={results}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t('noResults')}</p>
          ) : (
            page.items.map((r) => (
              <article key={r.id} className="result">
                <h2>{r.title}</h2>
                <p className="meta">
                  {r.jurisdictionName} · {t('publishedAt')} {formatTime(r.publishedAt, locale)}
                </p>
                <dl>
                  {/* Only fields the rule set gives a title: a resident never reads a variable's name. */}
                  {Object.entries(r.content).filter(([k]) => r.labels[k]).map(([k, v]) => (
                    <div key={k}>
                      <dt>{r.labels[k]}</dt>
                      <dd>{formatValue(v)}</dd>
                    </div>
                  ))}
                </dl>
              </article>
            ))
          )
        }
      </Async>
    </div>
  );
}
