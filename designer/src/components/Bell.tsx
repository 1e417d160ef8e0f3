// The bell in the top bar: unread notifications (a lapsed reply, an overdue task) with their count;
// opening one marks it read and goes to its task or case.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, type Notification } from '../api';
import { formatTime, useLocale, useT } from '../i18n';

const POLL_MS = 30_000;

export function Bell() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const [items, setItems] = useState<Notification[]>([]);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let gone = false;
    const load = () => api.notifications.list({ unread: true, limit: 50 }).then((p) => gone || setItems(p.items), () => undefined);
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, []);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, [open]);

  const follow = async (n: Notification) => {
    setItems((list) => list.filter((x) => x.id !== n.id));
    setOpen(false);
    await api.notifications.read(n.id).catch(() => undefined);
    if (n.taskId) navigate(`/tasks/${n.taskId}`);
    else if (n.instanceId) navigate(`/instances/${n.instanceId}`);
  };
  const readAll = async () => {
    const all = items;
    setItems([]);
    await Promise.all(all.map((n) => api.notifications.read(n.id).catch(() => undefined)));
  };

  const count = items.length >= 50 ? '50+' : String(items.length);
  return (
    <div className="bell" ref={box}>
      <button type="button" className="link" aria-haspopup="true" aria-expanded={open} aria-label={`${t('notifications')} ${count} ${t('unread')}`} onClick={() => setOpen((o) => !o)}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
        </svg>
        {items.length > 0 && <span className="badge">{count}</span>}
      </button>
      {open && (
        <div className="bell-menu" role="menu">
          {items.length ? (
            <>
              <ul>
                {items.map((n) => (
                  <li key={n.id} className={n.kind}>
                    <button type="button" className="link" role="menuitem" onClick={() => void follow(n)}>
                      <strong>{n.title}</strong>
                      <small>{formatTime(n.at, locale)}</small>
                      {n.body !== n.title && <span>{n.body}</span>}
                    </button>
                  </li>
                ))}
              </ul>
              <button type="button" className="link" onClick={() => void readAll()}>
                {t('markAllRead')}
              </button>
            </>
          ) : (
            <p>{t('noNotifications')}</p>
          )}
        </div>
      )}
    </div>
  );
}
