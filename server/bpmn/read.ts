// Reads a BPMN document once per deployed version, for every engine: moddle with Zeebe's
// extensions, what each element means to us (form, groups, due date, mappings, messages, service
// type) and every problem that would stop it running.
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';
import type { DeployProblem, ProcessInfo } from '../engine/index.js';
import { evaluateFeel, feelSyntaxError, isFeel } from '../feel/index.js';
import { firstDue, TimeError } from '../engine/embedded/time.js';
import { ELEMENTS, EVENTS, eventPlace, isMessageThrow, MULTI_INSTANCE, NEEDS_TASK_TYPE, unsupported } from './supported.js';

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
  /** A linked Camunda form (zeebe:formDefinition formId) or a form outside Zeebe (externalReference). */
  formId?: string;
  externalReference?: string;
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
  /** The message's name: a literal or FEEL (Zeebe evaluates it when the subscription opens). */
  messageName?: string;
  correlationKey?: string;
  /** Signal events: the signal's name, a literal or FEEL (evaluated when the event is entered). */
  signalName?: string;
  /** Business rule tasks: the decision to evaluate (its id, FEEL or static) and where its result goes. */
  calledDecision?: { decisionId: string; resultVariable: string };
  /** Script tasks with zeebe:script: a FEEL expression whose value becomes the result variable. */
  script?: { expression: string; resultVariable: string };
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
  const signalRef = el.eventDefinitions?.find((d: ModdleElement) => d.$type === 'bpmn:SignalEventDefinition')?.signalRef;
  const called = extension(el, 'zeebe:CalledElement');
  const decision = extension(el, 'zeebe:CalledDecision');
  const form = extension(el, 'zeebe:FormDefinition');
  const script = extension(el, 'zeebe:Script');
  return {
    id: el.id!,
    name: el.name ?? el.id!,
    type: el.$type,
    formKey: form?.formKey,
    formId: form?.formId,
    externalReference: form?.externalReference,
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
    signalName: signalRef?.name,
    ...(decision && { calledDecision: { decisionId: decision.decisionId ?? '', resultVariable: decision.resultVariable ?? '' } }),
    ...(script && { script: { expression: script.expression ?? '', resultVariable: script.resultVariable ?? '' } }),
    ...(called && {
      called: {
        processId: called.processId,
        propagateAllChildVariables: called.propagateAllChildVariables !== false,
        propagateAllParentVariables: called.propagateAllParentVariables !== false,
      },
    }),
  };
}

/** Zeebe's timers: a literal must already be a duration, date or cycle (FEEL is checked when it runs). */
function timerProblem(type: 'timeDuration' | 'timeDate' | 'timeCycle', value: string): string | null {
  const literal = value.trim();
  if (isFeel(value)) return null;
  try {
    firstDue(type, literal, new Date());
    return null;
  } catch (err) {
    if (err instanceof TimeError) return `定时设置无效: ${err.message}`;
    throw err;
  }
}

const hasOutgoingFlow = (el: ModdleElement, container: ModdleElement) =>
  ((container.flowElements ?? []) as ModdleElement[]).some((f) => f.$type === 'bpmn:SequenceFlow' && f.sourceRef === el);

