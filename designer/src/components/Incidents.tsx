// The incidents of a case, each on its element: what stopped there in plain Chinese, the server's
// technical detail behind a toggle, and 重试这一步 for those who may (the rest of the case goes on).
import type { Instance } from '../api';
import { useT } from '../i18n';

const CJK = /[\u4e00-\u9fff]/;
/** The server writes "中文 (technical detail)": a last bracket without Chinese is detail; a message with no Chinese at all is all detail. */
const DETAIL = /^([^]*?)\s*[(（]([^()（）\u4e00-\u9fff]*[A-Za-z][^()（）\u4e00-\u9fff]*)[)）]\s*$/;

export function incidentText(message: string): { text: string | null; detail: string | null } {
  const m = DETAIL.exec(message);
  const text = m ? m[1]! : message;
  if (!CJK.test(text)) return { text: null, detail: message };
  return { text, detail: m ? m[2]! : null };
}

interface Stopped {
  key: string;
  name: string;
  message: string;
  ref?: string;
}

/** Each element an incident stopped; a case stopped as a whole (its last command failed) shows its one incident. */
export function incidentsOf(i: Instance): Stopped[] {
  const at = i.active.flatMap((a) => (a.incident ? [{ key: a.incident.ref, name: a.name, message: a.incident.message, ref: a.incident.ref }] : []));
  if (at.length || !i.incident) return at;
  const name = i.active.find((a) => a.elementId === i.incident!.elementId)?.name ?? i.history.find((h) => h.elementId === i.incident!.elementId && h.type !== 'Incident')?.name;
  return [{ key: i.incident.elementId, name: name ?? '', message: i.incident.message }];
}

export function Incidents({ instance, mayRetry, retry }: { instance: Instance; mayRetry: boolean; retry: (ref?: string) => void }) {
  const t = useT();
  return (
    <>
      {incidentsOf(instance).map((s) => {
        const { text, detail } = incidentText(s.message);
        return (
          <div key={s.key} className="error incident" role="alert">
            {t('incident')}：{s.name || t('incidentStep')} — {text ?? t('incidentGeneric')}{' '}
            {mayRetry && (
              <button type="button" onClick={() => retry(s.ref)}>
                {t('retryStep')}
              </button>
            )}
            {detail && (
              <details>
                <summary>{t('technicalDetail')}</summary>
                <code>{detail}</code>
              </details>
            )}
          </div>
        );
      })}
    </>
  );
}
