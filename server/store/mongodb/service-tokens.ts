// Bearer tokens of job workers: issued and revoked with their audit entries, looked up by hash.
import type { ServiceTokenRecord, Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import type { Doc } from './rows.js';
import type { Collections } from './schema.js';

export const toToken = ({ _id, ...d }: Doc): ServiceTokenRecord => ({
  id: _id, name: d.name, tokenHash: d.tokenHash, jurisdictions: d.jurisdictions, createdAt: d.createdAt, createdBy: d.createdBy, revokedAt: d.revokedAt ?? null,
});

export function serviceTokensRepository({ serviceTokens }: Collections, appendAudit: AppendAudit): Store['serviceTokens'] {
  return {
    async create({ id, ...t }, audit) {
      await serviceTokens.insertOne({ _id: id, ...t });
      await appendAudit(audit);
    },
    async list() {
      return (await serviceTokens.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map(toToken);
    },
    async byHash(tokenHash) {
      const d = await serviceTokens.findOne({ tokenHash });
      return d ? toToken(d) : null;
    },
    async revoke(id, at, audit) {
      const res = await serviceTokens.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
      if (res.modifiedCount !== 1) return false;
      await appendAudit(audit);
      return true;
    },
  };
}