function checkEvent(el: ModdleElement, container: ModdleElement, add: (message: string) => void, addAt: (id: string | undefined, message: string) => void) {
  if (!EVENTS[eventPlace(el.$type, !!container.triggeredByEvent)]) return;
  const defs = (el.eventDefinitions ?? []) as ModdleElement[];
  if (defs.length > 1) add('一个事件只能有一种事件定义 (one event definition per event)');
  const def = defs[0];
  const kind = def?.$type ?? 'none';
  const refusal = unsupported(el.$type, kind, !!container.triggeredByEvent);
  if (refusal) add(refusal);
  if (isMessageThrow(el.$type, kind)) {
    if (!extension(el, 'zeebe:TaskDefinition')?.type?.trim()) add('消息抛出或结束事件需要作业类型 zeebe:taskDefinition type (needs a job type)');
  } else if (kind === 'bpmn:MessageEventDefinition') checkMessage(el, def!.messageRef, add, addAt);
  if (kind === 'bpmn:SignalEventDefinition') checkSignal(el, def!.signalRef, container, add, addAt);
  if (kind === 'bpmn:TimerEventDefinition') {
    const given = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((attr) => def![attr]?.body);
    if (given.length !== 1) add('定时事件需要且只需要一个时长、日期或周期 (timer needs exactly one of duration, date, cycle)');
    const cycleOk = (el.$type === 'bpmn:BoundaryEvent' && el.cancelActivity === false) || (el.$type === 'bpmn:StartEvent' && (el.isInterrupting === false || !container.triggeredByEvent));
    if (given.includes('timeCycle') && !cycleOk) add('只有非中断的边界事件或事件子流程才能使用周期定时 (a cycle needs a non-interrupting boundary or event sub-process)');
    for (const type of given) {
      const problem = timerProblem(type, String(def![type].body));
      if (problem) add(problem);
    }
  }
  if (el.$type === 'bpmn:BoundaryEvent' && !el.attachedToRef?.$instanceOf?.('bpmn:Activity')) add('边界事件必须附着在活动（任务、子流程、调用活动）上 (boundary event must be attached to an activity)');
  // A compensation boundary event leads to its handler by an association instead (Zeebe).
  const handled = kind === 'bpmn:CompensateEventDefinition' && !!compensationHandler(el, container);
  if (el.$type === 'bpmn:BoundaryEvent' && !el.outgoing?.length && !hasOutgoingFlow(el, container) && !handled) add('边界事件至少需要一条出去的顺序流 (a boundary event needs an outgoing flow)');
  if (kind === 'bpmn:CompensateEventDefinition' && el.$type !== 'bpmn:BoundaryEvent') checkCompensationThrow(el, def!, container, add);
  if (kind === 'bpmn:ErrorEventDefinition' && el.$type !== 'bpmn:EndEvent' && isFeel(def!.errorRef?.errorCode)) {
    addAt(def!.id ?? el.id, `${label(el)}: 捕获错误的错误代码不能是表达式 (the error code of a catch event must not be an expression)`);
  }
  if (kind === 'bpmn:EscalationEventDefinition') checkEscalation(el, def!, add, addAt);
  if (kind === 'bpmn:ErrorEventDefinition' && (el.$type === 'bpmn:EndEvent') && !def!.errorRef?.errorCode) add('错误结束事件需要错误代码 (error end event needs an error code)');
}

/** The activity a compensation boundary event's association leads to (its compensation handler), if any. */
export function compensationHandler(boundary: ModdleElement, container: ModdleElement): ModdleElement | undefined {
  const associations = ((container.artifacts ?? []) as ModdleElement[]).filter((a) => a.$type === 'bpmn:Association');
  return associations.find((a) => a.sourceRef === boundary)?.targetRef;
}

const hasCompensationBoundary = (activity: ModdleElement, container: ModdleElement) =>
  ((container.flowElements ?? []) as ModdleElement[]).some((b) => b.attachedToRef === activity && b.eventDefinitions?.[0]?.$type === 'bpmn:CompensateEventDefinition');

/**
 * Zeebe's compensation throw rules: it waits for its handlers (waitForCompletion cannot be false), and
 * the activity it names has a compensation boundary event or is an embedded sub-process, in its scope
 * (or, from an event sub-process, the scope around it).
 */
function checkCompensationThrow(el: ModdleElement, def: ModdleElement, container: ModdleElement, add: (m: string) => void) {
  if (def.waitForCompletion === false) add('补偿事件必须等待补偿完成，waitForCompletion 不能为 false (waitForCompletion must be true or absent)');
  const activity = def.activityRef as ModdleElement | undefined;
  if (!activity) return;
  const embedded = activity.$type === 'bpmn:SubProcess' && !activity.triggeredByEvent;
  if (!embedded && !hasCompensationBoundary(activity, activity.$parent ?? container)) add(`要补偿的活动 ${activity.id} 需要补偿边界事件，或是一个子流程 (the activity needs a compensation boundary event or must be a sub-process)`);
  const scopes = [container, ...(container.triggeredByEvent ? [container.$parent] : [])];
  if (!scopes.includes(activity.$parent)) add(`要补偿的活动 ${activity.id} 必须与补偿事件在同一范围内 (the activity must be in the same scope as the compensation throw event)`);
}

