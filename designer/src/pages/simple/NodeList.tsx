// The nodes of a 流程简图, top to bottom as DingTalk draws them: a card per node with what it
// says in a line, its editor when opened, and a ＋ between cards to add 审批人, 办理人, 抄送 or a
// 条件分支. A branch shows each path, its condition and its own list of nodes.
import { useState, type ReactNode } from 'react';
import { newBranch, newCopy, newId, newPerson, type Approval, type BranchNode, type Condition, type CopyNode, type FlowNode, type PersonNode, type SimpleFlow } from '../../simple/flow';
import { insertAt, moveAt, removeAt, replaceAt } from '../../simple/edit';
import type { Form } from '../../api';
import { useT } from '../../i18n';
import { PeopleNames, PersonPicker } from '../../components/PersonPicker';

/** A form field a branch may test: its title (with its form's) and whether it is 是/否. */
export interface FieldChoice {
  title: string;
  yesNo: boolean;
}

export interface Choices {
  /** Where the procedure is designed: whose people may be its 审批人. */
  jurisdiction: string;
  groups: Record<string, string>;
  /** formKey → the form's title. */
  forms: Record<string, string>;
  /** Variable name → the field that sets it (top-level fields of the jurisdiction's forms). */
  fields: Record<string, FieldChoice>;
}

/** The forms' titles and their top-level fields, from the forms themselves. */
export function formChoices(forms: Form[]): Pick<Choices, 'forms' | 'fields'> {
  const fields: Record<string, FieldChoice> = {};
  for (const f of forms) {
    const props = (f.schema.properties ?? {}) as Record<string, { title?: string; type?: string }>;
    for (const [name, p] of Object.entries(props)) fields[name] ??= { title: `${p.title ?? name}（${f.schema.title ?? f.formKey}）`, yesNo: p.type === 'boolean' };
  }
  return { forms: Object.fromEntries(forms.map((f) => [f.formKey, String(f.schema.title ?? f.formKey)])), fields };
}

interface ListProps {
  flow: SimpleFlow;
  listId: string;
  nodes: FlowNode[];
  choices: Choices;
  onChange: (flow: SimpleFlow) => void;
}

const KIND_LABELS = { approve: 'nodeApprove', handle: 'nodeHandle', cc: 'nodeCc', branch: 'nodeBranch' } as const;
const APPROVALS: Record<Approval, 'approvalOne' | 'approvalCountersign' | 'approvalAnyone' | 'approvalSequential'> = {
  one: 'approvalOne', countersign: 'approvalCountersign', anyone: 'approvalAnyone', sequential: 'approvalSequential',
};

/** What an official types (是, 3, true) as the literal the condition compares with, and back. */
export const literal = (text: string) => (/^(true|false|-?\d+(\.\d+)?)$/.test(text.trim()) ? text.trim() : JSON.stringify(text.trim()));
export const unliteral = (value: string) => {
  try {
    const v = JSON.parse(value);
    return typeof v === 'string' ? v : value;
  } catch {
    return value;
  }
};

function Adder({ onAdd }: { onAdd: (node: FlowNode) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const add = (node: FlowNode) => (setOpen(false), onAdd(node));
  return (
    <div className="adder">
      <button type="button" className="add" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('addNode')}
      </button>
      {open && (
        <div className="add-menu" role="menu">
          <button type="button" role="menuitem" onClick={() => add(newPerson('approve'))}>{t('nodeApprove')}</button>
          <button type="button" role="menuitem" onClick={() => add(newPerson('handle'))}>{t('nodeHandle')}</button>
          <button type="button" role="menuitem" onClick={() => add(newCopy())}>{t('nodeCc')}</button>
          <button type="button" role="menuitem" onClick={() => add(newBranch())}>{t('nodeBranch')}</button>
        </div>
      )}
    </div>
  );
}

export function NodeList({ flow, listId, nodes, choices, onChange }: ListProps) {
  return (
    <ol className="node-list">
      <li className="between">
        <Adder onAdd={(n) => onChange(insertAt(flow, listId, 0, n))} />
      </li>
      {nodes.map((node, i) => (
        <NodeItem key={node.id} flow={flow} listId={listId} index={i} count={nodes.length} node={node} choices={choices} onChange={onChange} />
      ))}
    </ol>
  );
}

