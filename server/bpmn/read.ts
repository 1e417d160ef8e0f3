// Reads a BPMN document once per deployed version, for every engine: moddle with Zeebe's
// extensions, what each element means to us (form, groups, due date, mappings, messages, service
// type) and every problem that would stop it running.
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';
import type { DeployProblem, ProcessInfo } from '../engine/index.js';
import { feelSyntaxError, isFeel } from '../feel/index.js';
import { ELEMENTS, EVENTS, eventPlace, MULTI_INSTANCE, NEEDS_TASK_TYPE, unsupported } from './supported.js';

const require = createRequire(import.meta.url);
export const zeebeSchema = require('zeebe-bpmn-moddle/resources/zeebe.json');

export interface Mapping {
  source: string;
  target: string;
}

export interface ElementMeta {
  id: string;
  name: string;
  type: string;
  formKey?: string;
  candidateGroups?: string;
  /** The user the task is assigned to (FEEL or a name): a 会签 signer. */
  assignee?: string;
  dueDate?: string;
  inputs: Mapping[];
  outputs: Mapping[];
  taskType?: string;
  /** zeebe:taskDefinition retries (a number or FEEL); Zeebe's default is 3. */
  retries?: string;
  headers: Record<string, string>;
  messageName?: string;
  correlationKey?: string;
  /** Call activities: the called process and Zeebe's propagation flags (defaults true). */
  called?: { processId: string; propagateAllChildVariables: boolean; propagateAllParentVariables: boolean };
}

export interface Compiled {
  processes: ProcessInfo[];
  problems: DeployProblem[];
  meta: Map<string, ElementMeta>;
  /** The moddle parse (bpmn:Definitions with its warnings); null when the XML did not parse. */
  moddle: unknown;
}

type ModdleElement = Record<string, any> & { $type: string; id?: string; name?: string };

const label = (el: ModdleElement) => (el.name ? `${el.id}「${el.name}」` : String(el.id));

function extension(el: ModdleElement, type: string): ModdleElement | undefined {
  return el.extensionElements?.values?.find((v: ModdleElement) => v.$type === type);
}

