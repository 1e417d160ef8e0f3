// The compiled model of one deployed version: every flow node with its behaviour kind, flows,
// scope, boundary and event sub-process tables and multi-instance settings. Built once per version
// from server/bpmn's reading; the interpreter only looks up.
import type { Compiled, ElementMeta } from '../../bpmn/read.js';
import { compensationHandler } from '../../bpmn/read.js';
import { isMessageThrow } from '../../bpmn/supported.js';

export interface Flow {
  id: string;
  target: string;
  condition: string | null;
}

export type Kind =
  | 'process' | 'start' | 'end' | 'userTask' | 'serviceTask' | 'scriptTask' | 'businessRuleTask' | 'receiveTask' | 'passTask'
  | 'exclusive' | 'parallel' | 'inclusive' | 'eventGateway' | 'catch' | 'throw' | 'link' | 'subProcess' | 'boundary' | 'callActivity';

export interface TimerDef {
  type: 'timeDuration' | 'timeDate' | 'timeCycle';
  expression: string;
}

export interface Loop {
  sequential: boolean;
  inputCollection: string;
  inputElement: string | null;
  outputCollection: string | null;
  outputElement: string | null;
  completionCondition: string | null;
}

export interface Node {
  id: string;
  name: string;
  /** The BPMN type without "bpmn:", as history records it. */
  type: string;
  kind: Kind;
  /** The container (sub-process or process) this node lives in. */
  scope: string;
  meta: ElementMeta;
  outgoing: Flow[];
  defaultFlow: string | null;
  timer: TimerDef | null;
  /** Message events and receive tasks. */
  message: boolean;
  /**
   * Compensation: on a compensation boundary event, the handler its association leads to; on a
   * throw or end event, the activity it compensates (null: every one of its scope).
   */
  compensation: { handler: string | null; activity: string | null } | null;
  /** An event sub-process (it leaves no compensation of its own, as on Zeebe). */
  eventSub: boolean;
  /** Signal events: a catch waits for a broadcast of its signal, a throw or end event broadcasts one. */
  signal: boolean;
  /** Error events: the code thrown or caught (null on a catch: every error). */
  error: { code: string | null } | null;
  /** Escalation events: the code thrown (FEEL allowed) or caught (null on a catch: every escalation). */
  escalation: { code: string | null } | null;
  terminate: boolean;
  interrupting: boolean;
  boundaries: string[];
  attachedTo: string | null;
  loop: Loop | null;
  /** Containers: the none start events, and the start events of their event sub-processes. */
  starts: string[];
  eventStarts: string[];
  /** Ids of the flows into the node (a parallel join waits for one on each). */
  incomingFlows: string[];
  /** Inclusive joins: per incoming flow, the nodes of the scope from which it can still be reached. */
  upstream: Map<string, Set<string>> | null;
}

export interface Model {
  processId: string;
  nodes: Map<string, Node>;
}

type ModdleElement = Record<string, any> & { $type: string; id: string };

const KINDS: Record<string, Kind> = {
  'bpmn:StartEvent': 'start', 'bpmn:EndEvent': 'end', 'bpmn:UserTask': 'userTask', 'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'serviceTask', 'bpmn:BusinessRuleTask': 'businessRuleTask', 'bpmn:ReceiveTask': 'receiveTask', 'bpmn:Task': 'passTask', 'bpmn:ManualTask': 'passTask',
  'bpmn:ExclusiveGateway': 'exclusive', 'bpmn:ParallelGateway': 'parallel', 'bpmn:InclusiveGateway': 'inclusive',
  'bpmn:EventBasedGateway': 'eventGateway', 'bpmn:IntermediateCatchEvent': 'catch', 'bpmn:IntermediateThrowEvent': 'throw',
  'bpmn:SubProcess': 'subProcess', 'bpmn:BoundaryEvent': 'boundary', 'bpmn:CallActivity': 'callActivity',
  // With a zeebe:taskDefinition (deploy refuses it without): a job, as on Zeebe. A business rule task
  // is its own kind: a called decision, else a job.
  'bpmn:ScriptTask': 'serviceTask',
};

