// Loading states and errors shown the same way on every page: nothing fails silently.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { useT } from '../i18n';

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => setState({ data, loading: false }),
      (error) => setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  return (
    <div className="error" role="alert">
      <strong>{e ? `${e.status || ''} ${e.detail || e.title}` : String((error as Error).message ?? error)}</strong>
      {e && e.errors.length > 0 && (
        <ul>
          {e.errors.map((x, i) => (
            <li key={i}>
              <code>{x.path}</code> {x.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Shows loading, then the error, then the content. */
export function Async<T>({ state, children }: { state: { data?: T; error?: unknown; loading: boolean; reload: () => void }; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (state.loading && state.data === undefined) return <Loading />;
  return <>{state.data !== undefined && children(state.data)}</>;
}

export function download(name: string, content: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
