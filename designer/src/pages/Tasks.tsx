// 待办 / 已办 / 我发起的 / 抄送我的 (phone first): my tasks and group tasks I may claim, overdue
// first; one task's form, its operations (转办, 加签, 退回…), its 加签 chain, and its case's history
// with 审批意见.
import { useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, type Instance, type Task } from '../api';
import { CaseDiagram } from '../components/CaseDiagram';
import { CaseComment } from '../components/CaseActions';
import { CaseHistory } from '../components/CaseHistory';
import { Async, ErrorBox, useAsync } from '../components/common';
import { CaseContext, PersonName } from '../components/Names';
import { Facts } from '../components/Facts';
import { TaskForm } from '../components/TaskForm';
import { SignChain } from '../components/SignChain';
import { TaskOperations } from '../components/TaskOperations';
import { usePrefill } from '../components/prefill';
import { formatTime, useLocale, useT } from '../i18n';
import { useSession } from '../session';

const isOverdue = (t: Task) => !!t.due && Date.parse(t.due) < Date.now();
/** Overdue first, then by due date, then oldest first. */
const byUrgency = (a: Task, b: Task) =>
  Number(isOverdue(b)) - Number(isOverdue(a)) || (a.due ?? '9').localeCompare(b.due ?? '9') || a.createdAt.localeCompare(b.createdAt);

export default function Tasks() {
  return (
    <Routes>
      <Route index element={<TaskList />} />
      <Route path=":id" element={<TaskView />} />
    </Routes>
  );
}

const TABS = { todo: 'tabTodo', done: 'tabDone', started: 'tabStarted', copied: 'tabCopied' } as const;
type Tab = keyof typeof TABS;

function TaskList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = (params.get('tab') ?? 'todo') as Tab;
  return (
    <div className="task-lists">
      <nav className="tabs" role="tablist">
        {(Object.keys(TABS) as Tab[]).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setParams(k === 'todo' ? {} : { tab: k })}>
            {t(TABS[k])}
          </button>
        ))}
      </nav>
      {tab === 'todo' && <Todo />}
      {tab === 'done' && <Done />}
      {tab === 'started' && <Cases query={{ startedBy: 'me' }} />}
      {tab === 'copied' && <Cases query={{ copiedTo: 'me' }} />}
    </div>
  );
}

function Done() {
  const done = useAsync(() => api.tasks.list({ status: 'completed', completedBy: 'me', limit: 100 }), []);
  return <Async state={done}>{(page) => <TaskItems tasks={page.items} />}</Async>;
}