/** Zeebe's rules for a compensation handler (isForCompensation): reached by an association only, with no flows and no boundary events. */
function checkCompensationHandler(el: ModdleElement, container: ModdleElement, add: (m: string) => void) {
  if (!el.isForCompensation || !el.$instanceOf?.('bpmn:Task')) return;
  const flows = ((container.flowElements ?? []) as ModdleElement[]).filter((f) => f.$type === 'bpmn:SequenceFlow');
  if (flows.some((f) => f.targetRef === el)) add('补偿处理活动不能有进入的顺序流 (a compensation handler has no incoming sequence flow)');
  if (flows.some((f) => f.sourceRef === el)) add('补偿处理活动不能有出去的顺序流 (a compensation handler has no outgoing sequence flow)');
  if (((container.flowElements ?? []) as ModdleElement[]).some((b) => b.attachedToRef === el)) add('补偿处理活动不能有边界事件 (a compensation handler has no boundary events)');
}

/** A business rule task evaluates a deployed decision (Zeebe's calledDecision) or is a job (taskDefinition). */
function checkBusinessRule(meta: ElementMeta, add: (message: string) => void) {
  const decision = meta.calledDecision;
  if (!decision && !meta.taskType) add('需要指定要调用的决策 zeebe:calledDecision decisionId (needs the decision to evaluate)');
  if (decision && !decision.decisionId) add('需要指定决策 id zeebe:calledDecision decisionId (needs a decision id)');
  if (decision && !decision.resultVariable) add('需要指定结果变量 zeebe:calledDecision resultVariable (needs a result variable)');
}

/** Zeebe's escalation rules: a throw names a code (FEEL allowed), a catch a literal one or none (every escalation), a boundary sits on a sub-process or call activity. */
function checkEscalation(el: ModdleElement, def: ModdleElement, add: (m: string) => void, addAt: (id: string | undefined, m: string) => void) {
  const escalation = def.escalationRef as ModdleElement | undefined;
  const code = escalation?.escalationCode as string | undefined;
  const throws = el.$type === 'bpmn:EndEvent' || el.$type === 'bpmn:IntermediateThrowEvent';
  if (throws && !escalation) add('需要引用一个升级定义 (must reference an escalation)');
  if (throws && escalation && !code?.trim()) addAt(escalation.id, `升级 ${escalation.id}（${el.id} 使用）: 需要升级代码 escalationCode (escalation code is required)`);
  if (!throws && isFeel(code)) addAt(def.id ?? el.id, `${label(el)}: 捕获升级的升级代码不能是表达式 (the escalation code of a catch event must not be an expression)`);
  if (el.$type === 'bpmn:BoundaryEvent' && !['bpmn:SubProcess', 'bpmn:CallActivity'].includes(el.attachedToRef?.$type)) add('升级边界事件只能附着在子流程或调用活动上 (an escalation boundary event sits on a sub-process or call activity)');
}

/** The value of a FEEL name that needs no variables (a start event's), or null when it has none such. */
function constantText(name: string): unknown {
  try {
    return evaluateFeel(name, {});
  } catch {
    return null; // a syntax error is reported on its own
  }
}

/**
 * Zeebe's signal rules: an event references a signal with a name (FEEL allowed, evaluated when the
 * event is entered); a process's signal start event needs a constant one. Zeebe names the signal.
 */
function checkSignal(el: ModdleElement, signal: ModdleElement | undefined, container: ModdleElement, add: (m: string) => void, addAt: (id: string | undefined, m: string) => void) {
  if (!signal) return add('需要引用一个信号 (must reference a signal)');
  const name = signal.name as string | undefined;
  const at = (m: string) => addAt(signal.id, `信号 ${signal.id}（${el.id} 使用）: ${m}`);
  if (!name) return at('信号需要名称 (signal name is required)');
  const syntax = isFeel(name) ? feelSyntaxError(name) : null;
  if (syntax) at(`信号名称的 FEEL 表达式 ${JSON.stringify(name)} 有语法错误: ${syntax}`);
  if (el.$type === 'bpmn:StartEvent' && !container.triggeredByEvent && isFeel(name) && !syntax && typeof constantText(name) !== 'string') {
    add(`开始事件的信号名称必须是不依赖变量的常量，"${name}" 不是 (signal name of a start event must be constant)`);
  }
}

