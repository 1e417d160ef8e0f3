// User administration: an admin manages users only within the jurisdictions where they are admin.
import { badRequest, conflict, forbidden, invalid, notFound, type FieldProblem } from '../errors.js';
import { ConflictError, type AuditEntry, type JsonObject, type Membership, type Store, type UserRecord } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Jurisdictions } from './jurisdictions.js';
import { hashPassword } from './passwords.js';
import { publicUser } from './sessions.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
const ROLE = /^[a-z][a-z0-9-]{0,63}$/;

export class Users {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly jurisdictions: Jurisdictions,
  ) {}

  private managed(admin: SessionUser): Set<string> {
    return new Set(this.access.visible(admin, ['admin']));
  }

  private mayManage(admin: SessionUser, memberships: Membership[]) {
    const scope = this.managed(admin);
    const outside = memberships.filter((m) => !scope.has(m.jurisdiction)).map((m) => m.jurisdiction);
    if (outside.length) throw forbidden(`不能管理以下辖区的用户: ${outside.join(', ')} (not admin there)`);
  }

  private checkMemberships(value: unknown, problems: FieldProblem[]): Membership[] {
    if (!Array.isArray(value)) {
      problems.push({ path: '/memberships', message: 'must be an array of {jurisdiction, roles}' });
      return [];
    }
    value.forEach((m, i) => {
      if (!m || typeof m.jurisdiction !== 'string' || !this.jurisdictions.exists(m.jurisdiction)) {
        problems.push({ path: `/memberships/${i}/jurisdiction`, message: '未知辖区 (unknown jurisdiction)' });
      }
      if (!m || !Array.isArray(m.roles) || !m.roles.every((r: unknown) => typeof r === 'string' && ROLE.test(r))) {
        problems.push({ path: `/memberships/${i}/roles`, message: 'roles must be lower-case names' });
      }
    });
    return value.map((m) => ({ jurisdiction: m?.jurisdiction, roles: [...new Set<string>(m?.roles ?? [])] }));
  }

  private checkPassword(value: unknown, problems: FieldProblem[]) {
    if (typeof value !== 'string' || value.length < 8 || value.length > 200) problems.push({ path: '/password', message: '密码至少 8 个字符 (at least 8 characters)' });
  }

  private audit(actor: string, action: string, username: string, detail: JsonObject | null = null): AuditEntry {
    return { at: new Date().toISOString(), actor, action, jurisdiction: null, targetType: 'user', targetId: username, detail };
  }

  /**
   * The people a member of a jurisdiction may name there (加签, the 审批人 of a procedure): those who
   * hold a role in it (or the `group` role), by display name, at most 20 matching `q`; with `below`
   * also those of the jurisdictions under it (抄送 to a banner's staff). Nothing else about them: a
   * person picker, not the user administration.
   */
  async people(user: SessionUser, { jurisdiction, group, q, below }: { jurisdiction?: string; group?: string; q?: string; below?: boolean }) {
    if (!jurisdiction) throw badRequest('缺少 jurisdiction', [{ path: 'jurisdiction', message: 'required' }]);
    if (!this.jurisdictions.exists(jurisdiction)) throw notFound('未知辖区 (unknown jurisdiction)');
    this.access.requireMember(user, jurisdiction);
    const under = new Set(below ? this.jurisdictions.descendants(jurisdiction) : []);
    const needle = q?.trim().toLowerCase();
    const picked = (await this.store.users.list()).filter((u) => {
      const roles = this.access.rolesIn(u, jurisdiction);
      for (const m of u.memberships) if (under.has(m.jurisdiction)) for (const r of m.roles) roles.add(r);
      // Accounts of machines (job workers) are nobody to pick.
      const person = [...roles].some((r) => r !== 'worker');
      return person && (!group || roles.has(group)) && (!needle || u.displayName.toLowerCase().includes(needle) || u.username.toLowerCase().includes(needle));
    });
    return picked
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-Hans-CN'))
      .slice(0, 20)
      .map((u) => ({ username: u.username, displayName: u.displayName }));
  }

  async list(admin: SessionUser) {
    const scope = this.managed(admin);
    if (!scope.size) throw forbidden('需要管理员角色 (admin only)');
    return (await this.store.users.list()).filter((u) => u.memberships.some((m) => scope.has(m.jurisdiction))).map(publicUser);
  }

  async create(admin: SessionUser, body: Record<string, unknown>) {
    const problems: FieldProblem[] = [];
    if (typeof body.username !== 'string' || !USERNAME.test(body.username)) problems.push({ path: '/username', message: '2–64 个字母、数字、. _ - (letters, digits, . _ -)' });
    if (typeof body.displayName !== 'string' || !body.displayName.trim() || body.displayName.length > 100) problems.push({ path: '/displayName', message: 'required, at most 100 characters' });
    this.checkPassword(body.password, problems);
    const memberships = this.checkMemberships(body.memberships ?? [], problems);
    if (problems.length) throw invalid('用户信息有误 (invalid user)', problems);
    this.mayManage(admin, memberships);
    const user: UserRecord = {
      username: body.username as string, displayName: (body.displayName as string).trim(),
      passwordHash: await hashPassword(body.password as string), memberships, createdAt: new Date().toISOString(),
    };
    await this.store.users.create(user, this.audit(admin.username, 'user.create', user.username, { memberships })).catch((err) => {
      if (err instanceof ConflictError) throw conflict(`用户 ${user.username} 已存在 (exists)`);
      throw err;
    });
    return publicUser(user);
  }

  async update(admin: SessionUser, username: string, body: Record<string, unknown>) {
    const existing = await this.store.users.get(username);
    if (!existing) throw notFound(`用户 ${username} 不存在`);
    this.mayManage(admin, existing.memberships);
    const problems: FieldProblem[] = [];
    const next = { ...existing };
    if (body.username !== undefined && body.username !== username) problems.push({ path: '/username', message: '用户名不能修改 (cannot be renamed)' });
    if (body.displayName !== undefined) {
      if (typeof body.displayName !== 'string' || !body.displayName.trim()) problems.push({ path: '/displayName', message: 'must be a non-empty string' });
      else next.displayName = body.displayName.trim();
    }
    if (body.password !== undefined) this.checkPassword(body.password, problems);
    if (body.memberships !== undefined) next.memberships = this.checkMemberships(body.memberships, problems);
    if (problems.length) throw invalid('用户信息有误 (invalid user)', problems);
    this.mayManage(admin, next.memberships);
    if (typeof body.password === 'string') next.passwordHash = await hashPassword(body.password);
    await this.store.users.update(next, this.audit(admin.username, 'user.update', username, { fields: Object.keys(body).filter((k) => k !== 'password') }));
    return publicUser(next);
  }

  async remove(admin: SessionUser, username: string) {
    const existing = await this.store.users.get(username);
    if (!existing) throw notFound(`用户 ${username} 不存在`);
    if (username === admin.username) throw badRequest('不能删除自己 (cannot delete yourself)');
    this.mayManage(admin, existing.memberships);
    await this.store.users.remove(username, this.audit(admin.username, 'user.delete', username));
  }
}
