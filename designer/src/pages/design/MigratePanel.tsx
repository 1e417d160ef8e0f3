// 迁移运行中的实例, beside the version history: pick the versions, map each element of the old
// version that the new one lacks (an unchanged element maps itself), try it (a dry run says which
// instances would move and why the others cannot), then migrate after a confirmation.
import { useEffect, useState } from 'react';
import { api, type DefinitionVersion, type MigrationReport } from '../../api';
import { ErrorBox } from '../../components/common';
import { useT } from '../../i18n';

interface FlowNode {
  id: string;
  name: string;
  type: string;
}

/** The flow nodes of a BPMN text (those an instance can wait in). */
function flowNodes(xml: string): FlowNode[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const process = doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', 'process')[0];
  if (!process) return [];
  return [...process.getElementsByTagName('*')]
    .filter((e) => /(Task|Event)$/.test(e.localName) && e.getAttribute('id'))
    .map((e) => ({ id: e.getAttribute('id')!, name: e.getAttribute('name') || e.getAttribute('id')!, type: e.localName }));
}

export function MigratePanel({ jurisdiction, processKey, versions }: { jurisdiction: string; processKey: string; versions: DefinitionVersion[] }) {
  const t = useT();
  const numbers = [...new Set(versions.map((v) => v.version))].sort((a, b) => a - b);
  const latest = numbers[numbers.length - 1] ?? 0;
  const [from, setFrom] = useState(numbers[0] ?? 0);
  const [to, setTo] = useState(latest);
  const [missing, setMissing] = useState<{ node: FlowNode; choices: FlowNode[] }[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [report, setReport] = useState<{ dryRun: boolean; result: MigrationReport } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setTo(latest), [latest]);
  useEffect(() => {
    if (!from || !to || from === to) return setMissing([]);
    let cancelled = false;
    Promise.all([api.processes.get(jurisdiction, processKey, from), api.processes.get(jurisdiction, processKey, to)]).then(([a, b]) => {
      if (cancelled) return;
      const target = flowNodes(b.xml);
      const gone = flowNodes(a.xml).filter((n) => !target.some((x) => x.id === n.id));
      setMissing(gone.map((node) => ({ node, choices: target.filter((x) => x.type === node.type) })));
      setMapping(Object.fromEntries(gone.flatMap((n) => target.filter((x) => x.type === n.type && x.name === n.name).map((x) => [n.id, x.id]))));
      setReport(null);
    }, setError);
    return () => {
      cancelled = true;
    };
  }, [jurisdiction, processKey, from, to]);
  if (numbers.length < 2) return null;

  const run = async (dryRun: boolean) => {
    setError(null);
    if (!dryRun && !window.confirm(`${t('migrate')}：v${from} → v${to}？`)) return;
    try {
      setReport({ dryRun, result: await api.instances.migrate({ jurisdiction, processKey, fromVersion: from, toVersion: to, mapping }, dryRun) });
    } catch (err) {
      setError(err);
    }
  };
  const versionSelect = (label: string, value: number, set: (n: number) => void) => (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => set(Number(e.target.value))}>
        {numbers.map((n) => (
          <option key={n} value={n}>
            v{n}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="migrate" aria-label={t('migrate')}>
      <h2>{t('migrate')}</h2>
      {versionSelect(t('fromVersion'), from, setFrom)} {versionSelect(t('toVersion'), to, setTo)}
      {missing.length > 0 && (
        <table className="list" aria-label={t('mapping')}>
          <thead>
            <tr>
              <th>v{from}</th>
              <th>v{to}</th>
            </tr>
          </thead>
          <tbody>
            {missing.map(({ node, choices }) => (
              <tr key={node.id}>
                <td>{node.name}</td>
                <td>
                  <select aria-label={`${node.name} → v${to}`} value={mapping[node.id] ?? ''} onChange={(e) => setMapping({ ...mapping, [node.id]: e.target.value })}>
                    <option value="">—</option>
                    {choices.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" onClick={() => run(true)} disabled={from === to}>
          {t('dryRun')}
        </button>{' '}
        <button type="button" className="primary" onClick={() => run(false)} disabled={from === to}>
          {t('migrateNow')}
        </button>
      </p>
      <ErrorBox error={error} />
      {report && (
        <div role="status">
          <p>
            {report.dryRun ? t('wouldMigrate') : t('migrated')}：{report.result.migrated.length} · {t('refused')}：{report.result.refused.length}
          </p>
          {report.result.refused.length > 0 && (
            <ul>
              {report.result.refused.map((r) => (
                <li key={r.id}>
                  <a href={`/instances/${r.id}`}>{r.id.slice(0, 8)}</a> {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