function NodeItem({ flow, listId, index, count, node, choices, onChange }: { flow: SimpleFlow; listId: string; index: number; count: number; node: FlowNode; choices: Choices; onChange: (f: SimpleFlow) => void }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const set = (next: FlowNode) => onChange(replaceAt(flow, listId, index, next));
  return (
    <>
      <li className={`node node-${node.kind}`} data-node={node.name}>
        <div className="node-head">
          <span className="kind">{t(KIND_LABELS[node.kind])}</span>
          <strong>{node.name}</strong>
          <span className="node-tools">
            <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>{t('edit')}</button>
            <button type="button" aria-label={t('moveUp')} disabled={index === 0} onClick={() => onChange(moveAt(flow, listId, index, -1))}>↑</button>
            <button type="button" aria-label={t('moveDown')} disabled={index === count - 1} onClick={() => onChange(moveAt(flow, listId, index, 1))}>↓</button>
            <button type="button" aria-label={t('deleteNode')} onClick={() => onChange(removeAt(flow, listId, index))}>✕</button>
          </span>
        </div>
        {node.kind !== 'branch' && <p className="summary">{summary(node, choices, t)}</p>}
        {editing && node.kind !== 'branch' && (
          <div className="node-editor">
            <label>
              {t('nodeName')}
              <input name="nodeName" value={node.name} onChange={(e) => set({ ...node, name: e.target.value })} />
            </label>
            {node.kind === 'cc' ? <CopyEditor node={node} choices={choices} set={set} /> : <PersonEditor node={node} choices={choices} set={set} />}
          </div>
        )}
        {node.kind === 'branch' && <Branch flow={flow} node={node} editing={editing} choices={choices} set={set} onChange={onChange} />}
      </li>
      <li className="between">
        <Adder onAdd={(n) => onChange(insertAt(flow, listId, index + 1, n))} />
      </li>
    </>
  );
}

function summary(node: PersonNode | CopyNode, choices: Choices, t: ReturnType<typeof useT>): ReactNode {
  if (node.kind === 'cc') return `${t('ccTo')} ${node.to.split(',').filter(Boolean).map((g) => choices.groups[g] ?? g).join('、')}`;
  const who = node.approval === 'one' ? (
    node.group.split(',').filter(Boolean).map((g) => choices.groups[g] ?? g).join('、')
  ) : (
    <>
      {t(APPROVALS[node.approval])}：<PeopleNames accounts={node.signers} jurisdiction={choices.jurisdiction} />
      {node.approval === 'countersign' && node.required ? ` · ${node.required} ${t('needsAgree')}` : ''}
    </>
  );
  const form = node.form ? ` · ${choices.forms[node.form] ?? node.form}` : '';
  const due = node.days ? ` · ${t('due')} ${node.days} ${t('daysUnit')}` : '';
  return (
    <>
      {who}
      {form}
      {due}
    </>
  );
}

