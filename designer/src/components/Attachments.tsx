// Files in forms: the rjsf field for {"type":"array","items":{"type":"string","format":"attachment"}}
// (take a photo on a phone, or choose files; thumbnails for images, links for the rest) and the
// read-only list shown on task and instance pages.
import { useEffect, useState } from 'react';
import type { FieldProps, RJSFSchema, UiSchema } from '@rjsf/utils';
import { api, type Attachment } from '../api';
import { ErrorBox } from './common';
import { useT } from '../i18n';

const ACCEPT = 'image/*,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.odt,.ods,.odp';

const isAttachmentArray = (s: unknown) =>
  !!s && typeof s === 'object' && (s as RJSFSchema).type === 'array' && ((s as RJSFSchema).items as RJSFSchema | undefined)?.format === 'attachment';

/** The uiSchema with the attachment field set on every attachment array of the schema (at any depth). */
export function withAttachmentFields(schema: RJSFSchema, uiSchema: UiSchema = {}): UiSchema {
  if (isAttachmentArray(schema)) return { 'ui:field': 'attachments', ...uiSchema };
  const props = schema.properties as Record<string, RJSFSchema> | undefined;
  if (!props) return uiSchema;
  const out: UiSchema = { ...uiSchema };
  for (const [k, sub] of Object.entries(props)) {
    const inner = withAttachmentFields(sub, (uiSchema[k] as UiSchema | undefined) ?? {});
    if (inner !== uiSchema[k] && Object.keys(inner).length) out[k] = inner;
  }
  return out;
}

const sizeText = (n: number) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** One file: a thumbnail when it is an image, else its name and size; always a download link. */
function FileChip({ a, onRemove }: { a: Attachment; onRemove?: () => void }) {
  const t = useT();
  const url = api.attachments.url(a.id);
  return (
    <li className="attachment">
      {a.contentType.startsWith('image/') ? (
        <a href={url} target="_blank" rel="noreferrer">
          <img src={url} alt={a.name} loading="lazy" />
        </a>
      ) : null}
      <a href={url} download={a.name}>
        {a.name}
      </a>{' '}
      <small>{sizeText(a.size)}</small>
      {onRemove && (
        <button type="button" className="link" onClick={onRemove}>
          {t('removeFile')}
        </button>
      )}
    </li>
  );
}

/** Metadata of the given ids; ids the user may not read show as unavailable. */
function useAttachments(ids: string[]) {
  const [known, setKnown] = useState<Record<string, Attachment | null>>({});
  const key = ids.join(',');
  useEffect(() => {
    for (const id of ids) {
      if (id in known) continue;
      api.attachments.meta(id).then(
        (a) => setKnown((k) => ({ ...k, [id]: a })),
        () => setKnown((k) => ({ ...k, [id]: null })),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { known, remember: (a: Attachment) => setKnown((k) => ({ ...k, [a.id]: a })) };
}

export function AttachmentList({ ids }: { ids: string[] }) {
  const t = useT();
  const { known } = useAttachments(ids);
  return (
    <ul className="attachments">
      {ids.map((id) => {
        const a = known[id];
        return a ? <FileChip key={id} a={a} /> : <li key={id}>{a === null ? t('fileUnavailable') : t('loading')}</li>;
      })}
    </ul>
  );
}

export function AttachmentsField({ formData, onChange, fieldPathId, schema, disabled, readonly, registry, required }: FieldProps) {
  const t = useT();
  const ids: string[] = Array.isArray(formData) ? formData.filter((x): x is string => typeof x === 'string') : [];
  const { known, remember } = useAttachments(ids);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const jurisdiction = (registry.formContext as { jurisdiction?: string } | undefined)?.jurisdiction ?? '';
  const locked = disabled || readonly || busy;

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    const added: string[] = [];
    try {
      for (const f of Array.from(files)) {
        const a = await api.attachments.upload(jurisdiction, f, f.name || '照片.jpg');
        remember(a);
        added.push(a.id);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      if (added.length) onChange([...ids, ...added], fieldPathId.path);
    }
  };

  return (
    <fieldset className="attachments-field" id={fieldPathId.$id}>
      <legend>
        {schema.title}
        {required && <span className="required">*</span>}
      </legend>
      {schema.description && <p className="field-description">{schema.description}</p>}
      <ul className="attachments">
        {ids.map((id) => {
          const a = known[id];
          const remove = locked ? undefined : () => onChange(ids.filter((x) => x !== id), fieldPathId.path);
          return a ? <FileChip key={id} a={a} onRemove={remove} /> : <li key={id}>{a === null ? t('fileUnavailable') : t('loading')}</li>;
        })}
      </ul>
      {!disabled && !readonly && (
        <p className="attach-actions">
          <label className="button">
            {t('takePhoto')}
            <input type="file" accept="image/*" capture="environment" hidden disabled={locked} onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} />
          </label>{' '}
          <label className="button">
            {t('chooseFiles')}
            <input type="file" accept={ACCEPT} multiple hidden disabled={locked} onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} />
          </label>
          {busy && <span role="status"> {t('uploading')}</span>}
        </p>
      )}
      <ErrorBox error={error} />
    </fieldset>
  );
}
