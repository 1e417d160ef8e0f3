// Domain errors: the API's one error middleware turns each into problem+json with its status.
export interface FieldProblem {
  path: string;
  message: string;
}

export class DomainError extends Error {
  /** Seconds after which the request may succeed when sent again (the Retry-After header). */
  retryAfter?: number;

  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldProblem[]) => new DomainError(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = '请先登录 (sign in first)') => new DomainError(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new DomainError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new DomainError(404, 'Not Found', detail);
export const conflict = (detail: string) => new DomainError(409, 'Conflict', detail);
/** Something the request needs (the workflow engine) cannot be reached now; nothing was changed. */
export const unavailable = (detail: string, retryAfterSeconds: number) =>
  Object.assign(new DomainError(503, 'Service Unavailable', detail), { retryAfter: retryAfterSeconds });
export const invalid = (detail: string, errors: FieldProblem[]) => new DomainError(422, 'Unprocessable Entity', detail, errors);
