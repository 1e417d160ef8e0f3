// Reads a BPMN document once per deployed version, for every engine: moddle with Zeebe's
// extensions, what each element means to us (form, groups, due date, mappings, messages, service
// type) and every problem that would stop it running.
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';
import type { DeployProblem, ProcessInfo } from '../engine/index.js';
import { feelSyntaxError, isFeel } from '../feel/index.js';

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
  dueDate?: string;
  inputs: Mapping[];
  outputs: Mapping[];
  taskType?: string;
  headers: Record<string, string>;
  messageName?: string;
  correlationKey?: string;
}

export interface Compiled {
  processes: ProcessInfo[];
  problems: DeployProblem[];
  meta: Map<string, ElementMeta>;
  /** The moddle parse (bpmn:Definitions with its warnings); null when the XML did not parse. */
  moddle: unknown;
}

/** Element types the embedded engine runs with Zeebe's meaning; anything else is refused at deploy. */
const SUPPORTED = new Set([
  'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:IntermediateThrowEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent',
  'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:ReceiveTask', 'bpmn:Task', 'bpmn:ManualTask',
  'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:EventBasedGateway', 'bpmn:InclusiveGateway',
  'bpmn:SubProcess', 'bpmn:SequenceFlow',
  'bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference', 'bpmn:Group',
]);
const SUPPORTED_EVENTS = new Set([
  'bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:TerminateEventDefinition',
]);
const NEEDS_TYPE = new Set(['bpmn:ServiceTask', 'bpmn:SendTask']);

type ModdleElement = Record<string, any> & { $type: string; id?: string; name?: string };

const label = (el: ModdleElement) => (el.name ? `${el.id} "${el.name}"` : String(el.id));

function extension(el: ModdleElement, type: string): ModdleElement | undefined {
  return el.extensionElements?.values?.find((v: ModdleElement) => v.$type === type);
}