/**
 * A message catch (event or receive task) needs a named message with a correlation key; the name
 * may be FEEL, but on a start event it must be a constant (no instance exists yet to evaluate it in).
 * Zeebe names the message itself when the message lacks something, so do we.
 */
function checkMessage(el: ModdleElement, message: ModdleElement | undefined, add: (m: string) => void, addAt: (id: string | undefined, m: string) => void) {
  if (!message) return add('需要引用一个消息 (must reference a message)');
  const name = message.name as string | undefined;
  const at = (m: string) => addAt(message.id, `消息 ${message.id}（${el.id} 使用）: ${m}`);
  if (!name) at('消息需要名称 (message name is required)');
  const syntax = name && isFeel(name) ? feelSyntaxError(name) : null;
  if (syntax) at(`消息名称的 FEEL 表达式 ${JSON.stringify(name)} 有语法错误: ${syntax}`);
  if (el.$type === 'bpmn:StartEvent') {
    if (name && isFeel(name)) {
      const value = constantText(name);
      if (typeof value !== 'string') add(`开始事件的消息名称必须是不依赖变量的常量，"${name}" 的结果为 ${JSON.stringify(value)} (message name of a start event must be constant)`);
    }
    return;
  }
  const key = extension(message, 'zeebe:Subscription')?.correlationKey as string | undefined;
  if (!key) at('需要关联键 zeebe:subscription correlationKey (needs a correlation key)');
  else if (!isFeel(key)) at(`关联键 ${JSON.stringify(key)} 必须是以 "=" 开头的 FEEL 表达式，例如 "=${key}" (correlation key must be FEEL)`);
}

function checkLoop(el: ModdleElement, add: (message: string) => void, expressions: string[]) {
  const lc = el.loopCharacteristics as ModdleElement | undefined;
  // Zeebe deploys a standard loop and ignores it: the activity runs once (the differential corpus shows it).
  if (!lc || lc.$type === 'bpmn:StandardLoopCharacteristics') return;
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
  if (z?.outputCollection && !z.outputElement) add('有输出集合 outputCollection 时需要输出元素 outputElement (outputCollection needs outputElement)');
}

/**
 * Zeebe's rule for a form: exactly one of formKey (Yishi's or a Camunda form embedded in the process),
 * formId, externalReference; a Camunda user task (zeebe:userTask) takes no formKey.
 */
function checkForm(el: ModdleElement, meta: ElementMeta, add: (message: string) => void) {
  if (!extension(el, 'zeebe:FormDefinition')) return;
  const given = [meta.formKey, meta.formId, meta.externalReference].filter((v) => v?.trim());
  if (given.length !== 1) add('表单设置 zeebe:formDefinition 需要且只能有 formKey、formId、externalReference 中的一个 (exactly one of formKey, formId, externalReference)');
  else if (meta.formKey?.trim() && extension(el, 'zeebe:UserTask')) add('Camunda 用户任务 (zeebe:userTask) 的表单只能用 formId 或 externalReference，不能用 formKey (native user tasks take formId or externalReference)');
}

/** Zeebe's mappings: a source is required (an input's may be static), a target is a variable path such as a.b. */
function checkMappings(meta: ElementMeta, add: (message: string) => void, expressions: string[]) {
  for (const [m, output] of [...meta.inputs.map((m) => [m, false] as const), ...meta.outputs.map((m) => [m, true] as const)]) {
    const what = output ? '输出映射' : '输入映射';
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(m.target ?? '')) add(`${what}的目标 ${JSON.stringify(m.target ?? '')} 不是变量名或 a.b 形式的路径 (mapping target must be a variable path)`);
    if (!m.source) add(`${what}到「${m.target}」缺少来源 (mapping source is required)`);
    else if (output && !isFeel(m.source)) add(`输出映射到「${m.target}」的来源必须是以 "=" 开头的 FEEL 表达式 (output mapping source must be FEEL)`);
    else expressions.push(m.source);
  }
}

