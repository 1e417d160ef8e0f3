import { http, path, q } from './http';

export interface FilledDocument {
  name: string;
  title: string;
  docNo: string | null;
  date: string | null;
  issuer: string;
  no: string | null;
  fields: { label: string; value: string | null }[];
  body: { heading: string | null; text: string | null }[];
  signatures: string[];
  attachments: { id: string; name: string; field: string }[];
}

export const documents = {
  list: (instanceId: string) => http.get<{ key: string; name: string }[]>(`/api/documents${q({ instanceId })}`),
  get: (instanceId: string, key: string) => http.get<FilledDocument>(path('/api/documents', instanceId, key)),
};
