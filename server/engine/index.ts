// The Engine port. Commands take the instance's context and return the Step they led to: the
// wait points now open, variables, history and (for engines that keep none themselves) the state
// to persist. The domain writes a Step atomically with the change that caused it.
import type { JsonObject } from '../json.js';

export interface UserTaskWait {
  kind: 'userTask';
  ref: string;
  elementId: string;
  name: string;
  formKey: string | null;
  candidateGroups: string[];
  /** The user the task is assigned to (zeebe:assignmentDefinition assignee), or null. */
  assignee?: string | null;
  due: string | null;
  /** The variables the task sees: its scopes' locals over the process's (what a Zeebe job carries). */
  variables?: JsonObject;
}
export interface TimerWait {
  kind: 'timer';
  ref: string;
  elementId: string;
  name: string;
  dueAt: string;
}
export interface MessageWait {
  kind: 'message';
  ref: string;
  elementId: string;
  name: string;
  messageName: string;
  correlationKey: string;
}
/** A signal catch (intermediate, boundary, event sub-process start) waiting for a broadcast of its signal. */
export interface SignalWait {
  kind: 'signal';
  ref: string;
  elementId: string;
  name: string;
  signalName: string;
}
/**
 * A call activity waiting for its child instance: the domain starts the child (the called process's
 * latest version where the parent runs) with these variables, and reports its end by `completeCall`.
 */
export interface CallWait {
  kind: 'call';
  ref: string;
  elementId: string;
  name: string;
  /** The called process's id (its key). */
  processId: string;
  /** The variables the child starts with (Zeebe's propagateAllParentVariables and input mappings). */
  variables: JsonObject;
}
/**
 * A task whose job type no internal handler serves waits for an external job worker (Camunda's
 * job API): its type and retries as resolved when the element was entered.
 */
export interface JobWait {
  kind: 'job';
  ref: string;
  elementId: string;
  name: string;
  type: string;
  retries: number;
  headers: Record<string, string>;
  /** What the job sees now: its scopes' locals over the process's. */
  variables: JsonObject;
  /** The job's element is in an incident (no retries left, an error nobody caught): no worker takes it until it is resolved. */
  incident?: { message: string; key?: string };
}
/**
 * An element instance stopped by an incident (Zeebe): a failed expression, mapping or handler where
 * it was entered or completed. Only it waits; the rest of the instance goes on. `resolveIncident`
 * with its ref tries that again.
 */
export interface IncidentWait {
  kind: 'incident';
  ref: string;
  elementId: string;
  name: string;
  message: string;
}
export type WaitPoint = UserTaskWait | TimerWait | MessageWait | SignalWait | CallWait | JobWait | IncidentWait;

export interface StepEvent {
  elementId: string;
  name: string;
  type: string;
  at: string;
  data: JsonObject | null;
  /** A user task's completion: the task's ref, when the engine reports it in a later step than the completion's. */
  ref?: string;
}

/**
 * A side effect committed with the step: a result an internal service handler publishes, or a
 * signal a throw or end event broadcasts (with the event's local variables), delivered after the commit.
 */
export type Effect =
  | { type: 'publish-result'; title: string; content: JsonObject }
  | { type: 'broadcast-signal'; name: string; variables: JsonObject };

export interface Step {
  /** 'incident': an element instance is stopped by one (the first is `incident`); the others go on. */
  status: 'active' | 'completed' | 'cancelled' | 'incident';
  variables: JsonObject;
  waits: WaitPoint[];
  events: StepEvent[];
  effects: Effect[];
  incident: { elementId: string; message: string } | null;
  /** Opaque state to hand back on the next command; null when the engine keeps its own. */
  state: unknown;
  /**
   * The command failed as a whole, outside any element (an unreadable state, nothing waiting at its
   * ref): nothing changed, `state` is the one given, and a retry replays the command.
   */
  failed?: boolean;
  /**
   * Self-driven engines: the user tasks this step saw the engine complete, with the data they were
   * completed with. A task Yishi still has open among them was completed by a command whose answer
   * was lost (the connection dropped): it is recorded completed, not cancelled.
   */
  completedTasks?: { ref: string; variables: JsonObject }[];
}

export interface DefinitionRef {
  /** Unique per deployed version, e.g. "anhui/p1/3": engines may cache by it. */
  id: string;
  xml: string;
  /** The process of the document to run (a document may hold several); its first one by default. */
  processId?: string;
}

/** A deployed DMN document (a decision requirements graph); `id` is unique per deployed version. */
export interface DecisionResource {
  id: string;
  xml: string;
}

/** The deployed DMN document holding a decision, as the instance's jurisdiction sees it (latest version), or null. */
export type DecisionLookup = (decisionId: string) => Promise<DecisionResource | null>;

export interface InstanceContext {
  instanceId: string;
  /** Where the instance runs: a process it calls is the version effective there. */
  jurisdiction?: string;
  definition: DefinitionRef;
  /** Business rule tasks find their decisions here (Zeebe: the latest deployed version of the id). */
  decisions?: DecisionLookup;
  params: JsonObject;
  state: unknown;
  /** Variables to merge before the command (a retry after the data were corrected). */
  patch?: JsonObject;
}

