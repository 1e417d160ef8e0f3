// 新建下级辖区: a child under a jurisdiction the admin holds, created empty (it inherits everything)
// with PUT /api/jurisdictions/:id and baseVersion 0; its rules are then edited in the editor.
import { useState, type FormEvent } from 'react';
import { api, type Jurisdiction } from '../../api';
import { ErrorBox } from '../../components/common';
import { useT } from '../../i18n';

export function NewChild({ parents, onCreated }: { parents: Jurisdiction[]; onCreated: (id: string) => void }) {
  const t = useT();
  const [draft, setDraft] = useState({ id: '', name: '', parent: parents[0]?.id ?? '' });
  const [error, setError] = useState<unknown>(null);
  if (!parents.length) return null;
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.jurisdictions.save(draft.id, { name: draft.name, parent: draft.parent, parameters: {}, vocabulary: {}, groups: {}, baseVersion: 0 });
      onCreated(draft.id);
      setDraft({ ...draft, id: '', name: '' });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="inline new-child" onSubmit={create} aria-labelledby="new-child">
      <h2 id="new-child">{t('newChild')}</h2>
      <label>
        {t('parentJurisdiction')}{' '}
        <select name="parent" value={draft.parent} onChange={(e) => setDraft({ ...draft, parent: e.target.value })}>
          {parents.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('childName')} <input name="child-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
      </label>
      <label>
        {t('childId')} <input name="child-id" value={draft.id} pattern="[a-z0-9][a-z0-9\-]*" onChange={(e) => setDraft({ ...draft, id: e.target.value })} required />
      </label>
      <button type="submit">{t('create')}</button>
      <ErrorBox error={error} />
    </form>
  );
}
