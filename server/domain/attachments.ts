// Attachments (photos of a 签到簿, a scanned 书面答复): the type is sniffed from the bytes, not the
// name; the size is capped while the bytes stream into the store; reading needs membership of the
// jurisdiction the file was uploaded in (or of an ancestor). Forms refer to attachments by id.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError, badRequest, notFound, type FieldProblem } from '../errors.js';
import type { AttachmentRecord, AttachmentUpload, Store } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Jurisdictions } from './jurisdictions.js';

/** Enough bytes for every signature file-type knows. */
const SNIFF_BYTES = 4100;

const ALLOWED = new Set([
  'image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/avif', 'image/bmp', 'image/tiff',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation',
]);

/** Old Office and WPS files share one container format (CFB): the name says which program wrote it. */
const CFB_BY_EXTENSION: Record<string, string> = {
  '.doc': 'application/msword', '.xls': 'application/vnd.ms-excel', '.ppt': 'application/vnd.ms-powerpoint',
  '.wps': 'application/vnd.ms-works', '.et': 'application/vnd.ms-excel',
};

/** Text has no NUL and no control characters other than tab, line breaks and form feed. */
const looksLikeText = (head: Buffer) => head.length > 0 && !head.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b);

export async function sniff(head: Buffer, name: string): Promise<string | null> {
  const found = await fileTypeFromBuffer(head);
  if (!found) return looksLikeText(head) ? 'text/plain; charset=utf-8' : null;
  if (found.mime === 'application/x-cfb') return CFB_BY_EXTENSION[path.extname(name).toLowerCase()] ?? null;
  return ALLOWED.has(found.mime) ? found.mime : null;
}

export const unsupportedType = () =>
  new DomainError(415, 'Unsupported Media Type', '只能上传图片、PDF、Office 文档或纯文本文件 (images, PDF, Office documents or plain text only)');
export const tooLarge = (max: number) =>
  new DomainError(413, 'Payload Too Large', `文件超过 ${Math.floor(max / 1_048_576) || (max / 1_048_576).toFixed(2)} MB 上限，请压缩或拆分后再上传 (file larger than ${max} bytes)`);

/** The bytes of one upload: sniffed from the head before anything is stored, counted and hashed on the way. */
async function checkedUpload(source: AsyncIterable<Uint8Array>, name: string, maxBytes: number): Promise<{ contentType: string; upload: AttachmentUpload }> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(Buffer.from(next.value));
    headSize += next.value.length;
  }
  const contentType = await sniff(Buffer.concat(head).subarray(0, SNIFF_BYTES), name);
  if (!contentType) throw unsupportedType();
  const hash = crypto.createHash('sha256');
  let size = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    hash.update(chunk);
    return chunk;
  };
  async function* chunks() {
    for (const c of head) yield take(c);
    if (done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield take(next.value);
  }
  return { contentType, upload: { chunks: chunks(), summary: () => ({ size, sha256: hash.digest('hex') }) } };
}

/** A file name as shown and offered for download: no directories, no control characters, not too long. */
function cleanName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || '附件').slice(0, 200);
}

export class Attachments {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
    private readonly maxBytes: number,
  ) {}

  async upload(user: SessionUser, jurisdiction: string, file: { name: string; bytes: AsyncIterable<Uint8Array> }): Promise<AttachmentRecord> {
    this.jurisdictions.get(jurisdiction);
    this.access.requireMember(user, jurisdiction);
    const name = cleanName(file.name);
    const { contentType, upload } = await checkedUpload(file.bytes, name, this.maxBytes);
    const meta = { id: crypto.randomUUID(), jurisdiction, name, contentType, createdAt: new Date().toISOString(), createdBy: user.username };
    return this.store.attachments.create(meta, upload, (a) => ({
      at: a.createdAt, actor: user.username, action: 'attachment.upload', jurisdiction, targetType: 'attachment', targetId: a.id,
      detail: { name: a.name, size: a.size, contentType: a.contentType, sha256: a.sha256 },
    }));
  }

  /** The record and (read lazily) the bytes. */
  async open(user: SessionUser, id: string): Promise<{ record: AttachmentRecord; bytes: AsyncIterable<Uint8Array> }> {
    const record = await this.store.attachments.get(id);
    if (!record) throw notFound('附件不存在 (no such attachment)');
    this.access.requireMember(user, record.jurisdiction);
    return { record, bytes: this.store.attachments.read(id) };
  }

  /** Problems with attachment ids in form data: unknown ones, and those uploaded in another jurisdiction. */
  async check(jurisdiction: string, refs: { path: string; id: string }[], label: (path: string) => string): Promise<FieldProblem[]> {
    if (!refs.length) return [];
    const found = new Map((await this.store.attachments.getMany([...new Set(refs.map((r) => r.id))])).map((a) => [a.id, a]));
    return refs.flatMap(({ path: p, id }) => {
      const a = found.get(id);
      if (!a) return [{ path: p, message: `${label(p)}：附件不存在，请重新上传 (unknown attachment)` }];
      if (a.jurisdiction !== jurisdiction) return [{ path: p, message: `${label(p)}：附件属于其他辖区，请在本事项中重新上传 (attachment of another jurisdiction)` }];
      return [];
    });
  }
}

export const badUpload = (detail: string) => badRequest(`${detail} (multipart/form-data with one field "file")`, [{ path: 'file', message: detail }]);
