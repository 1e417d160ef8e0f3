// A jurisdiction's rule-set versions, newest first, each with what it changed (from its audit entry)
// and "恢复到此版本": the rules of that version rebuilt by undoing the later changes, confirmed, and
// saved as a new version (so a restore can itself be undone the same way).
import { useState } from 'react';
import { api, type AuditItem, type EffectiveRuleSet } from '../../api';
import { Async, ErrorBox, useAsync } from '../../components/common';
import { formatTime, useLocale, useT, versionLabel } from '../../i18n';
import { formatValue, own } from './RuleSetEditor';

type T = ReturnType<typeof useT>;
type Change = { path: string; from: unknown; to: unknown };
/** The members a save may set (PUT /api/jurisdictions/:id); other changes are not undone here. */
type Head = { name: string; parameters: Record<string, unknown>; vocabulary: Record<string, string>; groups: Record<string, string> };

const changesOf = (e: AuditItem): Change[] => e.detail?.changes ?? [];

/** The editable rules as they stood at `version`: the current ones with every later change undone, newest first. */
export function rulesAt(current: Head, entries: AuditItem[], version: number): Head {
  const head: Head = { ...current, parameters: { ...current.parameters }, vocabulary: { ...current.vocabulary }, groups: { ...current.groups } };
  const later = entries.filter((e) => (e.afterVersion ?? 0) > version).sort((a, b) => (b.afterVersion ?? 0) - (a.afterVersion ?? 0));
  for (const { path, from } of later.flatMap(changesOf)) {
    const [, member, key] = path.split('/');
    if (member === 'name' && typeof from === 'string') head.name = from;
    else if ((member === 'parameters' || member === 'vocabulary' || member === 'groups') && key !== undefined) {
      const map = head[member] as Record<string, unknown>;
      if (from === null || from === undefined) delete map[key];
      else map[key] = from;
    }
  }
  return head;
}

export function RuleSetHistory({ self, onRestored }: { self: EffectiveRuleSet; onRestored: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const entries = useAsync(
    async () =>
      (await api.audit.list({ jurisdiction: self.id, limit: 200 })).items
        .filter((e) => e.targetType === 'ruleset' && e.targetId === self.id && e.afterVersion)
        .sort((a, b) => (b.afterVersion ?? 0) - (a.afterVersion ?? 0)),
    [self.id, self.version],
  );
  const restore = async (all: AuditItem[], version: number) => {
    if (!window.confirm(t('confirmRestore').replace('{n}', String(version)))) return;
    setError(null);
    const current: Head = {
      name: self.name,
      parameters: own(self.parameters, self.sources.parameters, self.id),
      vocabulary: own(self.vocabulary, self.sources.vocabulary, self.id),
      groups: own(self.groups, self.sources.groups, self.id),
    };
    try {
      await api.jurisdictions.save(self.id, { ...rulesAt(current, all, version), parent: self.parent, baseVersion: self.version });
      setNotice(t('restoredVersion').replace('{n}', String(version)));
      onRestored();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="ruleset-history" aria-labelledby="ruleset-history">
      <h3 id="ruleset-history">{t('ruleSetHistory')}</h3>
      <ErrorBox error={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Async state={entries}>
        {(all) => (
          <ol className="versions">
            {all.map((e) => (
              <li key={e.id} data-version={e.afterVersion}>
                <strong>{versionLabel(t, e.afterVersion!)}</strong> · {e.actor === 'system' ? t('systemUser') : e.actor} · {formatTime(e.at, locale)}{' '}
                {e.afterVersion === self.version ? (
                  <em>{t('currentVersion')}</em>
                ) : (
                  <button type="button" className="link" onClick={() => restore(all, e.afterVersion!)}>
                    {t('restoreVersion')}
                  </button>
                )}
                <ul className="changes">
                  {changesOf(e).length === 0 && <li>{t('noChanges')}</li>}
                  {changesOf(e).map((c) => (
                    <li key={c.path}>
                      {changeLabel(c.path, self, t)}：<del>{shown(c, 'from', self, t)}</del> → <ins>{shown(c, 'to', self, t)}</ins>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </Async>
    </section>
  );
}

function changeLabel(path: string, self: EffectiveRuleSet, t: T): string {
  const [, member, key] = path.split('/');
  if (member === 'name') return t('changeName');
  if (member === 'parameters' && key) return self.parameterTypes[key]?.label ?? key;
  if (member === 'vocabulary' && key) return `${t('vocabulary')}“${key}”`;
  if (member === 'groups' && key) return `${t('groups')}“${self.groups[key] ?? key}”`;
  if (member === 'parameterTypes' && key) return `${t('parameters')}“${self.parameterTypes[key]?.label ?? key}”`;
  return t('ruleSet');
}

function shown(c: Change, side: 'from' | 'to', self: EffectiveRuleSet, t: T): string {
  const v = c[side];
  if (v === null || v === undefined) return t('none');
  const [, member, key] = c.path.split('/');
  if (member === 'parameters' && key) return formatValue(v, self.parameterTypes[key], t);
  if (typeof v === 'string') return v;
  return formatValue(v, undefined, t);
}
