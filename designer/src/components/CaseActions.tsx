// What anyone on a case may add beside its tasks: a 审批意见 (comment) for its history, and 撤回 by
// the starter while nobody else has acted (the server says 409 once someone has).
import { useState } from 'react';
import { api, type Instance } from '../api';
import { useT } from '../i18n';
import { ErrorBox } from './common';

/** A form with one text and a button; clears itself once `send` succeeded. */
function TextAction({ name, label, button, required, send }: { name: string; label: string; button: string; required?: boolean; send: (text: string) => Promise<unknown> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="op-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        send(text.trim()).then(() => setText(''), setError);
      }}
    >
      <label>
        {label}
        <textarea name={name} rows={2} value={text} onChange={(e) => setText(e.target.value)} required={required} />
      </label>
      <ErrorBox error={error} />
      <button type="submit">{button}</button>
    </form>
  );
}

export function CaseComment({ instanceId, onDone }: { instanceId: string; onDone: () => void }) {
  const t = useT();
  return <TextAction name="comment" label={t('commentText')} button={t('addComment')} required send={(text) => api.operations.comment(instanceId, text).then(onDone)} />;
}

/** 撤回, offered to the starter of an active case. */
export function Withdraw({ instance, me, onDone }: { instance: Instance; me: string | undefined; onDone: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  if (instance.status !== 'active' || !me || instance.startedBy !== me) return null;
  return (
    <section className="withdraw" aria-label={t('opWithdraw')}>
      <button type="button" aria-pressed={open} onClick={() => setOpen(!open)}>
        {t('opWithdraw')}
      </button>
      {open && (
        <>
          <p className="hint">{t('withdrawHint')}</p>
          <TextAction name="withdrawReason" label={t('withdrawReason')} button={`${t('confirm')} ${t('opWithdraw')}`} required send={(text) => api.operations.withdraw(instance.id, text).then(onDone)} />
        </>
      )}
    </section>
  );
}
