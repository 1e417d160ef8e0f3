// 作业程序令牌: bearer tokens for external job workers (Camunda's job API under /camunda/v2), issued
// for jurisdictions the admin holds; the token is shown once, right after issuing, then never again.
import { useState, type FormEvent } from 'react';
import { api, type Jurisdiction } from '../../api';
import { Async, ErrorBox, useAsync } from '../../components/common';
import { JurisdictionPicker } from '../../components/JurisdictionPicker';
import { useT } from '../../i18n';

export function ServiceTokens({ tree, held }: { tree: Jurisdiction[]; held: string[] }) {
  const t = useT();
  const tokens = useAsync(() => api.serviceTokens.list(), []);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [jurisdiction, setJurisdiction] = useState(held[0] ?? '');
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const nameOf = (id: string) => tree.find((j) => j.id === id)?.name ?? id;
  const issue = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await api.serviceTokens.issue(name, [jurisdiction]);
      setIssued({ name: res.name, token: res.token });
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.serviceTokens.revoke(id);
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="service-tokens">
      <h2 id="service-tokens">{t('serviceTokens')}</h2>
      <p className="hint">{t('tokensHint')}</p>
      <ErrorBox error={error} />
      {issued && (
        <div className="notice" role="status">
          {t('tokenShownOnce')} <strong>{issued.name}</strong>
          <pre className="token" aria-label={t('serviceTokens')}>{issued.token}</pre>
          <button type="button" className="link" onClick={() => setIssued(null)}>
            {t('close')}
          </button>
        </div>
      )}
      <Async state={tokens}>
        {(list) =>
          list.length ? (
            <table className="list">
              <thead>
                <tr>
                  <th>{t('tokenName')}</th>
                  <th>{t('jurisdiction')}</th>
                  <th>{t('issuedBy')}</th>
                  <th>{t('issuedAt')}</th>
                  <th>{t('status')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((tok) => (
                  <tr key={tok.id}>
                    <td>{tok.name}</td>
                    <td>{tok.jurisdictions.map(nameOf).join('、')}</td>
                    <td>{tok.createdBy}</td>
                    <td>{new Date(tok.createdAt).toLocaleString()}</td>
                    <td>{tok.revokedAt ? t('tokenRevoked') : t('tokenLive')}</td>
                    <td>
                      {!tok.revokedAt && (
                        <button type="button" className="link" onClick={() => revoke(tok.id)}>
                          {t('revokeToken')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{t('noTokens')}</p>
          )
        }
      </Async>
      <form className="inline" onSubmit={issue}>
        <label>
          {t('tokenName')} <input name="tokenName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <JurisdictionPicker value={jurisdiction} onChange={setJurisdiction} allowed={held} />
        <button type="submit">{t('issueToken')}</button>
      </form>
    </section>
  );
}
