import { http, path, q } from './http';
import type { Attachment } from './types';

export const attachments = {
  upload: (jurisdiction: string, file: Blob, name: string) => {
    const form = new FormData();
    form.append('file', file, name);
    return http.post<Attachment>(`/api/attachments${q({ jurisdiction })}`, form);
  },
  meta: (id: string) => http.get<Attachment>(`${path('/api/attachments', id)}/meta`),
  /** Where the bytes are (for <img src> and download links). */
  url: (id: string) => path('/api/attachments', id),
};
