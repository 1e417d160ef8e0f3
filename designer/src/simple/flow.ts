// 流程简图: a procedure as DingTalk draws it, a vertical list of nodes (发起 → 审批人 → 抄送 →
// 条件分支 → 办理), and the BPMN it stands for. toBpmn writes the plain Zeebe XML both engines run
// (user tasks with zeebe:formDefinition / assignmentDefinition / taskSchedule, multi-instance for
// 会签 / 或签 / 依次, a `notify` service task for 抄送, exclusive gateways for branches) with a
// top-down diagram layout, so the same file opens in the BPMN modeler. parse.ts reads it back.

/** How the people of an approval act: one person, 会签 (together, n of m), 或签 (any one), 依次 (in turn). */
export type Approval = 'one' | 'countersign' | 'anyone' | 'sequential';

/** 审批人 and 办理人 are both people's steps; the node remembers which it was drawn as. */
export interface PersonNode {
  kind: 'approve' | 'handle';
  id: string;
  name: string;
  approval: Approval;
  /** 'one': the group whose members may take it (candidate groups, comma-separated). */
  group: string;
  /** 会签 / 或签 / 依次: the accounts, one task each. */
  signers: string[];
  /** 会签: how many must finish (0: all of them). */
  required: number;
  form: string;
  /** Deadline in days after the step opens (0: none). */
  days: number;
}

export interface CopyNode {
  kind: 'cc';
  id: string;
  name: string;
  /** The groups told (comma-separated), as the `notify` task's `to` header. */
  to: string;
  message: string;
}

/** `field = value`; value is a JSON literal (true, 3, "是"). */
export interface Condition {
  field: string;
  value: string;
}

export interface BranchPath {
  id: string;
  name: string;
  /** null: 其他情况 (the gateway's default flow). */
  when: Condition | null;
  nodes: FlowNode[];
}

export interface BranchNode {
  kind: 'branch';
  id: string;
  name: string;
  paths: BranchPath[];
}

export type FlowNode = PersonNode | CopyNode | BranchNode;

export interface SimpleFlow {
  key: string;
  name: string;
  /** The 发起 node's id and name (the start event). */
  start: { id: string; name: string };
  end: { id: string; name: string };
  nodes: FlowNode[];
}

/** The variable each signer's task sees its signer in (the same as the modeler's 会签 entry). */
export const SIGNER = 'signer';
/** Marks a user task as drawn as 审批人 or 办理人 (custom Zeebe properties; engines ignore them). */
export const NODE_KIND_PROPERTY = 'yishi:node';

export const newId = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

export function newPerson(kind: 'approve' | 'handle'): PersonNode {
  return { kind, id: newId(kind), name: kind === 'approve' ? '审批' : '办理', approval: 'one', group: '', signers: [], required: 0, form: '', days: 0 };
}
export const newCopy = (): CopyNode => ({ kind: 'cc', id: newId('cc'), name: '抄送', to: '', message: '' });
export const newBranch = (): BranchNode => ({
  kind: 'branch', id: newId('branch'), name: '条件分支',
  paths: [
    { id: newId('path'), name: '条件1', when: { field: '', value: 'true' }, nodes: [] },
    { id: newId('path'), name: '其他情况', when: null, nodes: [] },
  ],
});
export const emptyFlow = (key: string, name: string): SimpleFlow => ({ key, name, start: { id: 'start', name: '发起' }, end: { id: 'end', name: '结束' }, nodes: [] });

/** Due `days` after the step opens, as FEEL both engines evaluate. */
export const dueDateOf = (days: number) => `=now() + duration("P${days}D")`;
export const DUE_DAYS = /^=\s*now\(\)\s*\+\s*duration\("P(\d+)D"\)\s*$/;
export const COMPLETED_AT_LEAST = /^=\s*numberOfCompletedInstances\s*>=\s*(\d+)\s*$/;

export const conditionOf = (c: Condition) => `=${c.field} = ${c.value}`;
export const CONDITION = /^=\s*([A-Za-z_][\w.]*)\s*=\s*(.+?)\s*$/;

/** What must be filled in before a flow can be deployed, in Chinese, node by node. */
export function problemsOf(nodes: FlowNode[]): string[] {
  return nodes.flatMap((n): string[] => {
    if (n.kind === 'branch') return [...n.paths.flatMap((p) => (p.when && !p.when.field ? [`“${n.name}”的“${p.name}”还没有选择字段`] : [])), ...n.paths.flatMap((p) => problemsOf(p.nodes))];
    if (!n.name.trim()) return ['有节点还没有名称'];
    if (n.kind === 'cc') return n.to ? [] : [`“${n.name}”还没有选择抄送给谁`];
    if (n.approval === 'one') return n.group ? [] : [`“${n.name}”还没有选择办理的职能组`];
    if (!n.signers.length) return [`“${n.name}”还没有填写审批人账号`];
    return n.required > n.signers.length ? [`“${n.name}”要求 ${n.required} 人同意，但只有 ${n.signers.length} 位审批人`] : [];
  });
}