export type Command =
  /** `startAt`: the start event to start at (a signal start event); the none start event by default. */
  | { type: 'start'; variables: JsonObject; startAt?: string }
  | { type: 'completeTask'; ref: string; variables: JsonObject }
  | { type: 'fireTimers'; refs: string[] }
  /** A message (or, on an engine not self-driven, a signal) arrived at the wait `ref`. */
  | { type: 'correlate'; ref: string; variables: JsonObject }
  | { type: 'cancel' }
  /**
   * Zeebe's ModifyProcessInstance: activate elements (their missing flow scopes are created; the
   * variables go to the process scope), then terminate element instances by ref; a flow scope left
   * with nothing active ends too, and with it, at the top, the instance (cancelled).
   */
  | { type: 'modify'; terminate: string[]; activate: { elementId: string; variables?: JsonObject }[] }
  /**
   * Moves the instance onto another version of its process: each active element to the element the
   * mapping names (an unchanged id maps to itself). The domain checks the mapping before asking.
   */
  | { type: 'migrate'; to: DefinitionRef; mapping: Record<string, string> }
  /** Report what a self-driven engine did on its own since the last step (nothing for the embedded one). */
  | { type: 'sync' }
  /** Resolve the incidents a self-driven engine raised itself (after merging the context's patch). */
  | { type: 'resolveIncident'; ref?: string };

/**
 * The child instance of a call activity completed with these (its process) variables. Only for an
 * engine that is not self-driven: Zeebe's broker runs call activities itself and never gets one.
 */
export type CallCompleted = { type: 'completeCall'; ref: string; variables: JsonObject };

/** An instance a self-driven engine started by itself: the called process of a call activity. */
export interface EngineStarted {
  instanceId: string;
  /** The calling instance, and the call activity's element instance there. */
  parentId: string;
  parentRef: string;
  /** The called process's id (its key). */
  processId: string;
  /** The engine state to keep for it; its first command is a sync. */
  state: unknown;
}

/** How the domain takes part in call activities a self-driven engine runs itself. */
export interface CallHooks {
  /** The definition a call runs where the caller runs (deployed before the caller starts). */
  definition(jurisdiction: string, processId: string): Promise<DefinitionRef>;
  /** Records a called instance the engine started, with its parent link; resolves once committed. */
  started(started: EngineStarted): Promise<void>;
}


/**
 * An external worker's answer to a job (JobWait), Zeebe's JobComplete / JobThrowError, and the
 * variables a failing worker leaves on the job's element instance (JobFail). Only for an engine
 * that is not self-driven: on Zeebe, workers talk to the broker.
 */
export type JobCommand =
  | { type: 'completeJob'; ref: string; variables: JsonObject }
  | { type: 'throwJobError'; ref: string; key?: string; errorCode: string; errorMessage: string; variables: JsonObject }
  | { type: 'setJobVariables'; ref: string; variables: JsonObject }
  /** The job failed with no retries left: its element stops in an incident (Zeebe's JobFail at 0 retries). */
  | { type: 'jobIncident'; ref: string; key: string; message: string };

/** Every command the domain may send (an engine may take a narrower set: see CallCompleted, JobCommand). */
export type AnyCommand = Command | CallCompleted | JobCommand;

export interface DeployProblem {
  elementId: string | null;
  message: string;
}

export interface ProcessInfo {
  key: string;
  name: string;
  /** Form keys its user tasks use (a linked form's formId counts as its key). */
  formKeys: string[];
  /** Camunda Forms embedded in the process (zeebe:userTaskForm id → form-js JSON), named by formKey "camunda-forms:bpmn:<id>". */
  userTaskForms?: Record<string, string>;
}

/** Internal service-task handlers, keyed by zeebe:taskDefinition type; shared by every engine. */
export type ServiceHandler = (input: {
  variables: JsonObject;
  params: JsonObject;
  headers: Record<string, string>;
  elementId: string;
}) => { variables?: JsonObject; effects?: Effect[] } | Promise<{ variables?: JsonObject; effects?: Effect[] }>;

export interface Engine {
  readonly kind: string;
  /**
   * True when the engine runs timers and messages itself (Zeebe): the domain then schedules no
   * timers, publishes messages through publishMessage, and answers onProgress with a sync. Its
   * steps mirror the engine: an incident it reports is its own, resolved by resolveIncident.
   */
  readonly selfDriven: boolean;
  /** Parses and checks a BPMN document; every problem is reported, none thrown. */
  inspect(xml: string): Promise<{ processes: ProcessInfo[]; problems: DeployProblem[] }>;
  run(context: InstanceContext, command: AnyCommand): Promise<Step>;
  /**
   * Self-driven engines call the listener when an instance moved without a command; it resolves
   * once what the engine reported is committed (rejects when it could not be).
   */
  onProgress?(listener: (instanceId: string) => Promise<void>): void;
  /** Self-driven engines run call activities themselves: the domain supplies definitions and records the children. */
  onCalls?(hooks: CallHooks): void;
  /** Self-driven engines take messages themselves (Zeebe semantics: buffered with a TTL). */
  publishMessage?(message: { name: string; correlationKey: string; variables: JsonObject; ttlMs: number }): Promise<{ messageId: string }>;
  /** Resolves while what the engine needs outside this process answers (a broker, its record stream); rejects saying what does not. */
  ping?(): Promise<void>;
  /** Self-driven engines wake their instances of the jurisdiction waiting for a signal themselves (Zeebe's BroadcastSignal). */
  broadcastSignal?(signal: { jurisdiction: string; name: string; variables: JsonObject }): Promise<void>;
  close(): Promise<void>;
}
