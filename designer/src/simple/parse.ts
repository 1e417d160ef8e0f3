// Reads a BPMN diagram back into a 流程简图, or says in Chinese why it cannot: only what the simple
// designer writes (flow.ts) is read, so that saving it again loses nothing; anything else (a
// timer, a boundary event, a loop back, input mappings…) stays with the BPMN modeler.
import BpmnModdle from 'bpmn-moddle';
import {
  COMPLETED_AT_LEAST, CONDITION, DUE_DAYS, NODE_KIND_PROPERTY, SIGNER,
  type Approval, type BranchPath, type FlowNode, type PersonNode, type SimpleFlow,
} from './flow.js';

// bpmn-moddle's elements, as far as this reader needs them.
interface Moddle {
  $type: string;
  id: string;
  name?: string;
  get(name: string): any;
}

export type Parsed = { flow: SimpleFlow } | { reason: string };

class Unsupported extends Error {}
const refuse = (why: string): never => {
  throw new Unsupported(why);
};

const label = (e: Moddle) => `“${e.name || e.id}”`;
const ext = (e: Moddle, type: string): Moddle | undefined => (e.get('extensionElements')?.get('values') ?? []).find((v: Moddle) => v.$type === type);
const extensionTypes = (e: Moddle): string[] => (e.get('extensionElements')?.get('values') ?? []).map((v: Moddle) => v.$type);

/** 张三、李四 from =["张三","李四"]; anything else is not a plain list of accounts. */
function signersOf(collection: string | undefined, e: Moddle): string[] {
  try {
    const list = collection?.startsWith('=') ? JSON.parse(collection.slice(1)) : null;
    if (Array.isArray(list) && list.every((v) => typeof v === 'string')) return list;
  } catch {
    // refused below
  }
  return refuse(`${label(e)}的办理人不是账号列表`);
}

function personOf(e: Moddle): PersonNode {
  const allowed = ['zeebe:FormDefinition', 'zeebe:AssignmentDefinition', 'zeebe:TaskSchedule', 'zeebe:Properties'];
  const extra = extensionTypes(e).filter((t) => !allowed.includes(t));
  if (extra.length) refuse(`${label(e)}带有简图不支持的设置`);
  const assignment = ext(e, 'zeebe:AssignmentDefinition');
  const due = ext(e, 'zeebe:TaskSchedule');
  const dueDate: string | undefined = due?.get('dueDate');
  if (due?.get('followUpDate')) refuse(`${label(e)}设置了跟进时间`);
  const days = dueDate ? DUE_DAYS.exec(dueDate) : null;
  if (dueDate && !days) refuse(`${label(e)}的期限不是“若干天”`);
  const kind = (ext(e, 'zeebe:Properties')?.get('properties') ?? []).find((p: Moddle) => p.get('name') === NODE_KIND_PROPERTY)?.get('value');
  const node: PersonNode = {
    kind: kind === 'handle' ? 'handle' : 'approve', id: e.id, name: e.name ?? '', approval: 'one', group: '', signers: [], required: 0,
    form: ext(e, 'zeebe:FormDefinition')?.get('formKey') ?? '', days: days ? Number(days[1]) : 0,
  };
  const loop = e.get('loopCharacteristics');
  if (!loop) {
    if (assignment?.get('assignee') || assignment?.get('candidateUsers')) refuse(`${label(e)}指定了办理人账号`);
    return { ...node, group: assignment?.get('candidateGroups') ?? '' };
  }
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') refuse(`${label(e)}是循环任务`);
  const zeebeLoop = ext(loop, 'zeebe:LoopCharacteristics');
  if (zeebeLoop?.get('inputElement') !== SIGNER || assignment?.get('assignee') !== `=${SIGNER}` || zeebeLoop?.get('outputCollection')) {
    refuse(`${label(e)}的多人办理方式简图无法表示`);
  }
  const body: string | undefined = loop.get('completionCondition')?.get('body');
  const at = body ? COMPLETED_AT_LEAST.exec(body) : null;
  if (body && !at) refuse(`${label(e)}的完成条件简图无法表示`);
  const required = at ? Number(at[1]) : 0;
  const sequential = !!loop.get('isSequential');
  if (sequential && required) refuse(`${label(e)}依次办理却设了完成条件`);
  const approval: Approval = sequential ? 'sequential' : required === 1 ? 'anyone' : 'countersign';
  return { ...node, approval, signers: signersOf(zeebeLoop!.get('inputCollection'), e), required: approval === 'countersign' ? required : 0 };
}

function copyOf(e: Moddle): FlowNode {
  const type = ext(e, 'zeebe:TaskDefinition')?.get('type');
  if (type !== 'notify' || extensionTypes(e).some((t) => t !== 'zeebe:TaskDefinition' && t !== 'zeebe:TaskHeaders')) refuse(`${label(e)}不是抄送通知`);
  const headers: Moddle[] = ext(e, 'zeebe:TaskHeaders')?.get('values') ?? [];
  const header = (key: string) => headers.find((h) => h.get('key') === key)?.get('value') ?? '';
  if (headers.some((h) => !['to', 'message'].includes(h.get('key')))) refuse(`${label(e)}带有简图不支持的设置`);
  return { kind: 'cc', id: e.id, name: e.name ?? '', to: header('to'), message: header('message') };
}

/** Walks the diagram from its start event; every element must be reached exactly once. */
class Reader {
  readonly seen = new Set<string>();

