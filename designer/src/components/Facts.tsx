// Read-only values as people read them: a list joined with 、, yes/no in Chinese.
export function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(formatValue).join('、');
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v && typeof v === 'object') return Object.values(v).map(formatValue).join(' ');
  return String(v ?? '');
}

/** Titled values, e.g. the matter a task is about above its form. */
export function Facts({ entries, label }: { entries: { title: string; value: unknown }[]; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {entries.map((e) => (
        <div key={e.title}>
          <dt>{e.title}</dt>
          <dd>{formatValue(e.value)}</dd>
        </div>
      ))}
    </dl>
  );
}
