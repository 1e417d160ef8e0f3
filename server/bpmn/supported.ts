// The one list of what both engines run: element types, the event definitions each may carry and
// the Chinese names the refusals use. Deploy refuses anything else, identically for embedded and Zeebe,
// and the modeler's lint flags it before deploy: this module stays free of Node-only imports.

/** Every supported element type with its Chinese name (what an official sees in a refusal). */
export const ELEMENTS: Record<string, string> = {
  'bpmn:StartEvent': '开始事件', 'bpmn:EndEvent': '结束事件', 'bpmn:IntermediateThrowEvent': '中间抛出事件',
  'bpmn:IntermediateCatchEvent': '中间捕获事件', 'bpmn:BoundaryEvent': '边界事件',
  'bpmn:UserTask': '用户任务', 'bpmn:ServiceTask': '服务任务', 'bpmn:BusinessRuleTask': '业务规则任务', 'bpmn:SendTask': '发送任务', 'bpmn:ReceiveTask': '接收任务',
  'bpmn:Task': '任务', 'bpmn:ManualTask': '手工任务', 'bpmn:ScriptTask': '脚本任务',
  'bpmn:ExclusiveGateway': '排他网关', 'bpmn:ParallelGateway': '并行网关', 'bpmn:EventBasedGateway': '事件网关', 'bpmn:InclusiveGateway': '包容网关',
  'bpmn:SubProcess': '子流程', 'bpmn:CallActivity': '调用活动（调用其他流程）', 'bpmn:SequenceFlow': '顺序流',
  'bpmn:TextAnnotation': '注释', 'bpmn:Association': '关联', 'bpmn:DataObject': '数据对象', 'bpmn:DataObjectReference': '数据对象',
  'bpmn:DataStoreReference': '数据存储', 'bpmn:Group': '分组',
};

/** Names of refused types, so the refusal says what was drawn. */
export const REFUSED_ELEMENTS: Record<string, string> = {
  'bpmn:ComplexGateway': '复杂网关', 'bpmn:Transaction': '事务子流程', 'bpmn:AdHocSubProcess': '自由子流程',
};

const TIMER = 'bpmn:TimerEventDefinition';
const MESSAGE = 'bpmn:MessageEventDefinition';
const ERROR = 'bpmn:ErrorEventDefinition';
const TERMINATE = 'bpmn:TerminateEventDefinition';
const LINK = 'bpmn:LinkEventDefinition';
const ESCALATION = 'bpmn:EscalationEventDefinition';
const SIGNAL = 'bpmn:SignalEventDefinition';
const COMPENSATE = 'bpmn:CompensateEventDefinition';

export const EVENT_NAMES: Record<string, string> = {
  [TIMER]: '定时', [MESSAGE]: '消息', [ERROR]: '错误', [TERMINATE]: '终止', [SIGNAL]: '信号',
  [ESCALATION]: '升级', [COMPENSATE]: '补偿', 'bpmn:ConditionalEventDefinition': '条件',
  [LINK]: '链接', 'bpmn:CancelEventDefinition': '取消',
};

/**
 * The event definitions allowed per event type and place ("none" = no definition). A process's
 * own start event: none or message (run on the start command), timer (the durable scheduler
 * starts the instances) or signal (a broadcast in its jurisdiction starts one); an event
 * sub-process start needs one.
 */
export const EVENTS: Record<string, string[]> = {
  'bpmn:StartEvent': ['none', MESSAGE, TIMER, SIGNAL],
  'eventSubProcessStart': [TIMER, MESSAGE, ERROR, ESCALATION, SIGNAL],
  'bpmn:EndEvent': ['none', ERROR, TERMINATE, ESCALATION, MESSAGE, SIGNAL, COMPENSATE],
  'bpmn:IntermediateThrowEvent': ['none', LINK, ESCALATION, MESSAGE, SIGNAL, COMPENSATE],
  'bpmn:IntermediateCatchEvent': [TIMER, MESSAGE, LINK, SIGNAL],
  'bpmn:BoundaryEvent': [TIMER, MESSAGE, ERROR, ESCALATION, SIGNAL, COMPENSATE],
};

/** Activities that may carry multi-instance (会签/或签) characteristics. */
export const MULTI_INSTANCE = new Set(['bpmn:UserTask', 'bpmn:BusinessRuleTask', 'bpmn:CallActivity', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:ReceiveTask', 'bpmn:Task', 'bpmn:ManualTask', 'bpmn:ScriptTask', 'bpmn:SubProcess']);

export const NEEDS_TASK_TYPE = new Set(['bpmn:ServiceTask', 'bpmn:SendTask']);

/** A message throw or end event is a job, like a send task (Zeebe: a job type or a message to publish). */
export const isMessageThrow = (type: string, definition: string) =>
  definition === MESSAGE && (type === 'bpmn:IntermediateThrowEvent' || type === 'bpmn:EndEvent');

/** Tasks that run as a job when they carry a zeebe:taskDefinition (Zeebe's job worker implementation). */
export const JOB_WHEN_TYPED = new Set(['bpmn:ScriptTask', 'bpmn:BusinessRuleTask']);

const typeName = (type: string) => ELEMENTS[type] ?? REFUSED_ELEMENTS[type] ?? type.replace(/^bpmn:/, '');

/** Where an event sits decides which definitions it may carry. */
export function eventPlace(type: string, inEventSubProcess: boolean): string {
  return type === 'bpmn:StartEvent' && inEventSubProcess ? 'eventSubProcessStart' : type;
}

/**
 * Why an element cannot run, or null: its type, or the event definition it carries at its place
 * (`definition` is the definition's type, "none" without one; `hasJobType`: a zeebe:taskDefinition).
 */
export function unsupported(type: string, definition: string, inEventSubProcess: boolean, hasJobType = false): string | null {
  if (!ELEMENTS[type] && !(hasJobType && JOB_WHEN_TYPED.has(type))) return `不支持${typeName(type)} (element type ${type} is not supported)`;
  const allowed = EVENTS[eventPlace(type, inEventSubProcess)];
  if (!allowed || allowed.includes(definition)) return null;
  const what = definition !== 'none' ? `${EVENT_NAMES[definition] ?? definition}${typeName(type)}` : `无类型的${typeName(type)}`;
  return `不支持${what} (${definition} on ${type} is not supported)`;
}
