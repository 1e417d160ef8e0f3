// A task's 加签 chain on the task page: who was added (前/后/并加签), who has approved, and 减签
// for whoever added them while a signer has not acted yet.
import { useState } from 'react';
import { api, type SignChain as Chain } from '../api';
import { useT } from '../i18n';
import { ErrorBox } from './common';

const MODE_LABELS = { before: 'modeBefore', after: 'modeAfter', parallel: 'modeParallel' } as const;

export function SignChain({ taskId, chain, me, onChange }: { taskId: string; chain: Chain; me: string | undefined; onChange: () => void }) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const unsign = async (username: string) => {
    setError(null);
    try {
      await api.operations.unsign(taskId, username);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  if (!chain.signers.length) return null;
  return (
    <section className="sign-chain" aria-label={t('signChain')}>
      <h2>{t('signChain')}</h2>
      <ul>
        {chain.signers.map((s) => (
          <li key={`${s.username}:${s.mode}`} className={s.refused ? 'refused' : s.acted ? 'acted' : 'waiting'}>
            <span>
              {chain.names[s.username] ?? s.username} · {t(MODE_LABELS[s.mode])} · {s.refused ? t('refuse') : s.acted ? t('signActed') : t('signWaiting')}
            </span>
            {!s.acted && chain.owner === me && (
              <button type="button" onClick={() => void unsign(s.username)} aria-label={`${t('opUnsign')} ${chain.names[s.username] ?? s.username}`}>
                {t('opUnsign')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
    </section>
  );
}
