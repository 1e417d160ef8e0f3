// Attachments: the bytes as rows of attachment_chunks (one per chunk received, so an upload is never
// held in memory whole), the record written last with its audit entry, in one transaction.
import type Database from 'better-sqlite3';
import type { AttachmentRecord, Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { placeholders, type Row } from './rows.js';

export const toAttachment = (r: Row): AttachmentRecord => ({
  id: r.id, jurisdiction: r.jurisdiction, name: r.name, size: r.size, contentType: r.content_type, sha256: r.sha256, createdAt: r.created_at, createdBy: r.created_by,
});

export function attachmentsRepository(db: Database.Database, appendAudit: AppendAudit): Store['attachments'] {
  // Chunks of uploads a crash cut off have no record: nobody can reach them, so they go.
  db.prepare('DELETE FROM attachment_chunks WHERE attachment_id NOT IN (SELECT id FROM attachments)').run();
  const insChunk = db.prepare('INSERT INTO attachment_chunks (attachment_id, n, data) VALUES (?,?,?)');
  const dropChunks = db.prepare('DELETE FROM attachment_chunks WHERE attachment_id=?');
  const insRecord = db.prepare(
    'INSERT INTO attachments (id, jurisdiction, name, size, content_type, sha256, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)',
  );
  const commit = db.transaction((a: AttachmentRecord, audit: Parameters<AppendAudit>[0]) => {
    insRecord.run(a.id, a.jurisdiction, a.name, a.size, a.contentType, a.sha256, a.createdAt, a.createdBy);
    appendAudit(audit);
  });
  return {
    async create(meta, upload, audit) {
      let n = 0;
      try {
        for await (const chunk of upload.chunks) insChunk.run(meta.id, n++, Buffer.from(chunk));
      } catch (err) {
        dropChunks.run(meta.id);
        throw err;
      }
      const record = { ...meta, ...upload.summary() };
      commit(record, audit(record));
      return record;
    },
    async get(id) {
      const r = db.prepare('SELECT * FROM attachments WHERE id=?').get(id) as Row | undefined;
      return r ? toAttachment(r) : null;
    },
    async getMany(ids) {
      if (!ids.length) return [];
      return (db.prepare(`SELECT * FROM attachments WHERE id IN (${placeholders(ids.length)})`).all(...ids) as Row[]).map(toAttachment);
    },
    // One chunk per query: an open iterator would keep the connection busy for every other request.
    async *read(id) {
      const chunk = db.prepare('SELECT data FROM attachment_chunks WHERE attachment_id=? AND n=?');
      for (let n = 0; ; n++) {
        const r = chunk.get(id, n) as Row | undefined;
        if (!r) return;
        yield r.data as Buffer;
      }
    },
  };
}
