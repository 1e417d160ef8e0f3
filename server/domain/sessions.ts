// Sign-in: scrypt-verified passwords, random session tokens stored only as HMACs keyed by the
// session secret (a copy of the database alone cannot be used to sign in).
import crypto from 'node:crypto';
import { unauthorized } from '../errors.js';
import type { Store, UserRecord } from '../store/index.js';
import type { SessionUser } from './access.js';
import { hashPassword, verifyPassword } from './passwords.js';

const SESSION_MS = 12 * 60 * 60 * 1000;

export const publicUser = (u: UserRecord): SessionUser => ({ username: u.username, displayName: u.displayName, memberships: u.memberships });

export class Sessions {
  // Verifying an unknown user costs as much as a known one: no timing oracle for usernames.
  private readonly decoy = hashPassword(crypto.randomBytes(16).toString('hex'));

  constructor(
    private readonly store: Store,
    private readonly secret: string,
  ) {}

  private digest(token: string) {
    return crypto.createHmac('sha256', this.secret).update(token).digest('hex');
  }

  async signIn(username: unknown, password: unknown): Promise<{ token: string; user: SessionUser; expiresAt: Date }> {
    const fail = () => unauthorized('用户名或密码错误 (wrong username or password)');
    if (typeof username !== 'string' || typeof password !== 'string' || username.length > 100 || password.length > 1000) throw fail();
    const u = await this.store.users.get(username);
    const ok = await verifyPassword(password, u?.passwordHash ?? (await this.decoy));
    if (!u || !ok) throw fail();
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_MS);
    await this.store.sessions.create(this.digest(token), u.username, expiresAt.toISOString());
    return { token, user: publicUser(u), expiresAt };
  }

  async resolve(token: string | undefined): Promise<SessionUser | null> {
    if (!token) return null;
    const s = await this.store.sessions.get(this.digest(token));
    if (!s || s.expiresAt < new Date().toISOString()) return null;
    const u = await this.store.users.get(s.username);
    return u ? publicUser(u) : null;
  }

  async signOut(token: string | undefined) {
    if (token) await this.store.sessions.remove(this.digest(token));
  }
}
