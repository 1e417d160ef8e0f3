// What Zeebe did to one instance, rebuilt from the records its exporter ships (exporter/): the same
// instance/task/history model the embedded engine fills. Pure: applying a record twice (a
// re-delivery after a restart) changes nothing, because each state remembers the last position it
// applied per partition.
import type { Json, JsonObject } from '../../json.js';
import { JURISDICTION_VARIABLE } from './signal-scope.js';
import type { StepEvent, WaitPoint } from '../index.js';

/** One exported record, as the exporter's HTTP endpoint hands it over. */
export interface ZeebeRecord {
  partition: number;
  position: number;
  yishiInstanceId: string;
  /** On a called process's own process records: the Yishi instance that called it. */
  yishiParentId?: string;
  record: { key: number | string; valueType: string; intent: string; timestamp: number; value: Record<string, any> };
}

export interface Incident {
  key: string;
  elementId: string;
  message: string;
  /** The failed job, when the incident is a job's: its retries are restored on retry. */
  jobKey: string | null;
}

/** The engine state Yishi persists with each step (Step.state). */
export interface ZeebeState {
  processInstanceKey: string;
  /** Last record position applied, per partition. */
  positions: Record<string, number>;
  status: 'active' | 'completed' | 'cancelled';
  waits: WaitPoint[];
  variables: JsonObject;
  incidents: Incident[];
  /** Jobs whose handler effects are committed; forgotten when Zeebe reports the job done. */
  effectJobs: string[];
  /** Service jobs Zeebe created and no worker has finished yet: the instance is still moving. */
  serviceJobs: string[];
  /** Elements between two of their states (activating, completing, terminating). */
  moving: number;
  /** The last element record was a flow taken: its target is about to activate (or waits at a join). */
  flowTaken: boolean;
  /** Variables a job or message brought, by element instance, until that element completes. */
  pendingData: Record<string, JsonObject>;
  /** The element instance each wait belongs to (a job's or timer's key is not it): what a modification terminates. */
  elementInstances: Record<string, string>;
  /** The user task job each element instance completed with, until the element completes: its history entry names the task. */
  completedJobs: Record<string, string>;
  /** Active element instances: their flow scope and local variables (a 会签 signer, input mappings). */
  scopes: Record<string, { parent: string; locals: JsonObject }>;
}

export function initialState(processInstanceKey: string, variables: JsonObject): ZeebeState {
  return { processInstanceKey, positions: {}, status: 'active', waits: [], variables, incidents: [], effectJobs: [], serviceJobs: [], moving: 0, flowTaken: false, pendingData: {}, elementInstances: {}, completedJobs: {}, scopes: {} };
}

/** States written before the mirror (waits and variables only) read as active ones. */
export function readState(raw: unknown): ZeebeState {
  const s = raw as Partial<ZeebeState> & { processInstanceKey: string };
  return { ...initialState(s.processInstanceKey, s.variables ?? {}), ...s, waits: s.waits ?? [] };
}

export const USER_TASK_TYPE = 'io.camunda.zeebe:userTask';
/** Variables Yishi adds for itself; not the case's data. */
const OWN_VARIABLES = new Set(['params', 'yishiInstanceId', JURISDICTION_VARIABLE]);
/** Elements whose completion is not a step of the case (the embedded engine leaves them out too). */
const NOT_HISTORY = new Set(['PROCESS', 'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY', 'UNSPECIFIED']);

/** How an element record changes the count of elements in motion. */
const MOVES: Record<string, number> = {
  ELEMENT_ACTIVATING: 1, ELEMENT_ACTIVATED: -1, ELEMENT_COMPLETING: 1, ELEMENT_COMPLETED: -1, ELEMENT_TERMINATING: 1, ELEMENT_TERMINATED: -1,
};

/** Whether Zeebe is still working on the instance (a command's step waits for it to rest). */
export const moving = (s: ZeebeState) => s.moving > 0 || s.flowTaken || s.serviceJobs.length > 0;

/** Zeebe types whose BPMN element is named otherwise (an event sub-process is a bpmn:SubProcess). */
const BPMN_TYPES: Record<string, string> = { EVENT_SUB_PROCESS: 'SubProcess' };
/** USER_TASK → UserTask: the BPMN type names the embedded engine's history uses. */
const bpmnType = (zeebeType: string) => BPMN_TYPES[zeebeType] ?? zeebeType.toLowerCase().replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase());