function readLoop(el: ModdleElement): Loop | null {
  const lc = el.loopCharacteristics;
  if (!lc || lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return null;
  const z = lc.extensionElements?.values?.find((v: ModdleElement) => v.$type === 'zeebe:LoopCharacteristics') ?? {};
  return {
    sequential: !!lc.isSequential,
    inputCollection: z.inputCollection,
    inputElement: z.inputElement || null,
    outputCollection: z.outputCollection || null,
    outputElement: z.outputElement || null,
    completionCondition: lc.completionCondition?.body || null,
  };
}

function readTimer(def: ModdleElement | undefined): TimerDef | null {
  if (def?.$type !== 'bpmn:TimerEventDefinition') return null;
  for (const type of ['timeDuration', 'timeDate', 'timeCycle'] as const) {
    if (def[type]?.body) return { type, expression: String(def[type].body).trim() };
  }
  return null;
}

/** A script task with zeebe:script is evaluated here; with a job type it is a job like a service task, as is a message throw. */
function kindOf(el: ModdleElement, def: ModdleElement | undefined, meta: ElementMeta, throwsMessage: boolean): Kind {
  if (meta.script) return 'scriptTask';
  if (throwsMessage) return 'serviceTask';
  if (def?.$type === 'bpmn:LinkEventDefinition') return 'link';
  return KINDS[el.$type] ?? 'passTask';
}

function node(el: ModdleElement, scope: string, meta: ElementMeta): Node {
  const def = el.eventDefinitions?.[0] as ModdleElement | undefined;
  // A message throw or end event is a job of its type, run as a service task is.
  const throwsMessage = isMessageThrow(el.$type, def?.$type ?? 'none');
  return {
    id: el.id,
    name: meta.name,
    type: el.$type.replace(/^bpmn:/, ''),
    kind: kindOf(el, def, meta, throwsMessage),
    scope,
    meta,
    outgoing: [],
    incomingFlows: [],
    defaultFlow: el.default?.id ?? null,
    timer: readTimer(def),
    message: (def?.$type === 'bpmn:MessageEventDefinition' && !throwsMessage) || el.$type === 'bpmn:ReceiveTask',
    signal: def?.$type === 'bpmn:SignalEventDefinition',
    compensation: def?.$type === 'bpmn:CompensateEventDefinition' ? { handler: null, activity: def.activityRef?.id ?? null } : null,
    eventSub: !!el.triggeredByEvent,
    error: def?.$type === 'bpmn:ErrorEventDefinition' ? { code: def.errorRef?.errorCode ?? null } : null,
    escalation: def?.$type === 'bpmn:EscalationEventDefinition' ? { code: def.escalationRef?.escalationCode || null } : null,
    terminate: def?.$type === 'bpmn:TerminateEventDefinition',
    interrupting: el.$type === 'bpmn:BoundaryEvent' ? el.cancelActivity !== false : el.isInterrupting !== false,
    boundaries: [],
    attachedTo: el.attachedToRef?.id ?? null,
    loop: readLoop(el),
    starts: [],
    eventStarts: [],
    upstream: null,
  };
}

const elementsById = (elements: ModdleElement[], id: string) => elements.find((el) => el.id === id)!;

/** The nodes of a scope from which `from` is reachable, not passing through `gateway` (Zeebe 8.6's active path). */
function reachingBack(from: string, gateway: string, sources: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === gateway || seen.has(id)) continue;
    seen.add(id);
    stack.push(...(sources.get(id) ?? []));
  }
  return seen;
}

