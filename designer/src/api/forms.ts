import { http, path } from './http';
import type { Form, FormDoc } from './types';

export const forms = {
  get: (jurisdiction: string, formKey: string) => http.get<Form>(path('/api/forms', jurisdiction, formKey)),
  /** A new version over baseVersion (the one last seen; 409 when someone saved meanwhile). */
  save: (jurisdiction: string, formKey: string, doc: FormDoc, baseVersion: number) =>
    http.put<Form>(path('/api/forms', jurisdiction, formKey), { ...doc, baseVersion }),
};
