// 管理: the jurisdiction tree with export per jurisdiction and its rules edited in place (a new
// child created under one the admin holds), rule-set import from a file (every problem listed when
// refused), users with their roles per jurisdiction, and bearer tokens for external job workers.
import { useState, type FormEvent } from 'react';
import { api, type Jurisdiction, type User } from '../api';
import { Async, ErrorBox, download, useAsync } from '../components/common';
import { isWithin, useJurisdictions } from '../components/JurisdictionPicker';
import { useT } from '../i18n';
import { rolesAnywhere, useSession } from '../session';
import { NewChild } from './admin/NewChild';
import { RuleSetEditor } from './admin/RuleSetEditor';
import { TreeCounts, useTreeCounts, type Counts } from './admin/TreeCounts';
import { ServiceTokens } from './admin/ServiceTokens';

export default function Admin() {
  const t = useT();
  const tree = useJurisdictions();
  const { user } = useSession();
  const [editing, setEditing] = useState<string | null>(null);
  const held = rolesAnywhere(user, ['admin']);
  // Counts only where this admin may read: the others would answer 403.
  const counts = useTreeCounts(tree.data?.filter((j) => held.some((h) => isWithin(tree.data!, j.id, h))));
  return (
    <div className="admin">
      <h1>{t('admin')}</h1>
      <div className="split">
        <section aria-labelledby="tree">
          <h2 id="tree">{t('tree')}</h2>
          <Async state={tree}>
            {(all) => <Tree all={all} parent={null} counts={counts} onEdit={setEditing} editable={(id) => held.some((h) => isWithin(all, id, h))} />}
          </Async>
        </section>
        <div>
          <ImportBundle onImported={tree.reload} />
          <Async state={tree}>
            {(all) => <NewChild parents={all.filter((j) => held.some((h) => isWithin(all, j.id, h)))} onCreated={(id) => (tree.reload(), setEditing(id))} />}
          </Async>
        </div>
      </div>
      {editing && tree.data && <RuleSetEditor id={editing} tree={tree.data} onSaved={tree.reload} />}
      <Users />
      {tree.data && held.length > 0 && <ServiceTokens tree={tree.data} held={held} />}
    </div>
  );
}

function Tree({ all, parent, counts, onEdit, editable }: { all: Jurisdiction[]; parent: string | null; counts: Record<string, Counts>; onEdit: (id: string) => void; editable: (id: string) => boolean }) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const children = all.filter((j) => j.parent === parent);
  if (!children.length) return null;
  const exportBundle = async (id: string) => {
    setError(null);
    try {
      download(`${id}.ruleset.json`, JSON.stringify(await api.ruleSets.export(id), null, 2), 'application/json');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <ul className="tree">
      <ErrorBox error={error} />
      {children.map((j) => (
        <li key={j.id} data-jurisdiction={j.id}>
          {/* The id is for admins only (bundle files, the new-child form): a tooltip, not the line a person reads. */}
          <span className="tree-name" title={j.id}>
            {j.name}
          </span>{' '}
          <button type="button" className="link" onClick={() => exportBundle(j.id)}>
            {t('exportBundle')}
          </button>{' '}
          {editable(j.id) && (
            <button type="button" className="link" onClick={() => onEdit(j.id)} aria-label={`${t('editRuleSet')} ${j.name}`}>
              {t('editRuleSet')}
            </button>
          )}
          <br />
          <TreeCounts counts={counts[j.id]} />
          <Tree all={all} parent={j.id} counts={counts} onEdit={onEdit} editable={editable} />
        </li>
      ))}
    </ul>
  );
}

function ImportBundle({ onImported }: { onImported: () => void }) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setDone('');
    try {
      const bundle = JSON.parse(await file.text());
      await api.ruleSets.import(bundle);
      setDone(`${t('importDone')}: ${bundle.jurisdiction?.name ?? ''} (${bundle.jurisdiction?.id ?? ''})`);
      onImported();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="import">
      <h2 id="import">{t('importBundle')}</h2>
      <label>
        {t('chooseFile')} <input type="file" name="bundle" accept="application/json,.json" onChange={(e) => upload(e.target.files?.[0])} />
      </label>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {!!error && (
        <div>
          <h3>{t('importRefused')}</h3>
          <ErrorBox error={error} />
        </div>
      )}
    </section>
  );
}

/** "national: staff, council；anhui: official" ⇄ memberships. */
const formatRoles = (u: User) => u.memberships.map((m) => `${m.jurisdiction}: ${m.roles.join(', ')}`).join('；');
const parseRoles = (text: string) =>
  text.split(/[；;]/).map((part) => part.trim()).filter(Boolean).map((part) => {
    const [jurisdiction, roles = ''] = part.split(/[:：]/);
    return { jurisdiction: jurisdiction.trim(), roles: roles.split(/[,，\s]+/).filter(Boolean) };
  });

/** A user's roles per jurisdiction, editable in place (PUT /api/users/:username). */
function RolesCell({ user, onSaved, onError }: { user: User; onSaved: () => void; onError: (err: unknown) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <>
        {formatRoles(user)}{' '}
        <button type="button" className="link" onClick={() => setDraft(formatRoles(user))}>
          {t('editRoles')}
        </button>
      </>
    );
  }
  const save = async () => {
    try {
      await api.users.update(user.username, { memberships: parseRoles(draft) });
      setDraft(null);
      onSaved();
    } catch (err) {
      onError(err);
    }
  };
  return (
    <>
      <input aria-label={`${t('roles')} ${user.username}`} value={draft} onChange={(e) => setDraft(e.target.value)} size={40} />
      <button type="button" onClick={save}>
        {t('save')}
      </button>
      <button type="button" className="link" onClick={() => setDraft(null)}>
        {t('cancel')}
      </button>
    </>
  );
}

function Users() {
  const t = useT();
  const users = useAsync(() => api.users.list(), []);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState({ username: '', displayName: '', password: '', jurisdiction: '', roles: 'staff' });
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.users.create({
        username: draft.username, displayName: draft.displayName, password: draft.password,
        memberships: parseRoles(`${draft.jurisdiction}: ${draft.roles}`),
      });
      setDraft({ ...draft, username: '', displayName: '', password: '' });
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (username: string) => {
    if (!window.confirm(t('confirmDeleteUser').replace('{name}', username))) return;
    setError(null);
    try {
      await api.users.remove(username);
      users.reload();
    } catch (err) {
      setError(err);
    }
  };
  const field = (name: keyof typeof draft, label: string, type = 'text') => (
    <label>
      {label} <input name={name} type={type} value={draft[name]} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} required />
    </label>
  );
  return (
    <section aria-labelledby="users">
      <h2 id="users">{t('users')}</h2>
      <ErrorBox error={error} />
      <Async state={users}>
        {(list) => (
          <table className="list">
            <thead>
              <tr>
                <th>{t('username')}</th>
                <th>{t('displayName')}</th>
                <th>{t('roles')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.username}>
                  <td>{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>
                    <RolesCell user={u} onSaved={users.reload} onError={setError} />
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => remove(u.username)}>
                      {t('deleteUser')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <form className="inline" onSubmit={add}>
        {field('username', t('username'))}
        {field('displayName', t('displayName'))}
        {field('password', t('password'), 'password')}
        {field('jurisdiction', t('jurisdiction'))}
        {field('roles', t('roles'))}
        <button type="submit">{t('addUser')}</button>
      </form>
    </section>
  );
}
