// What the server sends, as shared/docs/API.md describes it.
import type { ParameterDeclaration } from '../../../server/domain/parameters';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';

export interface Membership {
  jurisdiction: string;
  roles: string[];
}
export interface User {
  username: string;
  displayName: string;
  memberships: Membership[];
}
export interface Jurisdiction {
  id: string;
  name: string;
  parent: string | null;
}
export interface Task {
  id: string;
  name: string;
  instanceId: string;
  elementId: string;
  processKey: string;
  jurisdiction: string;
  formKey: string | null;
  candidateGroups: string[];
  assignee: string | null;
  /** The display name of `assignee` (on a single task). */
  assigneeName?: string | null;
  status: 'open' | 'completed' | 'cancelled';
  createdAt: string;
  due: string | null;
  data: Record<string, unknown> | null;
  form?: { schema: RJSFSchema; uiSchema: UiSchema; rules?: FeelRule[]; prefill?: Prefill | null; version: number; definedAt: string } | null;
  /** The case's ledger number and title (API v1.1). */
  no?: string | null;
  title?: string | null;
  /** What the task is about (the variables its form names), shown read-only above the form. */
  context?: { title: string; value: unknown }[];
  /** The task's own variables, e.g. a multi-instance task's element. */
  locals?: Record<string, unknown>;
}
/** A form's wish (rule-set data) to be prefilled from the statistics of the quarter its task opened in. */
export interface Prefill {
  stats?: { processKey?: string; fields: Record<string, string> };
}
export interface FeelRule {
  expression: string;
  message: string;
  path?: string;
}
export interface HistoryEntry {
  elementId: string;
  name: string;
  type: string;
  at: string;
  by: string | null;
  /** The display name of `by`. */
  byName?: string | null;
  /** Display names of the people the entry names (the colleague, the signers). */
  names?: Record<string, string>;
  data: Record<string, unknown> | null;
}
/** 加签: before / after / alongside the holder of the task. */
export type SignMode = 'before' | 'after' | 'parallel';
/** A task's 加签 chain (GET /api/tasks/:id/sign). */
export interface SignChain {
  owner: string;
  ownerDone: boolean;
  signers: { username: string; mode: SignMode; acted: boolean; refused?: boolean }[];
  holder: string;
  pending: string[];
  /** The signed-in user is an added signer who may approve now. */
  mayApprove: boolean;
  /** Display names by account. */
  names: Record<string, string>;
  /** The added signer whose 不同意 ended the chain. */
  refusedBy?: string;
}
export interface Instance {
  id: string;
  startedBy?: string;
  jurisdiction: string;
  processKey: string;
  version: number;
  definedAt: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  variables: Record<string, unknown>;
  /** An element stopped by an incident says so: its ref (what a retry names) and the message. */
  active: { elementId: string; name: string; dueAt?: string; incident?: { ref: string; message: string; at: string } }[];
  history: HistoryEntry[];
  incident?: { elementId: string; message: string; at: string } | null;
  no?: string | null;
  title?: string | null;
  /** A call activity's child: the instance that called it. */
  parentId?: string | null;
  /** The instances its call activities started. */
  children?: { id: string; processKey: string; version: number; status: string; startedAt: string }[];
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A process as a jurisdiction sees it: its own, or inherited from where it is defined. */
export interface ProcessItem {
  key: string;
  name: string;
  version: number;
  definedAt: string;
}
export interface Definition extends ProcessItem {
  xml: string;
  createdAt: string;
  createdBy: string;
}
/** A DMN document (decision requirements graph) as a jurisdiction sees it. */
export interface DecisionItem {
  key: string;
  name: string;
  version: number;
  definedAt: string;
}
export interface DecisionDocument extends DecisionItem {
  xml: string;
  /** The decisions it holds (what business rule tasks call by id). */
  decisions: { id: string; name: string }[];
  createdAt: string;
  createdBy: string;
}
export interface DefinitionVersion {
  version: number;
  createdAt: string;
  createdBy: string;
  /** The creator's display name; null for the system or a removed account. */
  createdByName?: string | null;
  definedAt: string;
}
/** A jurisdiction's rule set with what it inherits (GET /api/jurisdictions/:id). */
export interface EffectiveRuleSet {
  id: string;
  name: string;
  parent: string | null;
  /** The jurisdiction's own version (baseVersion of its next save). */
  version: number;
  parameters: Record<string, unknown>;
  parameterTypes: Record<string, ParameterDeclaration>;
  vocabulary: Record<string, string>;
  sources: { parameters: Record<string, string>; vocabulary: Record<string, string>; groups: Record<string, string> };
  groups: Record<string, string>;
  processes: ProcessItem[];
  forms: { formKey: string; version: number; definedAt: string; title?: string }[];
}
/** What a rule-set parameter is (declared once, in the domain): the editor picks its input by type and explains it by label and help. */
export type { ParameterDeclaration };
/** A jurisdiction's own part, as PUT /api/jurisdictions/:id takes it. */
export interface JurisdictionHead {
  name: string;
  parent: string | null;
  parameters: Record<string, unknown>;
  vocabulary: Record<string, string>;
  groups: Record<string, string>;
  baseVersion: number;
}
export interface MigrationReport {
  migrated: string[];
  refused: { id: string; reason: string }[];
}
/** A form document: schema, uiSchema and further members (FEEL rules…) kept as they are. */
export interface FormDoc {
  schema: RJSFSchema;
  uiSchema?: UiSchema;
  rules?: FeelRule[];
  [member: string]: unknown;
}
export interface Form extends FormDoc {
  formKey: string;
  version: number;
  definedAt: string;
}
export interface PublishedResult {
  id: string;
  jurisdiction: string;
  instanceId: string;
  title: string;
  content: Record<string, unknown>;
  publishedAt: string;
  /** The jurisdiction's name and the titles of the content's fields, from its rule set. */
  jurisdictionName: string;
  labels: Record<string, string>;
}
/** A rule-set bundle (shared/docs/API.md, rule sets), passed through as the server sends it. */
export type RuleSetBundle = Record<string, unknown>;

export interface Attachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

export interface Notification {
  id: string;
  at: string;
  kind: 'notice' | 'overdue' | 'reminder';
  title: string;
  body: string;
  instanceId?: string;
  taskId?: string;
  read: boolean;
}