// ---- layout ----------------------------------------------------------------------------------

const TASK = { w: 120, h: 64 };
const EVENT = 36;
const GATEWAY = 50;
const GAP = 56;
const PATH_MIN = 170;

interface Box { x: number; y: number; w: number; h: number }
/** One BPMN element: its extension elements and loop characteristics as XML, its place in the diagram. */
interface Element { id: string; tag: string; name: string; attrs: string; ext: string; loop: string; box: Box; incoming: string[]; outgoing: string[] }
interface Flow { id: string; source: string; target: string; name: string; condition: string | null; points: { x: number; y: number }[] }

const widthOf = (nodes: FlowNode[]): number => Math.max(PATH_MIN, ...nodes.map((n) => (n.kind === 'branch' ? n.paths.reduce((sum, p) => sum + widthOf(p.nodes), 0) : PATH_MIN)));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

class Writer {
  readonly elements: Element[] = [];
  readonly flows: Flow[] = [];
  private flowCount = 0;

  add(id: string, tag: string, name: string, box: Box, ext = '', loop = ''): Element {
    const el = { id, tag, name, attrs: '', ext, loop, box, incoming: [], outgoing: [] };
    this.elements.push(el);
    return el;
  }

  connect(from: Element, to: Element, opts: { name?: string; condition?: string | null; id?: string } = {}): Flow {
    const id = opts.id ?? `flow-${++this.flowCount}-${to.id}`;
    const a = from.box;
    const b = to.box;
    const ax = a.x + a.w / 2;
    const bx = b.x + b.w / 2;
    // Straight down when aligned; out of a split's side, across and down; or down, across, into a join's side.
    const points = ax === bx
      ? [{ x: ax, y: a.y + a.h }, { x: bx, y: b.y }]
      : from.tag === 'exclusiveGateway'
        ? [{ x: bx < ax ? a.x : a.x + a.w, y: a.y + a.h / 2 }, { x: bx, y: a.y + a.h / 2 }, { x: bx, y: b.y }]
        : [{ x: ax, y: a.y + a.h }, { x: ax, y: b.y + b.h / 2 }, { x: ax < bx ? b.x : b.x + b.w, y: b.y + b.h / 2 }];
    const flow = { id, source: from.id, target: to.id, name: opts.name ?? '', condition: opts.condition ?? null, points };
    from.outgoing.push(id);
    to.incoming.push(id);
    this.flows.push(flow);
    return flow;
  }
}

const centered = (cx: number, y: number, w: number, h: number): Box => ({ x: cx - w / 2, y, w, h });

function extensionXml(n: PersonNode): string {
  const parts: string[] = [];
  if (n.form) parts.push(`<zeebe:formDefinition formKey="${esc(n.form)}" />`);
  if (n.approval === 'one') {
    if (n.group) parts.push(`<zeebe:assignmentDefinition candidateGroups="${esc(n.group)}" />`);
  } else {
    parts.push(`<zeebe:assignmentDefinition assignee="=${SIGNER}" />`);
  }
  if (n.days > 0) parts.push(`<zeebe:taskSchedule dueDate="${esc(dueDateOf(n.days))}" />`);
  parts.push(`<zeebe:properties><zeebe:property name="${NODE_KIND_PROPERTY}" value="${n.kind}" /></zeebe:properties>`);
  return `<bpmn:extensionElements>${parts.join('')}</bpmn:extensionElements>`;
}