/** Cases (我发起的, 抄送我的), newest first, each opening its case view. */
function Cases({ query }: { query: { startedBy?: 'me'; copiedTo?: 'me' } }) {
  const t = useT();
  const { locale } = useLocale();
  const cases = useAsync(() => api.instances.list({ ...query, limit: 100 }), [query.startedBy, query.copiedTo]);
  const label = (i: Instance) => (i.status === 'active' ? t('active') : i.status === 'completed' ? t('completed') : i.status === 'cancelled' ? t('cancelled') : t('incident'));
  return (
    <Async state={cases}>
      {(page) =>
        page.items.length ? (
          <ul className="task-list">
            {page.items.map((i) => (
              <li key={i.id}>
                <Link to={`/instances/${i.id}`}>
                  <span className="name">{i.active.map((a) => a.name).join('、') || i.processKey}</span>
                  <span className="meta">
                    {i.jurisdiction} · {label(i)} · {formatTime(i.startedAt, locale)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t('noCases')}</p>
        )
      }
    </Async>
  );
}

function Todo() {
  const t = useT();
  const { user } = useSession();
  const groups = new Set((user?.memberships ?? []).flatMap((m) => m.roles));
  const [search, setSearch] = useState('');
  const mine = useAsync(() => api.tasks.list({ status: 'open', assignee: 'me', q: search, limit: 200 }), [search]);
  const claimable = useAsync(() => api.tasks.list({ status: 'open', assignee: 'none', q: search, limit: 200 }), [search]);
  return (
    <>
      <div className="filters" role="search">
        <label>
          {t('search')} <input type="search" value={search} onChange={(e) => setSearch(e.target.value.trim())} placeholder={t('searchCases')} />
        </label>
      </div>
      <div className="tasks">
        <section aria-labelledby="mine">
          <h2 id="mine">{t('myTasks')}</h2>
          <Async state={mine}>{(page) => <TaskItems tasks={page.items} />}</Async>
        </section>
        <section aria-labelledby="group">
          <h2 id="group">{t('groupTasks')}</h2>
          <Async state={claimable}>{(page) => <TaskItems tasks={page.items.filter((x) => x.candidateGroups.some((g) => groups.has(g)))} />}</Async>
        </section>
      </div>
    </>
  );
}

function TaskItems({ tasks }: { tasks: Task[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (!tasks.length) return <p className="empty">{t('noTasks')}</p>;
  return (
    <ul className="task-list">
      {[...tasks].sort(byUrgency).map((task) => (
        <li key={task.id} className={isOverdue(task) ? 'overdue' : undefined}>
          <Link to={`/tasks/${task.id}`}>
            <span className="name">{task.name}</span>
            <span className="case">
              {task.no} {task.title ?? t('untitled')}
            </span>
            <span className="meta">
              <CaseContext jurisdiction={task.jurisdiction} processKey={task.processKey} />
              {task.due && (
                <>
                  {' · '}
                  {isOverdue(task) ? <strong>{t('overdue')}</strong> : t('due')} {formatTime(task.due, locale)}
                </>
              )}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function TaskView() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { user } = useSession();
  const task = useAsync(() => api.tasks.get(id), [id]);
  const prefill = usePrefill(task.data);
  const history = useAsync(() => (task.data ? api.instances.get(task.data.instanceId) : Promise.resolve(null)), [task.data?.instanceId]);
  const chain = useAsync(() => api.operations.signChain(id), [id]);
  const reload = () => (task.reload(), history.reload(), chain.reload());
  // An added signer approves with an opinion only; the form stays the holder's.
  const signer = !!chain.data?.mayApprove;
  const awaiting = !!chain.data?.pending.length && !signer && (chain.data.holder !== user?.username || chain.data.ownerDone);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<Task | null | false>(false);
  const [opinion, setOpinion] = useState('');

  const claim = async (yes: boolean) => {
    setActionError(null);
    try {
      await (yes ? api.tasks.claim(id) : api.tasks.unclaim(id));
      task.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  // 不同意 by an added signer: the 意见 is its reason; the task goes back to its holder.
  const refuse = async () => {
    setActionError(null);
    if (!opinion.trim()) throw new Error(t('refuseNeedsReason'));
    await api.operations.refuse(id, opinion.trim());
    setOpinion('');
    reload();
  };
  const submit = async (data: Record<string, unknown>) => {
    await api.tasks.complete(id, data, opinion.trim() || undefined);
    const next = await api.tasks.list({ status: 'open', instanceId: task.data!.instanceId, limit: 20 });
    setDone(next.items.find((n) => n.id !== id) ?? null);
  };

  return (
    <div className="task-view">
      <p>
        <Link to="/tasks">← {t('tasks')}</Link>
      </p>
      <Async state={task}>
        {(tk) => (
          <div className="split">
            <section className="form-side">
              <h1>{tk.name}</h1>
              <p className="case">
                {tk.no} {tk.title ?? t('untitled')}
              </p>
              <p className="meta">
                <CaseContext jurisdiction={tk.jurisdiction} processKey={tk.processKey} groups={tk.candidateGroups} />
                {tk.due && ` · ${t('due')} ${formatTime(tk.due, locale)}`}
              </p>
              {history.data && <CaseDiagram jurisdiction={history.data.jurisdiction} processKey={history.data.processKey} version={history.data.version} current={history.data.active.map((a) => a.elementId)} />}
              <ErrorBox error={actionError} />
              {done !== false ? (
                <div className="done" role="status">
                  <p>{t('taskDone')}</p>
                  {done && (
                    <button type="button" onClick={() => (setDone(false), navigate(`/tasks/${done.id}`))}>
                      {t('nextTask')}: {done.name}
                    </button>
                  )}
                </div>
              ) : (
                <>
                  {tk.status === 'open' && (
                    <p className="actions">
                      {tk.assignee === user?.username ? (
                        <button type="button" onClick={() => claim(false)}>
                          {t('unclaim')}
                        </button>
                      ) : (
                        !tk.assignee && (
                          <button type="button" onClick={() => claim(true)}>
                            {t('claim')}
                          </button>
                        )
                      )}
                      {tk.assignee && tk.assignee !== user?.username && (
                        <span className="assignee">
                          {t('heldBy')}
                          <PersonName account={tk.assignee} name={tk.assigneeName} />
                        </span>
                      )}
                    </p>
                  )}
                  {!!tk.context?.length && <Facts entries={tk.context} label={t('taskContext')} />}
                  {chain.data && <SignChain taskId={tk.id} chain={chain.data} me={user?.username} onChange={reload} />}
                  {tk.status === 'open' && chain.data?.refusedBy && !chain.data.pending.length && (
                    <p className="refused" role="status">
                      {t('signRefusedBy')}
                      {chain.data.names[chain.data.refusedBy] ?? ''}
                      {chain.data.owner === user?.username && `，${t('signRefusedHint')}`}
                    </p>
                  )}
                  {tk.status === 'open' && !signer && <TaskOperations task={tk} me={user?.username} signing={chain.data?.pending} onDone={reload} />}
                  {tk.status === 'open' && awaiting && <p className="hint">{t('signAwaiting')}</p>}
                  {signer && <p className="hint">{t('signApproveHint')}</p>}
                  {tk.status === 'open' && !awaiting && (
                    <label className="opinion">
                      {signer ? t('refuseReason') : t('opinion')}
                      <textarea name="opinion" rows={2} value={opinion} onChange={(e) => setOpinion(e.target.value)} />
                    </label>
                  )}
                  {signer && (
                    <p className="sign-decision">
                      <button type="button" className="approve" onClick={() => submit({}).catch(setActionError)}>
                        {t('approve')}
                      </button>
                      <button type="button" className="refuse" onClick={() => refuse().catch(setActionError)}>
                        {t('refuse')}
                      </button>
                    </p>
                  )}
                  {tk.form ? (
                    <TaskForm key={`${tk.id}${prefill ? ':prefilled' : ''}`} schema={tk.form.schema} uiSchema={tk.form.uiSchema} rules={tk.form.rules} initial={tk.data ?? prefill} disabled={tk.status !== 'open' || signer || awaiting} onSubmit={submit} jurisdiction={tk.jurisdiction} />
                  ) : (
                    !signer && (
                    <button type="button" onClick={() => submit({}).catch(setActionError)}>
                      {t('complete')}
                    </button>
                    )
                  )}
                </>
              )}
            </section>
            <aside className="history" aria-label={t('history')}>
              <h2>{t('history')}</h2>
              <Async state={history}>
                {(inst) => <CaseHistory entries={inst?.history ?? []} jurisdiction={inst?.jurisdiction} />}
              </Async>
              <CaseComment instanceId={tk.instanceId} onDone={history.reload} />
            </aside>
          </div>
        )}
      </Async>
    </div>
  );
}
