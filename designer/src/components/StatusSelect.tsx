// The instance status filter of the lists (instances, ledger): any, or one status in words.
import { useT } from '../i18n';

export const INSTANCE_STATUSES = ['active', 'completed', 'cancelled', 'incident'] as const;

export function StatusSelect({ value, onChange }: { value: string; onChange: (status: string) => void }) {
  const t = useT();
  return (
    <label>
      {t('status')}{' '}
      <select name="status" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('any')}</option>
        {INSTANCE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
