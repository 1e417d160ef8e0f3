// Users and their sessions (removing a user ends their sessions).
import type Database from 'better-sqlite3';
import { ConflictError, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { json, toUser, type Row } from './rows.js';

export function usersRepository(db: Database.Database, appendAudit: AppendAudit): Store['users'] {
  return {
    async get(username) {
      const r = db.prepare('SELECT * FROM users WHERE username=?').get(username) as Row | undefined;
      return r ? toUser(r) : null;
    },
    async list() {
      return (db.prepare('SELECT * FROM users ORDER BY username').all() as Row[]).map(toUser);
    },
    async create(u, audit) {
      db.transaction(() => {
        const res = db
          .prepare('INSERT OR IGNORE INTO users (username, display_name, password_hash, memberships, created_at) VALUES (?,?,?,?,?)')
          .run(u.username, u.displayName, u.passwordHash, json(u.memberships), u.createdAt);
        if (res.changes !== 1) throw new ConflictError(`user ${u.username} exists`);
        appendAudit(audit);
      })();
    },
    async update(u, audit) {
      db.transaction(() => {
        db.prepare('UPDATE users SET display_name=?, password_hash=?, memberships=? WHERE username=?').run(
          u.displayName, u.passwordHash, json(u.memberships), u.username,
        );
        appendAudit(audit);
      })();
    },
    async remove(username, audit) {
      db.transaction(() => {
        db.prepare('DELETE FROM users WHERE username=?').run(username);
        db.prepare('DELETE FROM sessions WHERE username=?').run(username);
        appendAudit(audit);
      })();
    },
  };
}

export function sessionsRepository(db: Database.Database): Store['sessions'] {
  return {
    async create(tokenHash, username, expiresAt) {
      db.prepare('INSERT INTO sessions (token_hash, username, expires_at) VALUES (?,?,?)').run(tokenHash, username, expiresAt);
    },
    async get(tokenHash) {
      const r = db.prepare('SELECT username, expires_at FROM sessions WHERE token_hash=?').get(tokenHash) as Row | undefined;
      return r ? { username: r.username, expiresAt: r.expires_at } : null;
    },
    async remove(tokenHash) {
      db.prepare('DELETE FROM sessions WHERE token_hash=?').run(tokenHash);
    },
  };
}