/** A script task runs either its zeebe:script expression (into resultVariable) or, as a job, a zeebe:taskDefinition. */
function checkScript(el: ModdleElement, meta: ElementMeta, add: (message: string) => void, expressions: string[]) {
  if (el.$type !== 'bpmn:ScriptTask') return;
  if (!!meta.script === !!extension(el, 'zeebe:TaskDefinition')) {
    return add('脚本任务需要且只能有 zeebe:script 表达式或 zeebe:taskDefinition 作业类型之一 (needs either zeebe:script or zeebe:taskDefinition)');
  }
  if (!meta.script) return;
  if (!isFeel(meta.script.expression)) add(`脚本表达式 ${JSON.stringify(meta.script.expression)} 必须是以 "=" 开头的 FEEL 表达式 (script expression must be FEEL)`);
  else expressions.push(meta.script.expression);
  if (!meta.script.resultVariable.trim()) add('脚本任务需要结果变量 resultVariable (resultVariable is required)');
}

function checkElement(el: ModdleElement, container: ModdleElement, meta: ElementMeta, problems: DeployProblem[]) {
  const addAt = (id: string | undefined, message: string) => problems.push({ elementId: id ?? null, message });
  const add = (message: string) => addAt(el.id, `${label(el)}: ${message}`);
  const refusal = unsupported(el.$type, 'none', false, !!meta.taskType);
  if (!ELEMENTS[el.$type] && refusal) add(refusal);
  checkEvent(el, container, add, addAt);
  checkCompensationHandler(el, container, add);
  if (el.$type === 'bpmn:ReceiveTask') checkMessage(el, el.messageRef, add, addAt);
  if (el.$type === 'bpmn:CallActivity' && !meta.called?.processId) add('需要指定要调用的流程 zeebe:calledElement processId (needs the process to call)');
  if (el.$type === 'bpmn:BusinessRuleTask') checkBusinessRule(meta, add);
  if (NEEDS_TASK_TYPE.has(el.$type) && !meta.taskType?.trim()) add('需要指定任务类型 zeebe:taskDefinition type：内部处理器或外部作业 (needs a job type)');
  const expressions: string[] = [];
  checkScript(el, meta, add, expressions);
  checkForm(el, meta, add);
  const schedule = extension(el, 'zeebe:TaskSchedule');
  for (const [attr, what] of [['dueDate', '截止时间'], ['followUpDate', '跟进时间']] as const) {
    const value = schedule?.[attr] as string | undefined;
    if (value && !isFeel(value) && timerProblem('timeDate', value)) add(`${what} "${value}" 不是 ISO 8601 日期时间，例如 2026-03-02T15:35+08:00 (not a date-time)`);
  }
  checkLoop(el, add, expressions);
  if (el.conditionExpression?.body) expressions.push(el.conditionExpression.body);
  for (const def of el.eventDefinitions ?? []) {
    for (const attr of ['timeDuration', 'timeDate', 'timeCycle']) if (def[attr]?.body) expressions.push(def[attr].body);
  }
  // An input source without "=" is a static value (Zeebe: a string); an output must be FEEL.
  checkMappings(meta, add, expressions);
  for (const value of [meta.candidateGroups, meta.assignee, meta.dueDate, meta.correlationKey, meta.taskType, meta.calledDecision?.decisionId]) if (value) expressions.push(value);
  if (el.conditionExpression?.body && !isFeel(el.conditionExpression.body)) add('条件必须是以 "=" 开头的 FEEL 表达式 (condition must be FEEL)');
  for (const expr of expressions.filter(isFeel)) {
    const error = feelSyntaxError(expr);
    if (error) add(`FEEL 表达式 ${JSON.stringify(expr)} 有语法错误: ${error}`);
  }
}

