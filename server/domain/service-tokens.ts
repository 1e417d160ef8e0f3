// Bearer tokens for job workers, issued by an admin for jurisdictions where they are admin: the
// token is shown once, only its SHA-256 is stored (it is random, 256 bits: no KDF needed), and
// issuing and revoking are audited. A revocation is told to `revoked` (the worker authentication's
// cache of tokens, so that it holds at once on this server).
import crypto from 'node:crypto';
import { forbidden, invalid, notFound, type FieldProblem } from '../errors.js';
import type { AuditEntry, JsonObject, ServiceTokenRecord, Store } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Jurisdictions } from './jurisdictions.js';

export const TOKEN_PREFIX = 'yishi_';

export const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

const publicToken = ({ tokenHash: _hash, ...t }: ServiceTokenRecord) => t;

export class ServiceTokens {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly jurisdictions: Jurisdictions,
    private readonly revoked: (tokenHash: string) => void,
  ) {}

  private managed(admin: SessionUser): Set<string> {
    const scope = new Set(this.access.visible(admin, ['admin']));
    if (!scope.size) throw forbidden('需要管理员角色 (admin only)');
    return scope;
  }

  private audit(actor: string, action: string, t: ServiceTokenRecord, detail: JsonObject): AuditEntry {
    return { at: new Date().toISOString(), actor, action, jurisdiction: t.jurisdictions[0] ?? null, targetType: 'serviceToken', targetId: t.id, detail };
  }

  /** The tokens whose jurisdictions all lie where the admin is admin, without their hashes. */
  async list(admin: SessionUser) {
    const scope = this.managed(admin);
    return (await this.store.serviceTokens.list()).filter((t) => t.jurisdictions.every((j) => scope.has(j))).map(publicToken);
  }

  async issue(admin: SessionUser, body: Record<string, unknown>) {
    const scope = this.managed(admin);
    const problems: FieldProblem[] = [];
    const list = Array.isArray(body.jurisdictions) ? body.jurisdictions : [];
    if (!list.length) problems.push({ path: '/jurisdictions', message: '至少选择一个辖区 (at least one jurisdiction)' });
    list.forEach((j, i) => {
      if (typeof j !== 'string' || !this.jurisdictions.exists(j)) problems.push({ path: `/jurisdictions/${i}`, message: '未知辖区 (unknown jurisdiction)' });
    });
    const jurisdictions = [...new Set(list as string[])];
    // Known jurisdictions the admin does not hold: refused before anything else is said about the request.
    const outside = problems.length ? [] : jurisdictions.filter((j) => !scope.has(j));
    if (outside.length) throw forbidden(`不能为以下辖区签发令牌: ${outside.join(', ')} (not admin there)`);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name || name.length > 100) problems.unshift({ path: '/name', message: '请填写名称，最多 100 个字符 (name: 1–100 characters)' });
    if (problems.length) throw invalid('令牌信息有误 (invalid token request)', problems);
    const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
    const record: ServiceTokenRecord = {
      id: crypto.randomUUID(), name, tokenHash: tokenHash(token), jurisdictions, createdAt: new Date().toISOString(), createdBy: admin.username, revokedAt: null,
    };
    await this.store.serviceTokens.create(record, this.audit(admin.username, 'serviceToken.issue', record, { name, jurisdictions }));
    return { ...publicToken(record), token };
  }

  async revoke(admin: SessionUser, id: string) {
    const scope = this.managed(admin);
    const t = (await this.store.serviceTokens.list()).find((x) => x.id === id && x.jurisdictions.every((j) => scope.has(j)));
    if (!t) throw notFound(`令牌 ${id} 不存在 (no such token)`);
    await this.store.serviceTokens.revoke(id, new Date().toISOString(), this.audit(admin.username, 'serviceToken.revoke', t, { name: t.name }));
    this.revoked(t.tokenHash);
  }
}
