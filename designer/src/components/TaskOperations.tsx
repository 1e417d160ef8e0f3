// The operations on an open task, phone first: pick one, give the colleague or the step and a
// reason (意见), confirm. 转办 and 委派 name a colleague; 退回 picks an earlier step of the case;
// 抄送 copies the case to people who may read it; 加签 (by the holder) adds signers before, after or
// alongside them.
import { useState } from 'react';
import { api, type SignMode, type Task } from '../api';
import { ErrorBox, useAsync } from './common';
import { PersonPicker } from './PersonPicker';
import { useT } from '../i18n';

type Op = 'transfer' | 'delegate' | 'resolve' | 'sign' | 'sendBack' | 'urge' | 'copy';
const LABELS = { transfer: 'opTransfer', delegate: 'opDelegate', resolve: 'opResolve', sign: 'opSign', sendBack: 'opReturn', urge: 'opUrge', copy: 'opCopy' } as const;
/** Offered only on a task the signed-in user holds. */
const HOLDER_ONLY: Op[] = ['resolve', 'sign'];
const SIGN_MODES = { before: 'signBefore', after: 'signAfter', parallel: 'signParallel' } as const;

/**
 * `me`: the signed-in user; 交回 and 加签 are offered only on a task they hold. `signing`: who
 * signs already (not offered again).
 */
export function TaskOperations({ task, me, signing = [], onDone }: { task: Task; me: string | undefined; signing?: string[]; onDone: () => void }) {
  const t = useT();
  const [op, setOp] = useState<Op | null>(null);
  const [people, setPeople] = useState<string[]>([]);
  const [step, setStep] = useState('');
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<SignMode>('before');
  const [error, setError] = useState<unknown>(null);
  const returnable = useAsync(() => (op === 'sendBack' ? api.operations.returnable(task.id) : Promise.resolve([])), [op, task.id]);

  const run = async () => {
    setError(null);
    try {
      if (op === 'transfer') await api.operations.transfer(task.id, people[0] ?? '', reason);
      else if (op === 'delegate') await api.operations.delegate(task.id, people[0] ?? '', reason);
      else if (op === 'resolve') await api.operations.resolve(task.id, reason);
      else if (op === 'sign') await api.operations.sign(task.id, people, mode, reason);
      else if (op === 'sendBack') await api.operations.sendBack(task.id, step || returnable.data?.[0]?.elementId || '', reason);
      else if (op === 'urge') await api.operations.urge(task.id, reason);
      else if (op === 'copy') await api.operations.copy(task.instanceId, people, reason);
      setOp(null);
      setPeople([]);
      setReason('');
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="task-operations" aria-label={t('operations')}>
      <div className="op-buttons" role="group">
        {(Object.keys(LABELS) as Op[]).filter((o) => !HOLDER_ONLY.includes(o) || task.assignee === me).map((o) => (
          <button key={o} type="button" aria-pressed={op === o} onClick={() => (setOp(op === o ? null : o), setPeople([]), setError(null))}>
            {t(LABELS[o])}
          </button>
        ))}
      </div>
      {op && (
        <form
          className="op-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          {(op === 'transfer' || op === 'delegate') && (
            // Those the task's (single) group allows; with several groups the server checks the pick.
            <PersonPicker label={t('colleague')} jurisdiction={task.jurisdiction} group={task.candidateGroups.length === 1 ? task.candidateGroups[0] : undefined} value={people} onChange={setPeople} exclude={[task.assignee ?? me ?? '']} single />
          )}
          {op === 'copy' && <PersonPicker label={t('copyTo')} jurisdiction={task.jurisdiction} value={people} onChange={setPeople} below />}
          {op === 'sign' && (
            <>
              <label>
                {t('signMode')}
                <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as SignMode)}>
                  {(Object.keys(SIGN_MODES) as SignMode[]).map((m) => (
                    <option key={m} value={m}>
                      {t(SIGN_MODES[m])}
                    </option>
                  ))}
                </select>
              </label>
              <PersonPicker label={t('signers')} jurisdiction={task.jurisdiction} value={people} onChange={setPeople} exclude={[me ?? '', ...signing]} />
            </>
          )}
          {op === 'sendBack' && (
            <label>
              {t('returnTo')}
              {returnable.data?.length ? (
                <select name="step" value={step || returnable.data[0]!.elementId} onChange={(e) => setStep(e.target.value)}>
                  {returnable.data.map((r) => (
                    <option key={r.elementId} value={r.elementId}>
                      {r.name}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="empty">{returnable.loading ? t('loading') : t('noReturnable')}</span>
              )}
            </label>
          )}
          <label>
            {t('reason')}
            <textarea name="reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required={op === 'sendBack'} />
          </label>
          <ErrorBox error={error} />
          <button type="submit">
            {t('confirm')} {t(LABELS[op])}
          </button>
        </form>
      )}
    </section>
  );
}
