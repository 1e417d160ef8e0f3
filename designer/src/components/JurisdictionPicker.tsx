// The jurisdiction a page works in, chosen among those the user may act in (and their children).
import { api, type Jurisdiction } from '../api';
import { useT } from '../i18n';
import { useAsync } from './common';

export function useJurisdictions() {
  return useAsync(() => api.jurisdictions.list(), []);
}

export function JurisdictionPicker({ value, onChange, allowed, allowAll }: { value: string; onChange: (id: string) => void; allowed?: string[]; allowAll?: boolean }) {
  const t = useT();
  const list = useJurisdictions();
  const items = (list.data ?? []).filter((j) => !allowed || allowed.some((a) => isWithin(list.data ?? [], j.id, a)));
  return (
    <label className="picker">
      {t('jurisdiction')}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={t('jurisdiction')}>
        {allowAll && <option value="">{t('allJurisdictions')}</option>}
        {items.map((j) => (
          <option key={j.id} value={j.id}>
            {j.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** True when id is ancestor itself or below it in the tree. */
export function isWithin(all: Jurisdiction[], id: string, ancestor: string): boolean {
  const seen = new Set<string>();
  for (let j = all.find((x) => x.id === id); j && !seen.has(j.id); j = all.find((x) => x.id === j!.parent)) {
    if (j.id === ancestor) return true;
    seen.add(j.id);
  }
  return false;
}
