// JSON over HTTP for the resource clients beside this file. A refusal arrives as problem+json and
// becomes an ApiError carrying its field errors.
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
    // A FormData body (an upload) sets its own multipart content type.
    const form = body instanceof FormData;
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || form ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', `无法连接服务器 (${(err as Error).message})`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const p: Partial<Problem> = parsed && typeof parsed === 'object' ? parsed : {};
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? String(text).slice(0, 300), p.errors ?? []);
  }
  return parsed as T;
}

interface Problem {
  title: string;
  detail: string;
  errors: FieldError[];
}

export const http = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body: unknown = {}) => request<T>('POST', url, body),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
  del: (url: string) => request<void>('DELETE', url),
};

/** A query string from the parameters that have a value ('' when none has). */
export const q = (params: Record<string, string | number | boolean | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

/** A URL path from segments, each encoded: `path('/api/forms', j, key)`. */
export const path = (base: string, ...segments: string[]) => [base, ...segments.map(encodeURIComponent)].join('/');