/** Zeebe's link rules, per scope: every link throw event has the one link catch event of its name. */
function checkLinks(container: ModdleElement, problems: DeployProblem[]) {
  const links = ((container.flowElements ?? []) as ModdleElement[]).filter((el) => el.eventDefinitions?.[0]?.$type === 'bpmn:LinkEventDefinition');
  const add = (el: ModdleElement, message: string) => problems.push({ elementId: el.id ?? null, message: `${label(el)}: ${message}` });
  const catchers = new Map<string, number>();
  for (const el of links) {
    const name = el.eventDefinitions[0].name as string | undefined;
    if (!name?.trim()) add(el, '链接事件需要名称 (a link event needs a name)');
    else if (el.$type === 'bpmn:IntermediateCatchEvent') catchers.set(name, (catchers.get(name) ?? 0) + 1);
  }
  for (const [name, count] of catchers) if (count > 1) add(container, `同一范围内有 ${count} 个名为「${name}」的链接捕获事件，只能有一个 (link catch event names must be unique in a scope)`);
  for (const el of links) {
    const name = el.eventDefinitions[0].name as string | undefined;
    if (el.$type === 'bpmn:IntermediateThrowEvent' && name?.trim() && !catchers.has(name)) add(container, `链接抛出事件 ${el.id} 找不到同一范围内名为「${name}」的链接捕获事件 (no link catch event of that name)`);
  }
}

/** Zeebe's rules on how a scope starts and where flows may go. */
function checkShape(container: ModdleElement, flows: ModdleElement[], problems: DeployProblem[]) {
  const add = (el: ModdleElement, message: string) => problems.push({ elementId: el.id ?? null, message: `${label(el)}: ${message}` });
  const starts = ((container.flowElements ?? []) as ModdleElement[]).filter((c) => c.$type === 'bpmn:StartEvent');
  if (container.$type === 'bpmn:Process' && starts.filter((s) => !s.eventDefinitions?.length).length > 1) add(container, '一个流程只能有一个无类型的开始事件 (multiple none start events are not allowed)');
  const messages = starts.map((s) => s.eventDefinitions?.[0]?.messageRef as ModdleElement | undefined).filter((m) => m);
  for (const m of new Set(messages)) if (messages.filter((x) => x === m).length > 1) add(m!, '同一个消息只能被一个开始事件引用 (a message is referred by one start event at most)');
  const signals = starts.map((s) => s.eventDefinitions?.[0]?.signalRef?.name as string | undefined).filter((n) => n);
  for (const n of new Set(signals)) if (signals.filter((x) => x === n).length > 1) add(container, `多个开始事件等待同名信号「${n}」(several signal start events with the same name)`);
  if (container.$type === 'bpmn:SubProcess' && !container.triggeredByEvent) {
    if (starts.length !== 1) add(container, '子流程需要且只需要一个开始事件 (a sub-process needs exactly one start event)');
    if (starts.some((s) => s.eventDefinitions?.length)) add(container, '子流程的开始事件必须是无类型的 (start events in sub-processes must be of type none)');
  }
  const conditional = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway']);
  for (const flow of flows) {
    const source = flow.sourceRef as ModdleElement | undefined;
    if (!source) continue;
    if (flow.conditionExpression && !conditional.has(source.$type)) add(source, `顺序流 ${flow.id} 带条件，但只有排他网关和包容网关的出口可以带条件 (conditional flows only out of exclusive or inclusive gateways)`);
    if (source.$type === 'bpmn:EndEvent') add(source, '结束事件不能有出去的顺序流 (an end event has no outgoing flow)');
  }
  for (const gateway of ((container.flowElements ?? []) as ModdleElement[]).filter((el) => el.$type === 'bpmn:EventBasedGateway')) {
    if (flows.filter((f) => f.sourceRef === gateway).length < 2) add(gateway, '事件网关至少需要两条出去的顺序流 (an event-based gateway needs at least two outgoing flows)');
  }
}

