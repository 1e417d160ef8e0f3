// 流程设计: the jurisdiction's effective processes, inherited ones marked with where they come from.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { Async, ErrorBox, useAsync } from '../components/common';
import { JurisdictionPicker } from '../components/JurisdictionPicker';
import { useT } from '../i18n';
import { useWorkingJurisdiction } from '../session';
import { useNavigate } from 'react-router-dom';

export default function Processes() {
  const t = useT();
  const navigate = useNavigate();
  const { jurisdiction, choose, allowed } = useWorkingJurisdiction(['official', 'admin']);
  const list = useAsync(() => (jurisdiction ? api.processes.list(jurisdiction) : Promise.resolve([])), [jurisdiction]);
  const [startError, setStartError] = useState<unknown>(null);
  const start = async (key: string) => {
    setStartError(null);
    try {
      const inst = await api.instances.start(jurisdiction, key);
      navigate(`/instances/${inst.id}`);
    } catch (err) {
      setStartError(err);
    }
  };
  return (
    <div>
      <h1>{t('design')}</h1>
      <JurisdictionPicker value={jurisdiction} onChange={choose} allowed={allowed} />
      {jurisdiction && (
        <p>
          <Link className="button" to={`/simple/${jurisdiction}`}>
            {t('newSimple')}
          </Link>
        </p>
      )}
      <ErrorBox error={startError} />
      <Async state={list}>
        {(items) => (
          <table className="list">
            <thead>
              <tr>
                <th>{t('process')}</th>
                <th>{t('version')}</th>
                <th>{t('jurisdiction')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.key}>
                  <td>
                    <Link to={`/design/${jurisdiction}/${p.key}`}>{p.name || p.key}</Link> <code>{p.key}</code>{' '}
                    <Link to={`/simple/${jurisdiction}/${p.key}`}>{t('simpleDesigner')}</Link>
                  </td>
                  <td>v{p.version}</td>
                  <td>{p.definedAt === jurisdiction ? t('definedHere') : `${t('inherited')} ${p.definedAt}`}</td>
                  <td>
                    <button type="button" onClick={() => start(p.key)}>
                      {t('startInstance')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </div>
  );
}
