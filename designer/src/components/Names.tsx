// Names people read in place of internal ids: a jurisdiction's name, a process's name and the
// functional groups' labels, all from the rule set (fetched once per jurisdiction and kept).
import { useEffect, useState } from 'react';
import { api } from '../api';

interface RuleSetNames {
  jurisdiction: string;
  processes: Record<string, string>;
  groups: Record<string, string>;
}

const cache = new Map<string, Promise<RuleSetNames>>();
let tree: Promise<Record<string, string>> | undefined;

/** Every visible jurisdiction's name by id, fetched once (again when an id is not in it yet). */
function jurisdictionNames(id?: string): Promise<Record<string, string>> {
  const fetchTree = () => {
    tree = api.jurisdictions.list().then((list) => Object.fromEntries(list.map((j) => [j.id, j.name])));
    tree.catch(() => (tree = undefined));
    return tree;
  };
  return (tree ?? fetchTree()).then((names) => (id && !(id in names) ? fetchTree() : names));
}

/** A jurisdiction's name in place of its id; nothing until it is known. */
export function JurisdictionName({ id }: { id: string }) {
  const [name, setName] = useState('');
  useEffect(() => {
    let gone = false;
    jurisdictionNames(id).then((names) => gone || setName(names[id] ?? ''), () => undefined);
    return () => {
      gone = true;
    };
  }, [id]);
  return <>{name}</>;
}

function namesOf(jurisdiction: string): Promise<RuleSetNames> {
  let p = cache.get(jurisdiction);
  if (!p) {
    p = Promise.all([api.jurisdictions.effective(jurisdiction), api.processes.list(jurisdiction)]).then(([j, list]) => ({
      jurisdiction: j.name,
      processes: Object.fromEntries(list.map((x) => [x.key, x.name])),
      groups: j.groups ?? {},
    }));
    p.catch(() => cache.delete(jurisdiction));
    cache.set(jurisdiction, p);
  }
  return p;
}

export function useRuleSetNames(jurisdiction: string | undefined): RuleSetNames | null {
  const [names, setNames] = useState<RuleSetNames | null>(null);
  useEffect(() => {
    if (!jurisdiction) return;
    let gone = false;
    namesOf(jurisdiction).then((n) => gone || setNames(n), () => undefined);
    return () => {
      gone = true;
    };
  }, [jurisdiction]);
  return names;
}

/** "乌审旗 · 城乡社区协商 · 监督委员会" for a task or case; nothing until the names are there. */
export function CaseContext({ jurisdiction, processKey, groups }: { jurisdiction: string; processKey: string; groups?: string[] }) {
  const names = useRuleSetNames(jurisdiction);
  if (!names) return null;
  const parts = [names.jurisdiction, names.processes[processKey] ?? '', ...(groups ?? []).map((g) => names.groups[g] ?? '').filter(Boolean)];
  return <>{parts.filter(Boolean).join(' · ')}</>;
}
