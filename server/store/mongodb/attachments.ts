// Attachments: the bytes in GridFS (the official driver's bucket, streamed in chunks), the record
// in its own collection, written after the last chunk with its audit entry.
import { GridFSBucket, type Db } from 'mongodb';
import type { AttachmentRecord, Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { withoutId, type Doc } from './rows.js';
import type { Collections } from './schema.js';

export const toAttachment = ({ _id, ...d }: Doc): AttachmentRecord => ({
  id: _id, jurisdiction: d.jurisdiction, name: d.name, size: d.size, contentType: d.contentType, sha256: d.sha256, createdAt: d.createdAt, createdBy: d.createdBy,
});

export function attachmentsRepository(db: Db, { attachments }: Collections, appendAudit: AppendAudit): Store['attachments'] {
  const bucket = new GridFSBucket(db, { bucketName: 'attachmentBytes' });
  return {
    async create(meta, upload, audit) {
      const out = bucket.openUploadStreamWithId(meta.id as never, meta.name);
      try {
        for await (const chunk of upload.chunks) {
          if (!out.write(chunk)) await new Promise<void>((resolve, reject) => out.once('drain', resolve).once('error', reject));
        }
        await new Promise<void>((resolve, reject) => out.end(() => resolve()).once('error', reject));
      } catch (err) {
        await out.abort().catch(() => undefined);
        throw err;
      }
      const record = { ...meta, ...upload.summary() };
      await attachments.insertOne({ _id: record.id, ...withoutId(record) });
      await appendAudit(audit(record));
      return record;
    },
    async get(id) {
      const d = await attachments.findOne({ _id: id });
      return d ? toAttachment(d) : null;
    },
    async getMany(ids) {
      if (!ids.length) return [];
      return (await attachments.find({ _id: { $in: ids } }).toArray()).map(toAttachment);
    },
    async *read(id) {
      for await (const chunk of bucket.openDownloadStream(id as never)) yield chunk as Buffer;
    },
  };
}
