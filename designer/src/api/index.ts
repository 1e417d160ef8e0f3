// The designer's only way to the server: one typed client per resource of shared/docs/API.md.
// (decisions.ts is imported by the design pages directly, so the task page's entry chunk stays as it is.)
import { attachments } from './attachments';
import { audit } from './audit';
import { documents } from './documents';
import { forms } from './forms';
import { ledger } from './ledger';
import { stats } from './stats';
import { instances } from './instances';
import { jurisdictions } from './jurisdictions';
import { operations } from './operations';
import { notifications } from './notifications';
import { processes } from './processes';
import { publicResults } from './results';
import { ruleSets } from './rulesets';
import { serviceTokens } from './serviceTokens';
import { session } from './session';
import { tasks } from './tasks';
import { users } from './users';

export const api = { audit, session, users, jurisdictions, ruleSets, processes, forms, instances, tasks, operations, publicResults, ledger, stats, documents, attachments, notifications, serviceTokens };

export { ApiError, type FieldError } from './http';
export type * from './types';
export type { AuditItem } from './audit';
export type { ServiceToken } from './serviceTokens';