function walk(container: ModdleElement, scope: string, compiled: Compiled, nodes: Map<string, Node>) {
  const elements = (container.flowElements ?? []) as ModdleElement[];
  const local: Node[] = [];
  for (const el of elements) {
    if (el.$type === 'bpmn:SequenceFlow' || !KINDS[el.$type]) continue;
    const n = node(el, scope, compiled.meta.get(el.id)!);
    nodes.set(n.id, n);
    local.push(n);
    if (el.$type === 'bpmn:SubProcess') walk(el, el.id, compiled, nodes);
  }
  // Which nodes lead to which: a boundary event is reached from its activity.
  const sources = new Map<string, string[]>();
  for (const el of elements) if (el.attachedToRef) sources.set(el.id, [el.attachedToRef.id]);
  for (const f of elements) {
    if (f.$type !== 'bpmn:SequenceFlow') continue;
    const from = nodes.get(f.sourceRef.id)!;
    const to = nodes.get(f.targetRef.id)!;
    from.outgoing.push({ id: f.id, target: to.id, condition: f.conditionExpression?.body ?? null });
    to.incomingFlows.push(f.id);
    sources.set(to.id, [...(sources.get(to.id) ?? []), from.id]);
  }
  // A link throw event goes on at the link catch event of its name in the same scope: a flow between them.
  const linkName = (el: ModdleElement) => el.eventDefinitions?.[0]?.name as string;
  const links = elements.filter((el) => el.eventDefinitions?.[0]?.$type === 'bpmn:LinkEventDefinition');
  for (const thrower of links.filter((el) => el.$type === 'bpmn:IntermediateThrowEvent')) {
    const catcher = links.find((el) => el.$type === 'bpmn:IntermediateCatchEvent' && linkName(el) === linkName(thrower))!;
    nodes.get(thrower.id)!.outgoing.push({ id: `${thrower.id}->${catcher.id}`, target: catcher.id, condition: null });
    sources.set(catcher.id, [...(sources.get(catcher.id) ?? []), thrower.id]);
  }
  const containerNode = nodes.get(scope)!;
  for (const n of local) {
    if (n.compensation && n.kind === 'boundary') n.compensation.handler = compensationHandler(elementsById(elements, n.id), container)?.id ?? null;
    if (n.attachedTo) nodes.get(n.attachedTo)!.boundaries.push(n.id);
    if (n.kind === 'start' && !n.timer && !n.message && !n.signal) containerNode.starts.push(n.id);
  }
  for (const el of elements) {
    if (el.$type !== 'bpmn:SubProcess' || !el.triggeredByEvent) continue;
    const start = (el.flowElements ?? []).find((c: ModdleElement) => c.$type === 'bpmn:StartEvent');
    if (start) {
      containerNode.eventStarts.push(start.id);
      nodes.get(el.id)!.starts = [start.id];
    }
  }
  for (const n of local) {
    if (n.kind !== 'inclusive' || n.incomingFlows.length < 2) continue;
    n.upstream = new Map();
    for (const f of elements) {
      if (f.$type === 'bpmn:SequenceFlow' && f.targetRef.id === n.id) n.upstream.set(f.id, reachingBack(f.sourceRef.id, n.id, sources));
    }
  }
  // A process whose only start event is a message start runs it on the start command.
  if (!containerNode.starts.length && containerNode.kind === 'process') {
    const first = local.find((n) => n.kind === 'start');
    if (first) containerNode.starts.push(first.id);
  }
}

/** The model of one process of the document (the one named, else its first); the document has been checked already. */
export function buildModel(compiled: Compiled, processId?: string): Model {
  const root = (compiled.moddle as { rootElement: ModdleElement }).rootElement;
  // Only executable processes run (a collaboration's documentation pools do not), as in Zeebe.
  const processes = (root.rootElements as ModdleElement[]).filter((e) => e.$type === 'bpmn:Process' && e.isExecutable);
  const process = processes.find((e) => e.id === processId) ?? processes[0]!;
  const nodes = new Map<string, Node>();
  const meta: ElementMeta = { id: process.id, name: process.name ?? process.id, type: process.$type, inputs: [], outputs: [], headers: {} };
  nodes.set(process.id, { ...node(process, '', meta), kind: 'process' });
  walk(process, process.id, compiled, nodes);
  return { processId: process.id, nodes };
}