function walk(container: ModdleElement, meta: Map<string, ElementMeta>, problems: DeployProblem[], formKeys: Set<string>) {
  checkLinks(container, problems);
  const flows = ((container.flowElements ?? []) as ModdleElement[]).filter((f) => f.$type === 'bpmn:SequenceFlow');
  checkShape(container, flows, problems);
  const boundariesOf = new Map<ModdleElement, ModdleElement[]>();
  for (const b of (container.flowElements ?? []) as ModdleElement[]) {
    if (b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef) boundariesOf.set(b.attachedToRef, [...(boundariesOf.get(b.attachedToRef) ?? []), b]);
  }
  for (const el of (container.flowElements ?? []) as ModdleElement[]) {
    const m = readMeta(el);
    meta.set(m.id, m);
    // A linked Camunda Form (formId) is the form of that key, as a deployed .form file is stored.
    const taskForm = m.formKey ?? m.formId;
    if (taskForm) formKeys.add(taskForm);
    checkElement(el, container, m, problems);
    if (el.$type === 'bpmn:SubProcess') walk(el, meta, problems, formKeys);
    for (const [ref, what] of [['messageRef', '消息'], ['signalRef', '信号']] as const) {
      const names = (boundariesOf.get(el) ?? []).map((b) => b.eventDefinitions?.[0]?.[ref]?.name as string | undefined).filter((name) => name);
      for (const name of new Set(names)) {
        if (names.filter((n) => n === name).length > 1) problems.push({ elementId: el.id ?? null, message: `${label(el)}: 多个边界事件等待同名${what}「${name}」(several boundary events with the same ${ref === 'messageRef' ? 'message' : 'signal'} name)` });
      }
    }
    if (el.$type === 'bpmn:EventBasedGateway') {
      for (const flow of flows.filter((f) => f.sourceRef === el)) {
        const target = flow.targetRef as ModdleElement;
        if (target.$type !== 'bpmn:IntermediateCatchEvent') {
          problems.push({ elementId: el.id ?? null, message: `${label(el)}: 事件网关之后只能是定时、消息或信号捕获事件 (an event-based gateway leads to catch events only)` });
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

/** moddle's warnings (ids used twice, references to nothing) in words an official reads. */
function parseWarning(w: { message: string; element?: { id?: string } }): DeployProblem {
  const duplicate = /duplicate ID <([^>]*)>/.exec(w.message);
  const unresolved = /unresolved reference <([^>]*)>/.exec(w.message);
  const message = duplicate
    ? `id「${duplicate[1]}」被多个元素使用，id 必须唯一 (duplicate id)`
    : unresolved
      ? `引用了不存在的元素「${unresolved[1]}」(reference to nothing)`
      : `BPMN 结构有误 (${w.message})`;
  return { elementId: duplicate?.[1] ?? w.element?.id ?? null, message };
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
  for (const w of context.warnings ?? []) problems.push(parseWarning(w as any));
  const root = context.rootElement as ModdleElement;
  // As in Zeebe, only executable processes deploy (each as its own process); a pool drawn only to
  // document a partner is not checked.
  for (const el of (root.rootElements ?? []) as ModdleElement[]) {
    if (el.$type !== 'bpmn:Process' || !el.isExecutable) continue;
    const formKeys = new Set<string>();
    walk(el, meta, problems, formKeys);
    if (!(el.flowElements ?? []).some((f: ModdleElement) => f.$type === 'bpmn:StartEvent')) {
      problems.push({ elementId: el.id ?? null, message: `${label(el)}: 流程至少需要一个开始事件 (a process needs a start event)` });
    }
    const userTaskForms: Record<string, string> = {};
    for (const f of (el.extensionElements?.values ?? []) as ModdleElement[]) if (f.$type === 'zeebe:UserTaskForm' && f.id) userTaskForms[f.id] = f.body ?? '';
    processes.push({ key: el.id!, name: el.name ?? el.id!, formKeys: [...formKeys], ...(Object.keys(userTaskForms).length && { userTaskForms }) });
  }
  if (!processes.length) problems.push({ elementId: null, message: '文档中没有可执行的流程，至少一个流程需设为可执行 isExecutable="true" (the document holds no executable process)' });
  return { processes, problems, meta, moddle: context };
}

/**
 * The deploy problems of a compiled document. A job type no internal handler serves deploys, as on
 * Zeebe: its tasks wait for an external job worker (Camunda's job API).
 */
export function inspectWith(compiled: Compiled): { processes: ProcessInfo[]; problems: DeployProblem[] } {
  return { processes: compiled.processes, problems: compiled.problems };
}