function readMeta(el: ModdleElement): ElementMeta {
  const io = extension(el, 'zeebe:IoMapping');
  const headers: Record<string, string> = {};
  for (const h of extension(el, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value;
  const messageRef = el.messageRef ?? el.eventDefinitions?.find((d: ModdleElement) => d.$type === 'bpmn:MessageEventDefinition')?.messageRef;
  const subscription = messageRef && extension(messageRef, 'zeebe:Subscription');
  const called = extension(el, 'zeebe:CalledElement');
  return {
    id: el.id!,
    name: el.name ?? el.id!,
    type: el.$type,
    formKey: extension(el, 'zeebe:FormDefinition')?.formKey,
    candidateGroups: extension(el, 'zeebe:AssignmentDefinition')?.candidateGroups,
    assignee: extension(el, 'zeebe:AssignmentDefinition')?.assignee,
    dueDate: extension(el, 'zeebe:TaskSchedule')?.dueDate,
    inputs: (io?.inputParameters ?? []).map((p: ModdleElement) => ({ source: p.source, target: p.target })),
    outputs: (io?.outputParameters ?? []).map((p: ModdleElement) => ({ source: p.source, target: p.target })),
    taskType: extension(el, 'zeebe:TaskDefinition')?.type,
    retries: extension(el, 'zeebe:TaskDefinition')?.retries,
    headers,
    messageName: messageRef?.name,
    correlationKey: subscription?.correlationKey,
    ...(called && {
      called: {
        processId: called.processId,
        propagateAllChildVariables: called.propagateAllChildVariables !== false,
        propagateAllParentVariables: called.propagateAllParentVariables !== false,
      },
    }),
  };
}

function checkEvent(el: ModdleElement, container: ModdleElement, add: (message: string) => void) {
  if (!EVENTS[eventPlace(el.$type, !!container.triggeredByEvent)]) return;
  const defs = (el.eventDefinitions ?? []) as ModdleElement[];
  if (defs.length > 1) add('一个事件只能有一种事件定义 (one event definition per event)');
  const def = defs[0];
  const kind = def?.$type ?? 'none';
  const refusal = unsupported(el.$type, kind, !!container.triggeredByEvent);
  if (refusal) add(refusal);
  if (kind === 'bpmn:MessageEventDefinition' && !def!.messageRef?.name) add('消息事件需要一个有名称的消息 (message event needs a named message)');
  if (kind === 'bpmn:TimerEventDefinition') {
    const given = ['timeDuration', 'timeDate', 'timeCycle'].filter((attr) => def![attr]?.body);
    if (given.length !== 1) add('定时事件需要且只需要一个时长、日期或周期 (timer needs exactly one of duration, date, cycle)');
    const cycleOk = (el.$type === 'bpmn:BoundaryEvent' && el.cancelActivity === false) || (el.$type === 'bpmn:StartEvent' && (el.isInterrupting === false || !container.triggeredByEvent));
    if (given.includes('timeCycle') && !cycleOk) add('只有非中断的边界事件或事件子流程才能使用周期定时 (a cycle needs a non-interrupting boundary or event sub-process)');
  }
  if (el.$type === 'bpmn:BoundaryEvent' && !el.attachedToRef) add('边界事件必须附着在活动上 (boundary event must be attached)');
  if (kind === 'bpmn:ErrorEventDefinition' && (el.$type === 'bpmn:EndEvent') && !def!.errorRef?.errorCode) add('错误结束事件需要错误代码 (error end event needs an error code)');
}

function checkLoop(el: ModdleElement, add: (message: string) => void, expressions: string[]) {
  const lc = el.loopCharacteristics as ModdleElement | undefined;
  if (!lc) return;
  if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics' || !MULTI_INSTANCE.has(el.$type)) {
    add('只支持多实例（会签/或签），不支持循环 (only multi-instance loops are supported)');
    return;
  }
  const z = extension(lc, 'zeebe:LoopCharacteristics');
  if (!z?.inputCollection) add('多实例需要输入集合 inputCollection，例如 =signers (multi-instance needs zeebe:loopCharacteristics inputCollection)');
  for (const expr of [z?.inputCollection, z?.outputElement, lc.completionCondition?.body]) {
    if (!expr) continue;
    if (!isFeel(expr)) add(`多实例表达式 ${JSON.stringify(expr)} 必须以 "=" 开头 (must be FEEL)`);
    expressions.push(expr);
  }
  for (const name of [z?.inputElement, z?.outputCollection]) {
    if (name && !/^[A-Za-z_$][\w$]*$/.test(name)) add(`多实例变量名 ${JSON.stringify(name)} 无效 (invalid variable name)`);
  }
  if (z?.outputCollection && !z.outputElement) add('有输出集合 outputCollection 时需要输出元素 outputElement (outputCollection needs outputElement)');
}

function checkElement(el: ModdleElement, container: ModdleElement, meta: ElementMeta, problems: DeployProblem[]) {
  const add = (message: string) => problems.push({ elementId: el.id ?? null, message: `${label(el)}: ${message}` });
  const refusal = unsupported(el.$type, 'none', false, !!meta.taskType);
  if (!ELEMENTS[el.$type] && refusal) add(refusal);
  checkEvent(el, container, add);
  if (el.$type === 'bpmn:ReceiveTask' && !el.messageRef?.name) add('接收任务需要一个有名称的消息 (receive task needs a named message)');
  if (meta.messageName && el.$type !== 'bpmn:StartEvent' && !meta.correlationKey) {
    add(`消息「${meta.messageName}」需要关联键 zeebe:subscription correlationKey (needs a correlation key)`);
  }
  if (el.$type === 'bpmn:CallActivity' && !meta.called?.processId) add('需要指定要调用的流程 zeebe:calledElement processId (needs the process to call)');
  if (NEEDS_TASK_TYPE.has(el.$type) && !meta.taskType) add('需要指定任务类型 zeebe:taskDefinition type：内部处理器或外部作业 (needs a job type)');
  const expressions: string[] = [];
  checkLoop(el, add, expressions);
  if (el.conditionExpression?.body) expressions.push(el.conditionExpression.body);
  for (const def of el.eventDefinitions ?? []) {
    for (const attr of ['timeDuration', 'timeDate', 'timeCycle']) if (def[attr]?.body) expressions.push(def[attr].body);
  }
  for (const m of [...meta.inputs, ...meta.outputs]) {
    if (!isFeel(m.source)) add(`映射到「${m.target}」的来源必须是以 "=" 开头的 FEEL 表达式 (mapping source must be FEEL)`);
    expressions.push(m.source);
  }
  for (const value of [meta.candidateGroups, meta.assignee, meta.dueDate, meta.correlationKey]) if (value) expressions.push(value);
  if (el.conditionExpression?.body && !isFeel(el.conditionExpression.body)) add('条件必须是以 "=" 开头的 FEEL 表达式 (condition must be FEEL)');
  for (const expr of expressions.filter(isFeel)) {
    const error = feelSyntaxError(expr);
    if (error) add(`FEEL 表达式 ${JSON.stringify(expr)} 有语法错误: ${error}`);
  }
}

function walk(container: ModdleElement, meta: Map<string, ElementMeta>, problems: DeployProblem[], formKeys: Set<string>) {
  const flows = ((container.flowElements ?? []) as ModdleElement[]).filter((f) => f.$type === 'bpmn:SequenceFlow');
  for (const el of (container.flowElements ?? []) as ModdleElement[]) {
    const m = readMeta(el);
    meta.set(m.id, m);
    if (m.formKey) formKeys.add(m.formKey);
    checkElement(el, container, m, problems);
    if (el.$type === 'bpmn:SubProcess') walk(el, meta, problems, formKeys);
    if (el.$type === 'bpmn:EventBasedGateway') {
      for (const flow of flows.filter((f) => f.sourceRef === el)) {
        const target = flow.targetRef as ModdleElement;
        if (target.$type !== 'bpmn:IntermediateCatchEvent') {
          problems.push({ elementId: el.id ?? null, message: `${label(el)}: 事件网关之后只能是定时或消息捕获事件 (an event-based gateway leads to catch events only)` });
        }
      }
    }
    if (el.$type === 'bpmn:SubProcess' && el.triggeredByEvent) {
      const starts = (el.flowElements ?? []).filter((c: ModdleElement) => c.$type === 'bpmn:StartEvent');
      if (starts.length !== 1) problems.push({ elementId: el.id ?? null, message: `${label(el)}: 事件子流程需要且只需要一个开始事件 (an event sub-process needs exactly one start event)` });
    }
    if (el.$type === 'bpmn:ExclusiveGateway' || el.$type === 'bpmn:InclusiveGateway') {
      const outgoing = flows.filter((f) => f.sourceRef === el);
      if (outgoing.length > 1) {
        for (const flow of outgoing) {
          if (!flow.conditionExpression && flow !== el.default) {
            problems.push({ elementId: flow.id ?? null, message: `${label(flow)}: 网关 ${el.id} 的出口需要条件或设为默认流向 (a flow out of gateway ${el.id} needs a condition or must be its default)` });
          }
        }
      }
    }
  }
}

export async function compile(xml: string): Promise<Compiled> {
  const problems: DeployProblem[] = [];
  const meta = new Map<string, ElementMeta>();
  const processes: ProcessInfo[] = [];
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  let context: Awaited<ReturnType<typeof moddle.fromXML>>;
  try {
    context = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (err) {
    return { processes, problems: [{ elementId: null, message: `BPMN 无法解析 (does not parse): ${(err as Error).message}` }], meta, moddle: null };
  }
  for (const w of context.warnings ?? []) {
    problems.push({ elementId: (w as any).element?.id ?? null, message: `BPMN: ${w.message}` });
  }
  const root = context.rootElement as ModdleElement;
  for (const el of (root.rootElements ?? []) as ModdleElement[]) {
    if (el.$type !== 'bpmn:Process') continue;
    if (!el.isExecutable) {
      problems.push({ elementId: el.id ?? null, message: `${label(el)}: 流程未设为可执行 (isExecutable="true" missing)` });
    }
    const formKeys = new Set<string>();
    walk(el, meta, problems, formKeys);
    processes.push({ key: el.id!, name: el.name ?? el.id!, formKeys: [...formKeys] });
  }
  if (!processes.length) problems.push({ elementId: null, message: '文档中没有流程 (the document holds no bpmn:process)' });
  return { processes, problems, meta, moddle: context };
}

/**
 * The deploy problems of a compiled document. A job type no internal handler serves deploys, as on
 * Zeebe: its tasks wait for an external job worker (Camunda's job API).
 */
export function inspectWith(compiled: Compiled): { processes: ProcessInfo[]; problems: DeployProblem[] } {
  return { processes: compiled.processes, problems: compiled.problems };
}
