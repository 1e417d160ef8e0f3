// A case's history (办理记录): engine steps and the operations on it (转办, 退回…) with their 意见.
import type { HistoryEntry } from '../api';
import { formatTime, useLocale, useT } from '../i18n';
import { byLabel, stepLabel } from './steps';

const OPERATION_LABELS = {
  Transfer: 'opTransfer', Delegate: 'opDelegate', Resolve: 'opResolve', Return: 'opReturn', Withdraw: 'opWithdraw',
  CarbonCopy: 'opCopy', Urge: 'opUrge', Comment: 'opComment', Opinion: 'opOpinion', Sign: 'opSign', Unsign: 'opUnsign', Countersign: 'opCountersign',
} as const;

/** Whom an operation names: the colleague, the step returned to, the readers. */
function target(h: HistoryEntry): string {
  const d = h.data ?? {};
  if (h.type === 'Return') return String(d.toName ?? '');
  if (h.type === 'Sign') return ((d.users as string[]) ?? []).join('、');
  if (h.type === 'Unsign') return String(d.user ?? '');
  if (h.type === 'CarbonCopy') return [...((d.users as string[]) ?? []), ...((d.groups as string[]) ?? [])].join('、');
  return typeof d.to === 'string' ? d.to : '';
}

export function CaseHistory({ entries }: { entries: HistoryEntry[] }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <ol className="case-history">
      {entries.map((h, i) => {
        const op = OPERATION_LABELS[h.type as keyof typeof OPERATION_LABELS];
        const comment = typeof h.data?.comment === 'string' ? h.data.comment : null;
        const to = op ? target(h) : '';
        return (
          <li key={i} className={op ? `operation op-${h.type}` : undefined}>
            <span>
              {op && <strong>{t(op)}</strong>} {op ? h.name : stepLabel(h)}
              {to && ` → ${to}`}
            </span>
            {comment && <q className="comment">{comment}</q>}
            <small>
              {formatTime(h.at, locale)}
              {byLabel(h) && ` · ${byLabel(h)}`}
            </small>
          </li>
        );
      })}
    </ol>
  );
}