/** What a job carries: the process variables under the locals of each scope from the root down to its element. */
function visibleAt(state: ZeebeState, elementInstanceKey: string): JsonObject {
  const chain: JsonObject[] = [];
  for (let k: string | undefined = elementInstanceKey; k && state.scopes[k]; k = state.scopes[k]!.parent) chain.unshift(state.scopes[k]!.locals);
  return Object.assign({}, state.variables, ...chain);
}

/** Zeebe's incident types in the officials' words; Zeebe's own message follows. */
const INCIDENT_KINDS: Record<string, string> = {
  EXTRACT_VALUE_ERROR: '表达式求值失败',
  CONDITION_ERROR: '条件求值失败',
  IO_MAPPING_ERROR: '变量映射失败',
  JOB_NO_RETRIES: '服务任务失败',
  EXECUTION_LISTENER_NO_RETRIES: '监听器失败',
  CALLED_ELEMENT_ERROR: '子流程无法启动',
  CALLED_DECISION_ERROR: '决策无法调用',
  DECISION_EVALUATION_ERROR: '决策求值失败',
  FORM_NOT_FOUND: '表单不存在',
  MESSAGE_SIZE_EXCEEDED: '消息过大',
  UNHANDLED_ERROR_EVENT: '错误事件无人处理',
  RESOURCE_NOT_FOUND: '资源不存在',
};

const parse = (text: string): Json => {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
};

/** A user task's job completed in Zeebe, with the data it was completed with; null for any other record. */
export function taskCompletion(r: ZeebeRecord): { ref: string; variables: JsonObject } | null {
  const { valueType, intent, value } = r.record;
  if (valueType !== 'JOB' || intent !== 'COMPLETED' || value.type !== USER_TASK_TYPE) return null;
  return { ref: String(r.record.key), variables: (value.variables as JsonObject | undefined) ?? {} };
}

/** A called process's start, as its first records tell it: its caller and the call's element instance. */
export function calledStart(r: ZeebeRecord): { parentId: string; parentRef: string; processId: string; processInstanceKey: string } | null {
  const { valueType, value } = r.record;
  if (!r.yishiParentId || valueType !== 'PROCESS_INSTANCE' || value.bpmnElementType !== 'PROCESS') return null;
  return { parentId: r.yishiParentId, parentRef: String(value.parentElementInstanceKey), processId: value.bpmnProcessId, processInstanceKey: String(value.processInstanceKey) };
}

export function applied(state: ZeebeState, r: ZeebeRecord): boolean {
  return r.position <= (state.positions[r.partition] ?? -1);
}

/**
 * Applies one record to a state (in place) and returns the history entries it makes. `name` gives
 * an element's display name.
 */