function PersonEditor({ node, choices, set }: { node: PersonNode; choices: Choices; set: (n: FlowNode) => void }) {
  const t = useT();
  return (
    <>
      <label>
        {t('howApprove')}
        <select name="approval" value={node.approval} onChange={(e) => set({ ...node, approval: e.target.value as Approval })}>
          {(Object.keys(APPROVALS) as Approval[]).map((a) => (
            <option key={a} value={a}>{t(APPROVALS[a])}</option>
          ))}
        </select>
      </label>
      {node.approval === 'one' ? (
        <label>
          {t('whichGroup')}
          <select name="group" value={node.group} onChange={(e) => set({ ...node, group: e.target.value })}>
            <option value="">{t('chooseGroup')}</option>
            {Object.entries(choices.groups).map(([code, title]) => (
              <option key={code} value={code}>{title}</option>
            ))}
          </select>
        </label>
      ) : (
        <PersonPicker label={t('signerAccounts')} jurisdiction={choices.jurisdiction} value={node.signers} onChange={(signers) => set({ ...node, signers })} />
      )}
      {node.approval === 'countersign' && (
        <label>
          {t('requiredCount')}
          <input name="required" type="number" min={0} max={node.signers.length || undefined} value={node.required} onChange={(e) => set({ ...node, required: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
        </label>
      )}
      <label>
        {t('nodeForm')}
        <select name="form" value={node.form} onChange={(e) => set({ ...node, form: e.target.value })}>
          <option value="">{t('noForm')}</option>
          {Object.entries(choices.forms).map(([key, title]) => (
            <option key={key} value={key}>{title}</option>
          ))}
        </select>
      </label>
      <label>
        {t('deadlineDays')}
        <input name="days" type="number" min={0} value={node.days} onChange={(e) => set({ ...node, days: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
      </label>
    </>
  );
}

function CopyEditor({ node, choices, set }: { node: CopyNode; choices: Choices; set: (n: FlowNode) => void }) {
  const t = useT();
  const chosen = new Set(node.to.split(',').filter(Boolean));
  const toggle = (g: string) => {
    const next = new Set(chosen);
    if (next.has(g)) next.delete(g);
    else next.add(g);
    set({ ...node, to: [...next].join(',') });
  };
  return (
    <>
      <fieldset className="cc-groups">
        <legend>{t('ccTo')}</legend>
        {Object.entries(choices.groups).map(([code, title]) => (
          <label key={code} className="check">
            <input type="checkbox" checked={chosen.has(code)} onChange={() => toggle(code)} /> {title}
          </label>
        ))}
      </fieldset>
      <label>
        {t('ccMessage')}
        <input name="message" value={node.message} onChange={(e) => set({ ...node, message: e.target.value })} />
      </label>
    </>
  );
}

const conditionText = (c: Condition, fields: Record<string, FieldChoice>, t: ReturnType<typeof useT>) =>
  `${fields[c.field]?.title ?? c.field} ${t('conditionValue')} ${c.value === 'true' ? t('yes') : c.value === 'false' ? t('no') : unliteral(c.value)}`;

/** 字段 = 值, the field picked by its title; a 是/否 field offers 是 and 否. */
function ConditionEditor({ when, fields, set }: { when: Condition; fields: Record<string, FieldChoice>; set: (c: Condition) => void }) {
  const t = useT();
  const field = fields[when.field];
  return (
    <span className="condition">
      <select name="field" aria-label={t('conditionField')} value={when.field} onChange={(e) => set({ field: e.target.value, value: fields[e.target.value]?.yesNo ? 'true' : when.value })}>
        <option value="">{t('chooseField')}</option>
        {when.field && !field && <option value={when.field}>{when.field}</option>}
        {Object.entries(fields).map(([name, f]) => (
          <option key={name} value={name}>{f.title}</option>
        ))}
      </select>
      {t('conditionValue')}
      {field?.yesNo ? (
        <select name="value" aria-label={t('conditionValue')} value={when.value} onChange={(e) => set({ ...when, value: e.target.value })}>
          <option value="true">{t('yes')}</option>
          <option value="false">{t('no')}</option>
        </select>
      ) : (
        <input name="value" aria-label={t('conditionValue')} value={unliteral(when.value)} onChange={(e) => set({ ...when, value: literal(e.target.value) })} />
      )}
    </span>
  );
}

function Branch({ flow, node, editing, choices, set, onChange }: { flow: SimpleFlow; node: BranchNode; editing: boolean; choices: Choices; set: (n: FlowNode) => void; onChange: (f: SimpleFlow) => void }) {
  const t = useT();
  const setPath = (i: number, change: Partial<BranchNode['paths'][number]>) => set({ ...node, paths: node.paths.map((p, k) => (k === i ? { ...p, ...change } : p)) });
  // A new condition goes before 其他情况, which stays last.
  const addPath = () => {
    const paths = [...node.paths];
    paths.splice(Math.max(0, paths.length - 1), 0, { id: newId('path'), name: `条件${paths.length}`, when: { field: '', value: 'true' }, nodes: [] });
    set({ ...node, paths });
  };
  return (
    <div className="branch">
      {editing && (
        <label>
          {t('nodeName')}
          <input name="nodeName" value={node.name} onChange={(e) => set({ ...node, name: e.target.value })} />
        </label>
      )}
      {node.paths.map((p, i) => (
        <section key={p.id} className="path" aria-label={p.name}>
          <div className="path-head">
            {editing ? (
              <>
                <input name="pathName" aria-label={t('pathName')} value={p.name} onChange={(e) => setPath(i, { name: e.target.value })} />
                {p.when && <ConditionEditor when={p.when} fields={choices.fields} set={(when) => setPath(i, { when })} />}
                {node.paths.length > 2 && p.when && (
                  <button type="button" aria-label={t('deleteNode')} onClick={() => set({ ...node, paths: node.paths.filter((_, k) => k !== i) })}>✕</button>
                )}
              </>
            ) : (
              <span>
                <strong>{p.name}</strong> {p.when ? conditionText(p.when, choices.fields, t) : t('otherwise')}
              </span>
            )}
          </div>
          <NodeList flow={flow} listId={p.id} nodes={p.nodes} choices={choices} onChange={onChange} />
        </section>
      ))}
      {editing && (
        <button type="button" onClick={addPath}>
          {t('addPath')}
        </button>
      )}
    </div>
  );
}
