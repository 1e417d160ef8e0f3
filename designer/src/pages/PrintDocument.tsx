// One printable document of a case (会议记录, 书面通知, 书面答复, 公示, 政府书面答复), filled by the server
// from the case's data and laid out on A4 after the official layout: issuer, 文号 and a red rule,
// the title, the particulars, the body, signature lines and the date. The browser prints it or
// saves it as PDF; only the document itself is printed.
import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { Async, useAsync } from '../components/common';
import { useT } from '../i18n';
import './print.css';

export default function PrintDocument() {
  const { id = '', document: key = '' } = useParams();
  const t = useT();
  const doc = useAsync(() => api.documents.get(id, key), [id, key]);
  return (
    <div className="print-view">
      <p className="no-print">
        <Link to={`/instances/${id}`}>← {t('back')}</Link>{' '}
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('printNow')}
        </button>
      </p>
      <Async state={doc}>
        {(d) => (
          <article className="print-page" aria-label={d.name}>
            <header className="doc-issuer">{d.issuer}</header>
            {d.docNo && <p className="doc-no">{d.docNo}</p>}
            <hr className="doc-rule" />
            <h1 className="doc-title">{d.title}</h1>
            {d.fields.length > 0 && (
              <table className="doc-fields">
                <tbody>
                  {d.fields.map((f) => (
                    <tr key={f.label}>
                      <th scope="row">{f.label}</th>
                      <td>{f.value ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {d.body.map((b, i) => (
              <section key={i} className="doc-section">
                {b.heading && <h2>{b.heading}</h2>}
                <p>{b.text ?? ''}</p>
              </section>
            ))}
            <div className="doc-signatures">
              {d.signatures.map((s) => (
                <p key={s}>
                  {s}（签字）：<span className="doc-line" />
                </p>
              ))}
              <p className="doc-date">{d.date ?? '　　年　　月　　日'}</p>
            </div>
            {d.attachments.length > 0 && (
              <section className="doc-attachments">
                <h2>{t('attachmentsHeading')}</h2>
                <ol>
                  {d.attachments.map((a) => (
                    <li key={a.id}>
                      {/* An absolute link, so it still opens from the saved PDF. */}
                      <a href={new URL(api.attachments.url(a.id), window.location.origin).href}>{a.name}</a>
                      {a.field && `（${a.field}）`}
                    </li>
                  ))}
                </ol>
              </section>
            )}
          </article>
        )}
      </Async>
    </div>
  );
}
