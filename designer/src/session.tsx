// Who is signed in, and what they may do where: the designer only hides what the server refuses anyway.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type User } from './api';

interface SessionValue {
  user: User | null;
  ready: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue>(null as unknown as SessionValue);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    api.session
      .current()
      .then(setUser)
      .catch((err) => {
        if (!(err instanceof ApiError && err.status === 401)) console.error(err);
      })
      .finally(() => setReady(true));
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    setUser(await api.session.signIn(username, password));
  }, []);
  const signOut = useCallback(async () => {
    await api.session.signOut().catch(() => undefined);
    setUser(null);
  }, []);
  return <SessionContext.Provider value={{ user, ready, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession() {
  return useContext(SessionContext);
}

/** Jurisdictions where the user holds one of the roles (roles also reach the jurisdictions below). */
export function rolesAnywhere(user: User | null, roles: string[]): string[] {
  return (user?.memberships ?? []).filter((m) => m.roles.some((r) => roles.includes(r))).map((m) => m.jurisdiction);
}

/** The jurisdiction a page works in among those where the user holds one of the roles; kept for the browser tab. */
export function useWorkingJurisdiction(roles: string[]) {
  const { user } = useSession();
  const allowed = rolesAnywhere(user, roles);
  const [jurisdiction, setJurisdiction] = useState(() => sessionStorage.getItem('yishi.jurisdiction') ?? allowed[0] ?? '');
  const choose = (id: string) => {
    sessionStorage.setItem('yishi.jurisdiction', id);
    setJurisdiction(id);
  };
  return { jurisdiction, choose, allowed };
}
