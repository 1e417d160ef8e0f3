// Reading the audit trail: admins and officials, for their jurisdictions and the instances there.
import { badRequest, forbidden } from '../errors.js';
import type { PageQuery, Store } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Jurisdictions } from './jurisdictions.js';
import { displayNames } from './people.js';

const READERS = ['admin', 'official'];

export interface AuditFilter extends PageQuery {
  instanceId?: string;
  jurisdiction?: string;
}

export class AuditTrail {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
  ) {}

  async list(user: SessionUser, { instanceId, jurisdiction, ...page }: AuditFilter) {
    let ids: string[];
    if (instanceId) {
      const inst = await this.store.instances.get(instanceId);
      if (!inst) throw badRequest('未知流程实例', [{ path: 'instanceId', message: 'unknown instance' }]);
      this.access.require(user, inst.jurisdiction, READERS);
      ids = [inst.jurisdiction];
    } else if (jurisdiction) {
      this.jurisdictions.get(jurisdiction);
      this.access.require(user, jurisdiction, READERS);
      ids = this.jurisdictions.descendants(jurisdiction);
    } else {
      ids = this.access.visible(user, READERS);
      if (!ids.length) throw forbidden('需要管理员或干部角色 (admin or official only)');
    }
    const found = await this.store.audit.list({ ...page, instanceId, jurisdictions: ids });
    const names = await displayNames(this.store.users, found.items.map((e) => e.actor));
    return { ...found, items: found.items.map((e) => ({ ...e, actorName: names.get(e.actor) ?? null })) };
  }
}