function loopXml(n: PersonNode): string {
  if (n.approval === 'one') return '';
  const required = n.approval === 'anyone' ? 1 : n.approval === 'countersign' ? n.required : 0;
  const condition = required > 0 ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=numberOfCompletedInstances &gt;= ${required}</bpmn:completionCondition>` : '';
  const collection = esc(`=${JSON.stringify(n.signers)}`);
  return `<bpmn:multiInstanceLoopCharacteristics${n.approval === 'sequential' ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${collection}" inputElement="${SIGNER}" /></bpmn:extensionElements>${condition}</bpmn:multiInstanceLoopCharacteristics>`;
}

/** Lays out and connects `nodes` below `from`, centred on cx; returns the last element and the next free y. */
type PathEntry = { id: string; name: string; condition: string | null; isDefault: boolean; gateway: Element };

function writeSequence(w: Writer, nodes: FlowNode[], from: Element, cx: number, y: number, first?: PathEntry): { last: Element; y: number } {
  let prev = from;
  let pending = first;
  const link = (to: Element) => {
    // A path's first flow carries its id, name and condition.
    const flow = w.connect(prev, to, pending ? { id: pending.id, name: pending.name, condition: pending.condition } : {});
    if (pending?.isDefault) pending.gateway.attrs = ` default="${flow.id}"`;
    pending = undefined;
  };
  for (const n of nodes) {
    if (n.kind === 'branch') {
      const split = w.add(n.id, 'exclusiveGateway', n.name, centered(cx, y, GATEWAY, GATEWAY));
      link(split);
      const total = n.paths.reduce((sum, p) => sum + widthOf(p.nodes), 0);
      let left = cx - total / 2;
      let bottom = y + GATEWAY + GAP;
      const ends: { last: Element; cx: number; path: BranchPath }[] = [];
      for (const p of n.paths) {
        const pw = widthOf(p.nodes);
        const pcx = left + pw / 2;
        left += pw;
        const entry = { id: p.id, name: p.name, condition: p.when && conditionOf(p.when), isDefault: !p.when, gateway: split };
        if (!p.nodes.length) {
          ends.push({ last: split, cx: pcx, path: p });
          continue;
        }
        const r = writeSequence(w, p.nodes, split, pcx, y + GATEWAY + GAP, entry);
        ends.push({ last: r.last, cx: pcx, path: p });
        bottom = Math.max(bottom, r.y);
      }
      const join = w.add(`${n.id}-join`, 'exclusiveGateway', '', centered(cx, bottom, GATEWAY, GATEWAY));
      for (const e of ends) {
        if (e.last === split) {
          // An empty path: from the split straight to the join, around the side when off-centre.
          const flow = w.connect(split, join, { id: e.path.id, name: e.path.name, condition: e.path.when && conditionOf(e.path.when) });
          if (e.cx !== cx) flow.points = [{ x: e.cx < cx ? split.box.x : split.box.x + GATEWAY, y: y + GATEWAY / 2 }, { x: e.cx, y: y + GATEWAY / 2 }, { x: e.cx, y: bottom + GATEWAY / 2 }, { x: e.cx < cx ? join.box.x : join.box.x + GATEWAY, y: bottom + GATEWAY / 2 }];
          if (!e.path.when) split.attrs = ` default="${flow.id}"`;
        } else {
          w.connect(e.last, join);
        }
      }
      prev = join;
      y = bottom + GATEWAY + GAP;
      continue;
    }
    const box = centered(cx, y, TASK.w, TASK.h);
    const el = n.kind === 'cc'
      ? w.add(n.id, 'serviceTask', n.name, box, `<bpmn:extensionElements><zeebe:taskDefinition type="notify" /><zeebe:taskHeaders><zeebe:header key="to" value="${esc(n.to)}" /><zeebe:header key="message" value="${esc(n.message)}" /></zeebe:taskHeaders></bpmn:extensionElements>`)
      : w.add(n.id, 'userTask', n.name, box, extensionXml(n), loopXml(n));
    link(el);
    prev = el;
    y += TASK.h + GAP;
  }
  return { last: prev, y };
}

/** The BPMN (with Zeebe extensions and a diagram) of a simple flow. */
export function toBpmn(flow: SimpleFlow): string {
  const w = new Writer();
  // Clear of the modeler's palette on the left.
  const cx = widthOf(flow.nodes) / 2 + 180;
  const start = w.add(flow.start.id, 'startEvent', flow.start.name, centered(cx, 40, EVENT, EVENT));
  const { last, y } = writeSequence(w, flow.nodes, start, cx, 40 + EVENT + GAP);
  const end = w.add(flow.end.id, 'endEvent', flow.end.name, centered(cx, y, EVENT, EVENT));
  w.connect(last, end);

  const semantic = w.elements.map((e) => {
    // BPMN's schema orders a task's children: extensionElements, incoming/outgoing, then loop characteristics.
    const children = [e.ext, ...e.incoming.map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`), ...e.outgoing.map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`), e.loop];
    return `    <bpmn:${e.tag} id="${e.id}"${e.name ? ` name="${esc(e.name)}"` : ''}${e.attrs}>${children.join('')}</bpmn:${e.tag}>`;
  });
  const flows = w.flows.map((f) => {
    const cond = f.condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(f.condition)}</bpmn:conditionExpression>` : '';
    return `    <bpmn:sequenceFlow id="${f.id}" sourceRef="${f.source}" targetRef="${f.target}"${f.name ? ` name="${esc(f.name)}"` : ''}>${cond}</bpmn:sequenceFlow>`;
  });
  const shapes = w.elements.map(
    (e) => `      <bpmndi:BPMNShape id="${e.id}_di" bpmnElement="${e.id}"${e.tag === 'exclusiveGateway' ? ' isMarkerVisible="true"' : ''}><dc:Bounds x="${e.box.x}" y="${e.box.y}" width="${e.box.w}" height="${e.box.h}" /></bpmndi:BPMNShape>`,
  );
  const edges = w.flows.map((f) => `      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">${f.points.map((p) => `<di:waypoint x="${p.x}" y="${p.y}" />`).join('')}</bpmndi:BPMNEdge>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="definitions-${flow.key}" targetNamespace="http://yishi.local/bpmn">
  <bpmn:process id="${flow.key}" name="${esc(flow.name)}" isExecutable="true">
${[...semantic, ...flows].join('\n')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram-${flow.key}">
    <bpmndi:BPMNPlane id="plane-${flow.key}" bpmnElement="${flow.key}">
${[...shapes, ...edges].join('\n')}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