  private visit(e: Moddle) {
    if (this.seen.has(e.id)) refuse(`流程在${label(e)}处回到了前面的步骤`);
    this.seen.add(e.id);
  }

  private only(e: Moddle, dir: 'incoming' | 'outgoing'): Moddle {
    const flows: Moddle[] = e.get(dir) ?? [];
    if (flows.length !== 1) refuse(`${label(e)}有 ${flows.length} 条${dir === 'incoming' ? '进入' : '离开'}的连线`);
    return flows[0]!;
  }

  private next(e: Moddle): Moddle {
    const flow = this.only(e, 'outgoing');
    this.visit(flow);
    if (flow.get('conditionExpression')) refuse(`连线${label(flow)}带有条件，却不是从条件分支出发`);
    return flow.get('targetRef');
  }

  /** The nodes from `e` on until the end event (top level) or a join gateway (a path), and where it stopped. */
  sequence(e: Moddle): { nodes: FlowNode[]; stop: Moddle } {
    const nodes: FlowNode[] = [];
    for (;;) {
      if (e.$type === 'bpmn:EndEvent' || (e.$type === 'bpmn:ExclusiveGateway' && (e.get('incoming') ?? []).length > 1)) return { nodes, stop: e };
      this.visit(e);
      if (e.$type === 'bpmn:ExclusiveGateway') {
        const { branch, join } = this.branch(e);
        nodes.push(branch);
        e = this.next(join);
        continue;
      }
      this.only(e, 'incoming');
      if (e.$type === 'bpmn:UserTask') nodes.push(personOf(e));
      else if (e.$type === 'bpmn:ServiceTask') nodes.push(copyOf(e));
      else refuse(`简图不支持${label(e)}这类步骤`);
      e = this.next(e);
    }
  }

  private branch(split: Moddle): { branch: FlowNode; join: Moddle } {
    const outgoing: Moddle[] = split.get('outgoing') ?? [];
    if (outgoing.length < 2) refuse(`条件分支${label(split)}只有一条出路`);
    const fallback: Moddle | undefined = split.get('default');
    let join: Moddle | null = null;
    const paths: BranchPath[] = outgoing.map((flow) => {
      this.visit(flow);
      const body: string | undefined = flow.get('conditionExpression')?.get('body');
      const m = body ? CONDITION.exec(body) : null;
      if (flow !== fallback && !m) refuse(`连线${label(flow)}的条件简图无法表示`);
      const { nodes, stop } = this.sequence(flow.get('targetRef'));
      if (stop.$type !== 'bpmn:ExclusiveGateway' || (join && stop !== join)) refuse(`条件分支${label(split)}的各条路没有汇合到同一处`);
      join = stop;
      return { id: flow.id, name: flow.name ?? '', when: flow === fallback ? null : { field: m![1]!, value: m![2]! }, nodes };
    });
    const j = join as unknown as Moddle;
    if ((j.get('incoming') ?? []).length !== outgoing.length) refuse(`汇合点${label(j)}还连着别的步骤`);
    this.visit(j);
    return { branch: { kind: 'branch', id: split.id, name: split.name ?? '', paths }, join: j };
  }
}

/** `zeebe`: zeebe-bpmn-moddle's schema (the caller has it: the browser imports it, Node requires it). */
export async function fromBpmn(xml: string, zeebe: object): Promise<Parsed> {
  try {
    const { rootElement, warnings } = await new BpmnModdle({ zeebe }).fromXML(xml);
    if (warnings.length) refuse('文件中有无法识别的内容');
    const roots: Moddle[] = rootElement.get('rootElements');
    const processes = roots.filter((r) => r.$type === 'bpmn:Process');
    if (processes.length !== 1 || roots.some((r) => r.$type === 'bpmn:Collaboration')) refuse('图中有泳池或多个流程');
    const proc = processes[0]!;
    if ((proc.get('laneSets') ?? []).length) refuse('图中有泳道');
    const elements: Moddle[] = proc.get('flowElements') ?? [];
    const starts = elements.filter((e) => e.$type === 'bpmn:StartEvent');
    const ends = elements.filter((e) => e.$type === 'bpmn:EndEvent');
    if (starts.length !== 1 || ends.length !== 1) refuse('简图只有一个“发起”和一个“结束”');
    const [start, end] = [starts[0]!, ends[0]!];
    if ((start.get('eventDefinitions') ?? []).length || (end.get('eventDefinitions') ?? []).length) refuse('发起或结束带有定时、消息等事件');
    const reader = new Reader();
    reader.seen.add(start.id);
    const next = (() => {
      const out: Moddle[] = start.get('outgoing') ?? [];
      if (out.length !== 1) refuse('“发起”应只有一条连线');
      reader.seen.add(out[0]!.id);
      return out[0]!.get('targetRef') as Moddle;
    })();
    const { nodes, stop } = reader.sequence(next);
    if (stop !== end) refuse(`汇合点${label(stop)}没有对应的条件分支`);
    reader.seen.add(end.id);
    const left = elements.filter((e) => !reader.seen.has(e.id));
    if (left.length) refuse(`简图不支持${left.map(label).join('、')}`);
    return { flow: { key: proc.id, name: proc.name ?? '', start: { id: start.id, name: start.name ?? '' }, end: { id: end.id, name: end.name ?? '' }, nodes } };
  } catch (err) {
    if (err instanceof Unsupported) return { reason: err.message };
    throw err;
  }
}
