// The designer's only way to the server: the HTTP contract of shared/docs/API.md.
// A refusal arrives as problem+json and becomes an ApiError carrying its field errors.
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', `无法连接服务器 (${(err as Error).message})`);
  }
  const text = await res.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const p = parsed && typeof parsed === 'object' ? parsed : {};
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? String(text).slice(0, 300), p.errors ?? []);
  }
  return parsed as T;
}

export const api = {
  get: <T = any>(url: string) => request<T>('GET', url),
  post: <T = any>(url: string, body: unknown = {}) => request<T>('POST', url, body),
  put: <T = any>(url: string, body: unknown) => request<T>('PUT', url, body),
  del: <T = any>(url: string) => request<T>('DELETE', url),
};

export const q = (params: Record<string, string | number | boolean | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

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
  status: 'open' | 'completed' | 'cancelled';
  createdAt: string;
  due: string | null;
  data: Record<string, unknown> | null;
  form?: { schema: any; uiSchema: any; rules?: FeelRule[]; prefill?: Prefill; version: number; definedAt: string } | null;
  /** The case's ledger number and title (API v1.1). */
  no?: string | null;
  title?: string | null;
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
  data: Record<string, unknown> | null;
}
export interface Instance {
  id: string;
  jurisdiction: string;
  processKey: string;
  version: number;
  definedAt: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  variables: Record<string, unknown>;
  active: { elementId: string; name: string; dueAt?: string }[];
  history: HistoryEntry[];
  incident?: { elementId: string; message: string; at: string } | null;
  no?: string | null;
  title?: string | null;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
