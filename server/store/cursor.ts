// Keyset pagination cursors shared by every adapter: an opaque token for (sort value, id).
export function encodeCursor(sortValue: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): [string | number, string] | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string') return value as [string, string];
  } catch {
    // fall through: a malformed cursor is the caller's error
  }
  throw new TypeError('cursor is malformed');
}
