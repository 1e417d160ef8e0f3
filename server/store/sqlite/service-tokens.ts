// Bearer tokens of job workers: issued and revoked with their audit entries, looked up by hash.
import type Database from 'better-sqlite3';
import type { ServiceTokenRecord, Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { json, parse, type Row } from './rows.js';

export const toToken = (r: Row): ServiceTokenRecord => ({
  id: r.id, name: r.name, tokenHash: r.token_hash, jurisdictions: parse(r.jurisdictions), createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at,
});

export function serviceTokensRepository(db: Database.Database, appendAudit: AppendAudit): Store['serviceTokens'] {
  return {
    async create(t, audit) {
      db.transaction(() => {
        db.prepare('INSERT INTO service_tokens (id, name, token_hash, jurisdictions, created_at, created_by, revoked_at) VALUES (?,?,?,?,?,?,?)')
          .run(t.id, t.name, t.tokenHash, json(t.jurisdictions), t.createdAt, t.createdBy, t.revokedAt);
        appendAudit(audit);
      })();
    },
    async list() {
      return (db.prepare('SELECT * FROM service_tokens ORDER BY created_at, id').all() as Row[]).map(toToken);
    },
    async byHash(tokenHash) {
      const r = db.prepare('SELECT * FROM service_tokens WHERE token_hash=?').get(tokenHash) as Row | undefined;
      return r ? toToken(r) : null;
    },
    async revoke(id, at, audit) {
      return db.transaction(() => {
        const done = db.prepare('UPDATE service_tokens SET revoked_at=? WHERE id=? AND revoked_at IS NULL').run(at, id).changes === 1;
        if (done) appendAudit(audit);
        return done;
      })();
    },
  };
}
