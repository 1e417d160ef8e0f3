import { http, q } from './http';

/** One entry of the audit trail (GET /api/audit), e.g. a rule-set save with its changes. */
export interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  jurisdiction: string | null;
  targetType: string;
  targetId: string;
  beforeVersion?: number | null;
  afterVersion?: number | null;
  detail?: { changes?: { path: string; from: unknown; to: unknown }[] } & Record<string, unknown>;
}

export const audit = {
  /** Newest first; a jurisdiction's own entries and its descendants'. */
  list: (filter: { jurisdiction?: string; instanceId?: string; limit?: number; cursor?: string }) =>
    http.get<{ items: AuditItem[]; nextCursor: string | null }>(`/api/audit${q(filter)}`),
};