export function apply(state: ZeebeState, r: ZeebeRecord, name: (elementId: string) => string): StepEvent[] {
  if (applied(state, r)) return [];
  state.positions[r.partition] = r.position;
  const { valueType, intent, value, timestamp } = r.record;
  const key = String(r.record.key);
  const at = new Date(timestamp).toISOString();
  const event = (elementId: string, type: string, data: JsonObject | null, ref?: string): StepEvent[] => [{ elementId, name: name(elementId), type, at, data, ...(ref && { ref }) }];
  const root = String(value.processInstanceKey) === state.processInstanceKey;
  const drop = (ref: string) => {
    state.waits = state.waits.filter((w) => w.ref !== ref);
    delete state.elementInstances[ref];
  };
  const add = (w: WaitPoint) => {
    drop(w.ref);
    state.waits.push(w);
    if (value.elementInstanceKey !== undefined) state.elementInstances[w.ref] = String(value.elementInstanceKey);
  };

  switch (valueType) {
    case 'PROCESS_INSTANCE': {
      const type: string = value.bpmnElementType;
      state.moving = Math.max(0, state.moving + (MOVES[intent] ?? 0));
      state.flowTaken = intent === 'SEQUENCE_FLOW_TAKEN';
      if (intent === 'ELEMENT_ACTIVATING' && type !== 'PROCESS') state.scopes[key] = { parent: String(value.flowScopeKey), locals: {} };
      if (intent === 'ELEMENT_COMPLETED' || intent === 'ELEMENT_TERMINATED') delete state.scopes[key];
      if (type === 'PROCESS' && root && (intent === 'ELEMENT_COMPLETED' || intent === 'ELEMENT_TERMINATED')) {
        state.status = intent === 'ELEMENT_COMPLETED' ? 'completed' : 'cancelled';
        state.waits = [];
        state.incidents = [];
      }
      // An error end event throws and is terminated with its scope: it was reached all the same.
      const reached = intent === 'ELEMENT_COMPLETED' || (intent === 'ELEMENT_TERMINATED' && type === 'END_EVENT');
      if (!reached || NOT_HISTORY.has(type)) return [];
      const data = state.pendingData[key] ?? null;
      const job = state.completedJobs[key];
      delete state.pendingData[key];
      delete state.completedJobs[key];
      return event(value.elementId, bpmnType(type), data, job);
    }
    case 'JOB': {
      if (intent === 'CREATED' && value.type === USER_TASK_TYPE) {
        const headers: Record<string, string> = value.customHeaders ?? {};
        const groups = headers['io.camunda.zeebe:candidateGroups'];
        add({
          kind: 'userTask', ref: key, elementId: value.elementId, name: name(value.elementId),
          formKey: headers['io.camunda.zeebe:formKey'] ?? null,
          candidateGroups: groups ? (JSON.parse(groups) as string[]) : [],
          assignee: headers['io.camunda.zeebe:assignee'] ?? null,
          due: headers['io.camunda.zeebe:dueDate'] ?? null,
          variables: visibleAt(state, String(value.elementInstanceKey)),
        });
      }
      if (intent === 'CREATED' && value.type !== USER_TASK_TYPE) state.serviceJobs = [...state.serviceJobs.filter((k) => k !== key), key];
      // A job failed without retries leaves an incident, which ends the wait just as well.
      if (intent === 'COMPLETED' || intent === 'CANCELED' || intent === 'ERROR_THROWN' || (intent === 'FAILED' && !(value.retries > 0))) {
        drop(key);
        state.serviceJobs = state.serviceJobs.filter((k) => k !== key);
        state.effectJobs = state.effectJobs.filter((k) => k !== key);
        const vars = value.variables as JsonObject | undefined;
        if (intent === 'COMPLETED' && vars && Object.keys(vars).length) state.pendingData[String(value.elementInstanceKey)] = vars;
        if (intent === 'COMPLETED' && value.type === USER_TASK_TYPE) state.completedJobs[String(value.elementInstanceKey)] = key;
      }
      return [];
    }
    case 'VARIABLE': {
      if ((intent === 'CREATED' || intent === 'UPDATED') && !OWN_VARIABLES.has(value.name)) {
        const scope = state.scopes[String(value.scopeKey)];
        if (String(value.scopeKey) === state.processInstanceKey) state.variables = { ...state.variables, [value.name]: parse(value.value) };
        else if (scope) scope.locals = { ...scope.locals, [value.name]: parse(value.value) };
      }
      return [];
    }
    case 'TIMER': {
      if (intent === 'CREATED') add({ kind: 'timer', ref: key, elementId: value.targetElementId, name: name(value.targetElementId), dueAt: new Date(value.dueDate).toISOString() });
      if (intent === 'TRIGGERED' || intent === 'CANCELED') drop(key);
      return [];
    }
    case 'PROCESS_MESSAGE_SUBSCRIPTION': {
      const ref = `${value.elementInstanceKey}:${value.messageName}`;
      if (intent === 'CREATED') {
        add({ kind: 'message', ref, elementId: value.elementId, name: name(value.elementId), messageName: value.messageName, correlationKey: value.correlationKey });
      }
      if (intent === 'CORRELATED' || intent === 'DELETED') drop(ref);
      const vars = value.variables as JsonObject | undefined;
      if (intent === 'CORRELATED' && vars && Object.keys(vars).length) state.pendingData[String(value.elementInstanceKey)] = vars;
      return [];
    }
    case 'INCIDENT': {
      if (intent === 'CREATED') {
        const message = `${INCIDENT_KINDS[value.errorType] ?? 'Zeebe 故障'} (${value.errorType}): ${value.errorMessage}`;
        const jobKey = Number(value.jobKey) > 0 ? String(value.jobKey) : null;
        state.incidents = [...state.incidents.filter((i) => i.key !== key), { key, elementId: value.elementId, message, jobKey }];
        // The element waits in its incident (the case page shows it there); the rest goes on.
        add({ kind: 'incident', ref: key, elementId: value.elementId, name: name(value.elementId), message });
        return event(value.elementId, 'Incident', { message });
      }
      if (intent === 'RESOLVED') {
        state.incidents = state.incidents.filter((i) => i.key !== key);
        drop(key);
      }
      return [];
    }
  }
  return [];
}