function readMeta(el: ModdleElement): ElementMeta {
  const io = extension(el, 'zeebe:IoMapping');
  const headers: Record<string, string> = {};
  for (const h of extension(el, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value;
  const messageRef = el.messageRef ?? el.eventDefinitions?.find((d: ModdleElement) => d.$type === 'bpmn:MessageEventDefinition')?.messageRef;
  const subscription = messageRef && extension(messageRef, 'zeebe:Subscription');
  return {
    id: el.id!,
    name: el.name ?? el.id!,
    type: el.$type,
    formKey: extension(el, 'zeebe:FormDefinition')?.formKey,
    candidateGroups: extension(el, 'zeebe:AssignmentDefinition')?.candidateGroups,
    dueDate: extension(el, 'zeebe:TaskSchedule')?.dueDate,
    inputs: (io?.inputParameters ?? []).map((p: ModdleElement) => ({ source: p.source, target: p.target })),
    outputs: (io?.outputParameters ?? []).map((p: ModdleElement) => ({ source: p.source, target: p.target })),
    taskType: extension(el, 'zeebe:TaskDefinition')?.type,
    headers,
    messageName: messageRef?.name,
    correlationKey: subscription?.correlationKey,
  };
}

function checkElement(el: ModdleElement, meta: ElementMeta, problems: DeployProblem[]) {
  const add = (message: string) => problems.push({ elementId: el.id ?? null, message: `${label(el)}: ${message}` });
  if (!SUPPORTED.has(el.$type)) add(`element type ${el.$type} is not supported`);
  for (const def of el.eventDefinitions ?? []) {
    if (!SUPPORTED_EVENTS.has(def.$type)) add(`event definition ${def.$type} is not supported`);
    if (def.$type === 'bpmn:MessageEventDefinition' && !def.messageRef?.name) add('message event needs a message with a name');
    for (const attr of ['timeDuration', 'timeDate', 'timeCycle']) {
      const body = def[attr]?.body;
      if (def.$type === 'bpmn:TimerEventDefinition' && attr in def && !body) add(`timer ${attr} is empty`);
    }
  }
  if (el.$type === 'bpmn:ReceiveTask' && !el.messageRef?.name) add('receive task needs a message with a name');
  if (meta.messageName && el.$type !== 'bpmn:StartEvent' && !meta.correlationKey && el.$type !== 'bpmn:EndEvent' && el.$type !== 'bpmn:IntermediateThrowEvent') {
    add(`message "${meta.messageName}" needs a zeebe:subscription correlationKey`);
  }
  if (NEEDS_TYPE.has(el.$type) && !meta.taskType) add('needs a zeebe:taskDefinition type (the internal handler to call)');
  if (el.loopCharacteristics) add('multi-instance / loop characteristics are not supported');
  const expressions: string[] = [];
  if (el.conditionExpression?.body) expressions.push(el.conditionExpression.body);
  for (const def of el.eventDefinitions ?? []) {
    for (const attr of ['timeDuration', 'timeDate', 'timeCycle']) if (def[attr]?.body) expressions.push(def[attr].body);
  }
  for (const m of [...meta.inputs, ...meta.outputs]) {
    if (!isFeel(m.source)) add(`mapping to "${m.target}" must be a FEEL expression starting with "="`);
    expressions.push(m.source);
  }
  for (const value of [meta.candidateGroups, meta.dueDate, meta.correlationKey]) if (value) expressions.push(value);
  if (el.conditionExpression?.body && !isFeel(el.conditionExpression.body)) add('condition must be a FEEL expression starting with "="');
  for (const expr of expressions.filter(isFeel)) {
    const error = feelSyntaxError(expr);
    if (error) add(`FEEL ${JSON.stringify(expr)}: ${error}`);
  }
}

function walk(container: ModdleElement, meta: Map<string, ElementMeta>, problems: DeployProblem[], formKeys: Set<string>) {
  const flows = ((container.flowElements ?? []) as ModdleElement[]).filter((f) => f.$type === 'bpmn:SequenceFlow');
  for (const el of (container.flowElements ?? []) as ModdleElement[]) {
    const m = readMeta(el);
    meta.set(m.id, m);
    if (m.formKey) formKeys.add(m.formKey);
    checkElement(el, m, problems);
    if (el.$type === 'bpmn:SubProcess') walk(el, meta, problems, formKeys);
    if (el.$type === 'bpmn:ExclusiveGateway' || el.$type === 'bpmn:InclusiveGateway') {
      const outgoing = flows.filter((f) => f.sourceRef === el);
      if (outgoing.length > 1) {
        for (const flow of outgoing) {
          if (!flow.conditionExpression && flow !== el.default) {
            problems.push({ elementId: flow.id ?? null, message: `${label(flow)}: a flow out of gateway ${el.id} needs a condition or must be its default` });
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
    return { processes, problems: [{ elementId: null, message: `BPMN does not parse: ${(err as Error).message}` }], meta, moddle: null };
  }
  for (const w of context.warnings ?? []) {
    problems.push({ elementId: (w as any).element?.id ?? null, message: `BPMN: ${w.message}` });
  }
  const root = context.rootElement as ModdleElement;
  for (const el of (root.rootElements ?? []) as ModdleElement[]) {
    if (el.$type !== 'bpmn:Process') continue;
    if (!el.isExecutable) {
      problems.push({ elementId: el.id ?? null, message: `${label(el)}: process is not executable (isExecutable="true" missing)` });
    }
    const formKeys = new Set<string>();
    walk(el, meta, problems, formKeys);
    processes.push({ key: el.id!, name: el.name ?? el.id!, formKeys: [...formKeys] });
  }
  if (!processes.length) problems.push({ elementId: null, message: 'the document holds no bpmn:process' });
  return { processes, problems, meta, moddle: context };
}

/** The deploy problems of a compiled document, plus service tasks naming a handler nobody runs. */
export function inspectWith(compiled: Compiled, handlers: Record<string, unknown>): { processes: ProcessInfo[]; problems: DeployProblem[] } {
  const problems = [...compiled.problems];
  for (const m of compiled.meta.values()) {
    if (m.taskType && !handlers[m.taskType]) {
      problems.push({ elementId: m.id, message: `${m.id} "${m.name}": no internal handler "${m.taskType}" (known: ${Object.keys(handlers).join(', ')})` });
    }
  }
  return { processes: compiled.processes, problems };
}
