// Users and their sessions (removing a user ends their sessions).
import { ConflictError, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { isDuplicate, str, text, toUser } from './rows.js';
import type { Collections } from './schema.js';

export function usersRepository({ users, sessions }: Collections, appendAudit: AppendAudit): Store['users'] {
  return {
    async get(username) {
      const d = await users.findOne({ _id: str(username) });
      return d ? toUser(d) : null;
    },
    async list() {
      return (await users.find({}).sort({ _id: 1 }).toArray()).map(toUser);
    },
    async create(u, entry) {
      try {
        await users.insertOne({ _id: u.username, displayName: u.displayName, passwordHash: u.passwordHash, memberships: text(u.memberships), createdAt: u.createdAt });
      } catch (err) {
        if (isDuplicate(err)) throw new ConflictError(`user ${u.username} exists`);
        throw err;
      }
      await appendAudit(entry);
    },
    async update(u, entry) {
      await users.updateOne({ _id: u.username }, { $set: { displayName: u.displayName, passwordHash: u.passwordHash, memberships: text(u.memberships) } });
      await appendAudit(entry);
    },
    async remove(username, entry) {
      await users.deleteOne({ _id: username });
      await sessions.deleteMany({ username });
      await appendAudit(entry);
    },
  };
}

export function sessionsRepository({ sessions }: Collections): Store['sessions'] {
  return {
    async create(tokenHash, username, expiresAt) {
      await sessions.insertOne({ _id: tokenHash, username, expiresAt });
    },
    async get(tokenHash) {
      const d = await sessions.findOne({ _id: str(tokenHash) });
      return d ? { username: d.username, expiresAt: d.expiresAt } : null;
    },
    async remove(tokenHash) {
      await sessions.deleteOne({ _id: tokenHash });
    },
  };
}
