// Who may do what where: a membership's roles hold in its jurisdiction and every descendant.
import { forbidden, unauthorized } from '../errors.js';
import type { Membership } from '../store/index.js';
import type { Jurisdictions } from './jurisdictions.js';

export interface SessionUser {
  username: string;
  displayName: string;
  memberships: Membership[];
}

export class Access {
  constructor(private readonly jurisdictions: Jurisdictions) {}

  /** The user's roles that hold in the jurisdiction (own memberships and those of ancestors). */
  rolesIn(user: SessionUser, jurisdiction: string): Set<string> {
    const chain = new Set(this.jurisdictions.ancestry(jurisdiction));
    const roles = new Set<string>();
    for (const m of user.memberships) if (chain.has(m.jurisdiction)) for (const r of m.roles) roles.add(r);
    return roles;
  }

  has(user: SessionUser | null | undefined, jurisdiction: string, roles: string[]): boolean {
    if (!user) return false;
    const held = this.rolesIn(user, jurisdiction);
    return roles.some((r) => held.has(r));
  }

  require(user: SessionUser | null | undefined, jurisdiction: string, roles: string[]): SessionUser {
    if (!user) throw unauthorized();
    if (!this.has(user, jurisdiction, roles)) {
      throw forbidden(`需要在 ${jurisdiction} 中具有以下角色之一: ${roles.join(', ')} (requires one of these roles in ${jurisdiction})`);
    }
    return user;
  }

  /** Any role in the jurisdiction (or an ancestor) lets a user read there. */
  requireMember(user: SessionUser | null | undefined, jurisdiction: string): SessionUser {
    if (!user) throw unauthorized();
    if (!this.rolesIn(user, jurisdiction).size) throw forbidden(`您不是 ${jurisdiction} 的成员 (not a member of ${jurisdiction})`);
    return user;
  }

  /**
   * The jurisdictions a list covers: the asked one and its descendants when the user is a member
   * there, else every jurisdiction the user sees.
   */
  scope(user: SessionUser, asked: string | undefined): string[] {
    if (!asked) return this.visible(user);
    this.jurisdictions.get(asked);
    const within = this.jurisdictions.descendants(asked);
    if (!this.rolesIn(user, asked).size) throw forbidden(`您不是 ${asked} 的成员 (not a member)`);
    return within;
  }

  /** Every jurisdiction where the user holds any role (memberships plus their descendants). */
  visible(user: SessionUser, roles?: string[]): string[] {
    const out = new Set<string>();
    for (const m of user.memberships) {
      if (roles && !m.roles.some((r) => roles.includes(r))) continue;
      for (const j of this.jurisdictions.descendants(m.jurisdiction)) out.add(j);
    }
    return [...out];
  }
}
