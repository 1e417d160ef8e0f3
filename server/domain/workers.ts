// Service accounts of external job workers: HTTP basic with a Yishi account holding the `worker`
// role where its jobs are (the role holds in the jurisdiction and its descendants), or a bearer
// token an admin issued for some jurisdictions. Verifying a password (scrypt) costs tens of
// milliseconds, so a verified credential is remembered, as an HMAC of the header only, for a
// minute: a changed password or role takes effect within it. A token found in the store is
// remembered by its hash for 5 s (a worker polls and completes many times a second, and on
// MongoDB a lookup is a round trip): a revocation holds at once on the server that revokes it
// (forget), and on the other servers of the store within 5 s.
import crypto from 'node:crypto';
import { forbidden, unauthorized } from '../errors.js';
import type { Store } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { WorkerPrincipal } from './runtime/jobs.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { publicUser } from './sessions.js';
import { tokenHash } from './service-tokens.js';
import type { Jurisdictions } from './jurisdictions.js';

/** The role that lets an account take jobs. */
export const WORKER_ROLE = 'worker';

const REMEMBER_MS = 60_000;
const REMEMBER_TOKEN_MS = 5_000;
const CHALLENGE = 'Basic realm="yishi", charset="UTF-8", Bearer realm="yishi"';

export class WorkerAuth {
  private readonly verified = new Map<string, { user: SessionUser; until: number }>();
  private readonly tokens = new Map<string, { principal: WorkerPrincipal; until: number }>();
  // Verifying an unknown user costs as much as a known one: no timing oracle for usernames.
  private readonly decoy = hashPassword(crypto.randomBytes(16).toString('hex'));

  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly jurisdictions: Jurisdictions,
    private readonly secret: string,
  ) {}

  /** A revoked token is refused from now on (its hash, as stored). */
  forget(hash: string) {
    this.tokens.delete(hash);
  }

  /** The principal an Authorization header names; 401 (with the challenge) without a valid one, 403 without the role. */
  async authenticate(header: string | undefined): Promise<WorkerPrincipal> {
    const missing = () => Object.assign(unauthorized('作业程序需要以 worker 账号 (HTTP basic) 或管理员签发的令牌 (Bearer) 认证 (job workers authenticate as a service account)'), { challenge: CHALLENGE });
    const bearer = /^Bearer (\S+)$/.exec(header ?? '');
    if (bearer) {
      const hash = tokenHash(bearer[1]!);
      const known = this.tokens.get(hash);
      if (known && known.until > Date.now()) return known.principal;
      const token = await this.store.serviceTokens.byHash(hash);
      if (!token || token.revokedAt) throw missing();
      const principal = { name: `token:${token.name}`, jurisdictions: [...new Set(token.jurisdictions.flatMap((j) => this.jurisdictions.descendants(j)))] };
      if (this.tokens.size > 10_000) this.tokens.clear();
      this.tokens.set(hash, { principal, until: Date.now() + REMEMBER_TOKEN_MS });
      return principal;
    }
    const user = await this.basic(header, missing);
    const jurisdictions = this.access.visible(user, [WORKER_ROLE]);
    if (!jurisdictions.length) throw forbidden(`账号 ${user.username} 在任何辖区都没有 worker 角色 (needs the worker role)`);
    return { name: user.username, jurisdictions };
  }

  /** The account an HTTP basic header names (tools that deploy, e.g. Camunda Modeler); 401 with the challenge without a valid one. */
  async user(header: string | undefined): Promise<SessionUser> {
    return this.basic(header, () => Object.assign(unauthorized('请以议事账号 (HTTP basic) 认证 (authenticate with a Yishi account)'), { challenge: CHALLENGE }));
  }

  private async basic(header: string | undefined, missing: () => Error): Promise<SessionUser> {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!m) throw missing();
    const digest = crypto.createHmac('sha256', this.secret).update(header!).digest('hex');
    const known = this.verified.get(digest);
    if (known && known.until > Date.now()) return known.user;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [username, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (username.length > 100 || password.length > 1000) throw missing();
    const record = await this.store.users.get(username);
    const ok = await verifyPassword(password, record?.passwordHash ?? (await this.decoy));
    if (!record || !ok) throw missing();
    const user = publicUser(record);
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(digest, { user, until: Date.now() + REMEMBER_MS });
    return user;
  }
}
