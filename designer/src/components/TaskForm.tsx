// A task's form rendered from its JSON Schema: validated in the browser (ajv with the server's
// options and Chinese messages, plus the FEEL rules), and the server's 422 errors shown on their fields.
import { useMemo, useState } from 'react';
import Form from '@rjsf/core';
import type { ErrorSchema, FormValidation, RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import localizeZh from 'ajv-i18n/localize/zh';
import localizeEn from 'ajv-i18n/localize/en';
import { ApiError, type FeelRule, type FieldError } from '../api';
import { useBrokenRules } from '../feel';
import { useLocale, useT } from '../i18n';
import { friendlyMessage } from '../../../server/domain/form-messages';
import { AttachmentsField, withAttachmentFields } from './Attachments';
import { translateString } from './rjsfStrings';

// The same id format the server accepts for attachment fields.
const customFormats = { attachment: /^[A-Za-z0-9-]{1,64}$/ };
const validators = {
  zh: customizeValidator({ customFormats, ajvOptionsOverrides: { $data: true } }, localizeZh),
  en: customizeValidator({ customFormats, ajvOptionsOverrides: { $data: true } }, localizeEn),
};
const fields = { attachments: AttachmentsField };

// These only say that some branch failed; the branch's own errors name the fields.
const BRANCHES = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not']);

/** ajv's errors as the server words them: the field's title and what to do (Chinese only). */
const humane = (schema: RJSFSchema) => (errors: RJSFValidationError[]) =>
  errors.filter((e, _n, all) => !BRANCHES.has(e.name ?? '') || all.every((x) => BRANCHES.has(x.name ?? ''))).map((e) => {
    const pointer = (e.property ?? '').replace(/^\./, '').split('.').filter(Boolean).map((p) => `/${p}`).join('');
    const message = friendlyMessage(schema, pointer, e.name ?? '', (e.params ?? {}) as Record<string, unknown>);
    return { ...e, message, stack: message };
  });

/** {path: '/votesFor', message} → {votesFor: {__errors: [message]}} */
export function toErrorSchema(errors: FieldError[]): ErrorSchema {
  const root: ErrorSchema = {};
  for (const e of errors) {
    let node: ErrorSchema = root;
    for (const part of e.path.split('/').filter(Boolean)) node = node[part] ??= {};
    (node.__errors ??= []).push(e.message);
  }
  return root;
}

export function TaskForm({
  schema, uiSchema, rules, initial, disabled, onSubmit, jurisdiction,
}: {
  schema: RJSFSchema; uiSchema?: UiSchema; rules?: FeelRule[]; initial?: Record<string, unknown> | null; disabled?: boolean;
  /** Where uploaded files belong (the task's jurisdiction). */
  jurisdiction?: string;
  onSubmit: (data: Record<string, unknown>) => Promise<void>;
}) {
  const t = useT();
  const { locale } = useLocale();
  // rjsf keeps the data itself; feeding it back as a prop races its own blur validation.
  const [data] = useState<Record<string, unknown>>(() => initial ?? {});
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Quiet until the first submit; from then on every change re-checks (schema and FEEL rules).
  const [tried, setTried] = useState(false);
  const brokenRules = useBrokenRules(rules);
  const extraErrors = useMemo(() => (serverErrors.length ? toErrorSchema(serverErrors) : undefined), [serverErrors]);
  return (
    <div className="task-form">
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <Form
        schema={schema}
        uiSchema={{ ...withAttachmentFields(schema, uiSchema), 'ui:submitButtonOptions': { submitText: t('complete'), props: { disabled: disabled || busy } } }}
        formData={data}
        fields={fields}
        formContext={{ jurisdiction }}
        translateString={translateString(locale)}
        transformErrors={locale === 'zh' ? humane(schema) : undefined}
        validator={validators[locale]}
        liveValidate={tried ? 'onChange' : undefined}
        showErrorList={false}
        noHtml5Validate
        disabled={disabled}
        extraErrors={extraErrors}
        customValidate={(formData, errors) => {
          for (const rule of brokenRules(formData ?? {})) {
            const field = (rule.path ?? '').split('/').filter(Boolean).reduce<FormValidation>((node, part) => node[part] ?? node, errors);
            field.addError(rule.message);
          }
          return errors;
        }}
        onChange={() => {
          if (serverErrors.length) setServerErrors([]);
        }}
        onError={() => (setTried(true), setError(t('formHasErrors')))}
        onSubmit={async (e) => {
          setBusy(true);
          setError(null);
          try {
            await onSubmit(e.formData ?? {});
          } catch (err) {
            if (err instanceof ApiError && err.status === 422 && err.errors.length) {
              setTried(true);
              setServerErrors(err.errors);
              setError(t('formHasErrors'));
            } else setError(err instanceof Error ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      />
    </div>
  );
}
