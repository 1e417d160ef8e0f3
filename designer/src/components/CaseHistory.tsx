// A case's history (办理记录): engine steps and the operations on it (转办, 退回…) with their 意见.
import type { HistoryEntry } from '../api';
import { formatTime, useLocale, useT } from '../i18n';
import { useRuleSetNames } from './Names';
import { byLabel, stepLabel } from './steps';

const OPERATION_LABELS = {
  Transfer: 'opTransfer', Delegate: 'opDelegate', Resolve: 'opResolve', Return: 'opReturn', Withdraw: 'opWithdraw',
  CarbonCopy: 'opCopy', Urge: 'opUrge', Comment: 'opComment', Opinion: 'opOpinion', Sign: 'opSign', Unsign: 'opUnsign', Countersign: 'opCountersign',
  SignRefuse: 'opSignRefuse',
} as const;

/** Whom an operation names, by name: the colleague, the step returned to, the signers, the readers. */
function target(h: HistoryEntry, groups: Record<string, string>): string {
  const d = h.data ?? {};
  const person = (account: unknown) => (typeof account === 'string' ? h.names?.[account] ?? account : '');
  const people = (accounts: unknown) => (Array.isArray(accounts) ? accounts.map(person) : []);
  if (h.type === 'Return') return String(d.toName ?? '');
  if (h.type === 'Sign') return people(d.users).join('、');
  if (h.type === 'Unsign') return person(d.user);
  if (h.type === 'SignRefuse') return person(d.owner);
  if (h.type === 'CarbonCopy') return [...people(d.users), ...((d.groups as string[]) ?? []).map((g) => groups[g] ?? g)].join('、');
  return person(d.to);
}

/** `jurisdiction`: the case's, whose rule set names the groups copied to. */
export function CaseHistory({ entries, jurisdiction }: { entries: HistoryEntry[]; jurisdiction?: string }) {
  const t = useT();
  const { locale } = useLocale();
  const groups = useRuleSetNames(jurisdiction)?.groups ?? {};
  return (
    <ol className="case-history">
      {entries.map((h, i) => {
        const op = OPERATION_LABELS[h.type as keyof typeof OPERATION_LABELS];
        const comment = typeof h.data?.comment === 'string' ? h.data.comment : null;
        const to = op ? target(h, groups) : '';
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
