// What a case holds, as people read it: each completed step's form with the fields' titles and
// values (yes/no as 是/否, files as thumbnails and links); the raw variables only behind a toggle.
import type { RJSFSchema } from '@rjsf/utils';
import { api, type Task } from '../api';
import { formatTime, useLocale, useT } from '../i18n';
import { AttachmentList } from './Attachments';
import { Async, useAsync } from './common';

function Value({ schema, value }: { schema: RJSFSchema | undefined; value: unknown }) {
  const { locale } = useLocale();
  if (value === null || value === undefined || value === '') return <>—</>;
  if (typeof value === 'boolean') return <>{value ? (locale === 'zh' ? '是' : 'Yes') : locale === 'zh' ? '否' : 'No'}</>;
  const items = schema?.items as RJSFSchema | undefined;
  if (Array.isArray(value) && items?.format === 'attachment') return <AttachmentList ids={value.filter((x): x is string => typeof x === 'string')} />;
  if (Array.isArray(value)) return <>{value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('、')}</>;
  if (typeof value === 'string' && schema?.format === 'date-time') return <>{formatTime(value, locale)}</>;
  if (typeof value === 'object') return <>{JSON.stringify(value)}</>;
  return <>{String(value)}</>;
}

function StepSummary({ taskId }: { taskId: string }) {
  const task = useAsync(() => api.tasks.get(taskId), [taskId]);
  return (
    <Async state={task}>
      {(tk: Task) => {
        const props = (tk.form?.schema.properties ?? {}) as Record<string, RJSFSchema>;
        const data = tk.data ?? {};
        const names = Object.keys(props).filter((k) => k in data);
        return (
          <section>
            <h3>{tk.name}</h3>
            <dl className="summary">
              {names.map((k) => (
                <div key={k}>
                  <dt>{props[k].title ?? k}</dt>
                  <dd>
                    <Value schema={props[k]} value={data[k]} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        );
      }}
    </Async>
  );
}

export function CaseSummary({ instanceId, variables }: { instanceId: string; variables: Record<string, unknown> }) {
  const t = useT();
  const done = useAsync(() => api.tasks.list({ instanceId, status: 'completed', limit: 200 }), [instanceId]);
  return (
    <>
      <Async state={done}>
        {(page) => (
          <>
            {[...page.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((tk) => (
              <StepSummary key={tk.id} taskId={tk.id} />
            ))}
          </>
        )}
      </Async>
      <details>
        <summary>{t('rawData')}</summary>
        <pre className="vars">{JSON.stringify(variables, null, 2)}</pre>
      </details>
    </>
  );
}
