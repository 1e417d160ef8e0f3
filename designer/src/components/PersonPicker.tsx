// A person picker, phone first: people are chosen by the name they are known by, searched as one
// types, among those the server says may be named in the jurisdiction (or hold `group` there); the
// accounts are what the form keeps underneath.
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Person } from '../api/users';
import { useT } from '../i18n';

interface Props {
  label: string;
  jurisdiction: string;
  group?: string;
  /** The chosen accounts. */
  value: string[];
  onChange: (accounts: string[]) => void;
  /** Accounts not to offer (the signed-in user, those already signing). */
  exclude?: string[];
  /** One person only (a colleague to hand a task to). */
  single?: boolean;
  /** Also the people of the jurisdictions under it (抄送). */
  below?: boolean;
}

/** Display names learnt from the server's answers, by account; accounts it no longer knows. */
const known = new Map<string, string>();
const gone = new Set<string>();
const learn = (people: Person[]) => people.forEach((p) => known.set(p.username, p.displayName));
/** The name, '…' while it is looked up, the account of someone no longer there. */
const nameOf = (account: string) => known.get(account) ?? (gone.has(account) ? account : '…');

/** Names of accounts (read back from a saved diagram, say), looked up once each. */
function useNames(accounts: string[], jurisdiction: string, below?: boolean) {
  const [, setLearnt] = useState(0);
  useEffect(() => {
    const unknown = accounts.filter((a) => !known.has(a) && !gone.has(a));
    if (!unknown.length || !jurisdiction) return;
    let left = false;
    const lookUp = (a: string) =>
      api.users.people(jurisdiction, undefined, a, below).then((people) => {
        learn(people);
        if (!known.has(a)) gone.add(a);
      }, () => undefined);
    void Promise.all(unknown.map(lookUp)).then(() => left || setLearnt((n) => n + 1));
    return () => {
      left = true;
    };
  }, [accounts.join(','), jurisdiction]); // eslint-disable-line react-hooks/exhaustive-deps
  return nameOf;
}

/** People by name, 、-separated. */
export function PeopleNames({ accounts, jurisdiction }: { accounts: string[]; jurisdiction: string }) {
  const name = useNames(accounts, jurisdiction);
  return <>{accounts.map(name).join('、')}</>;
}

export function PersonPicker({ label, jurisdiction, group, value, onChange, exclude = [], single, below }: Props) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<Person[]>([]);

  // Search as one types, a moment after the last key.
  useEffect(() => {
    if (!open || !jurisdiction) return;
    let left = false;
    const timer = setTimeout(() => {
      api.users.people(jurisdiction, group || undefined, query.trim() || undefined, below).then((people) => {
        learn(people);
        if (!left) setFound(people);
      }, () => left || setFound([]));
    }, 200);
    return () => {
      left = true;
      clearTimeout(timer);
    };
  }, [open, query, jurisdiction, group, below]);

  const nameOf = useNames(value, jurisdiction, below);

  const pick = (p: Person) => {
    onChange(single ? [p.username] : [...value, p.username]);
    setQuery('');
    if (single) setOpen(false);
  };
  const offered = found.filter((p) => !value.includes(p.username) && !exclude.includes(p.username));

  return (
    <div className="person-picker">
      <span className="picker-label">{label}</span>
      {!!value.length && (
        <ul className="chosen" aria-label={label}>
          {value.map((a) => (
            <li key={a}>
              <span>{nameOf(a)}</span>
              <button type="button" aria-label={`${t('removePerson')} ${nameOf(a)}`} onClick={() => onChange(value.filter((x) => x !== a))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {(!single || !value.length) && (
        <input
          type="search"
          aria-label={`${label}：${t('searchPerson')}`}
          placeholder={t('searchPerson')}
          value={query}
          onFocus={() => setOpen(true)}
          onChange={(e) => (setQuery(e.target.value), setOpen(true))}
          autoComplete="off"
          enterKeyHint="search"
        />
      )}
      {open && (!single || !value.length) && (
        <ul className="found" role="listbox" aria-label={t('searchPerson')}>
          {offered.map((p) => (
            <li key={p.username} role="option" aria-selected={false}>
              <button type="button" onClick={() => pick(p)}>
                {p.displayName}
              </button>
            </li>
          ))}
          {!offered.length && <li className="empty">{t('noPeople')}</li>}
        </ul>
      )}
    </div>
  );
}
