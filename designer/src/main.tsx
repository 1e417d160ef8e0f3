import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { Bell } from './components/Bell';
import { Loading } from './components/common';
import { LocaleProvider, useLocale, useT } from './i18n';
import { rolesAnywhere, SessionProvider, useSession } from './session';
import { Login } from './pages/Login';
import './styles.css';

// One chunk per page: the modeler's code (bpmn-js, properties panel, lint) loads only on design pages.
const Tasks = lazy(() => import('./pages/Tasks'));
const Processes = lazy(() => import('./pages/Processes'));
const Modeler = lazy(() => import('./pages/Modeler'));
const SimpleDesigner = lazy(() => import('./pages/SimpleDesigner'));
const Forms = lazy(() => import('./pages/Forms'));
const Instances = lazy(() => import('./pages/Instances'));
const InstanceView = lazy(() => import('./pages/InstanceView'));
const Admin = lazy(() => import('./pages/Admin'));
const Public = lazy(() => import('./pages/Public'));
const Ledger = lazy(() => import('./pages/Ledger'));
const Stats = lazy(() => import('./pages/Stats'));
const PrintDocument = lazy(() => import('./pages/PrintDocument'));

function Shell() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const { user, ready, signOut } = useSession();
  if (!ready) return <Loading />;
  const official = rolesAnywhere(user, ['official', 'admin']).length > 0;
  const admin = rolesAnywhere(user, ['admin']).length > 0;
  return (
    <>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav aria-label="main">
          {user && <NavLink to="/tasks">{t('tasks')}</NavLink>}
          {official && <NavLink to="/design">{t('design')}</NavLink>}
          {official && <NavLink to="/forms">{t('forms')}</NavLink>}
          {official && <NavLink to="/instances">{t('instances')}</NavLink>}
          {user && <NavLink to="/ledger">{t('ledger')}</NavLink>}
          {user && <NavLink to="/stats">{t('stats')}</NavLink>}
          {admin && <NavLink to="/admin">{t('admin')}</NavLink>}
          <NavLink to="/public">{t('publicResults')}</NavLink>
        </nav>
        <span className="who">
          <button type="button" className="link" onClick={() => setLocale(locale === 'zh' ? 'en' : 'zh')}>
            {t('language')}
          </button>
          {user && (
            <>
              <Bell />
              <span>{user.displayName}</span>
              <button type="button" className="link" onClick={signOut}>
                {t('signOut')}
              </button>
            </>
          )}
        </span>
      </header>
      <main>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/public/*" element={<Public />} />
            {!user ? (
              <Route path="*" element={<Login />} />
            ) : (
              <>
                <Route path="/tasks/*" element={<Tasks />} />
                <Route path="/design/*" element={<Processes />} />
                <Route path="/design/:jurisdiction/:key" element={<Modeler />} />
                <Route path="/simple/:jurisdiction/:key?" element={<SimpleDesigner />} />
                <Route path="/forms/*" element={<Forms />} />
                <Route path="/instances" element={<Instances />} />
                <Route path="/instances/:id" element={<InstanceView />} />
                <Route path="/admin" element={<Admin />} />
                <Route path="/ledger" element={<Ledger />} />
                <Route path="/stats" element={<Stats />} />
                <Route path="/print/:id/:document" element={<PrintDocument />} />
                <Route path="*" element={<Navigate to={official ? '/design' : '/tasks'} replace />} />
              </>
            )}
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LocaleProvider>
      <SessionProvider>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </SessionProvider>
    </LocaleProvider>
  </StrictMode>,
);
