import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, UNAUTHORIZED_EVENT } from './api.ts';
import { setLocale } from '../i18n/index.ts';
import { normalizeLocale } from './format.ts';

export type User = { id: string; orgId: string; email: string; name: string; role: 'admin' | 'manager' | 'rep' | 'viewer'; department?: string | null; team?: string | null; locale?: string | null };
export type Org = { id: string; name: string; baseCurrency: string };
export type Session = { user: User; org: Org; csrfToken: string };

type AuthState = {
  status: 'loading' | 'anonymous' | 'authenticated';
  session: Session | null;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** The signed-in user as the server now has it (after a profile edit). */
  updateUser: (user: User) => void;
};

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthState['status']>('loading');
  const [session, setSession] = useState<Session | null>(null);
  const qc = useQueryClient();

  const accept = useCallback((s: Session) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
    setStatus('authenticated');
    // A user's saved language wins on first login on this browser; afterwards the switch decides.
    if (s.user.locale && !localStorage.getItem('accord.locale')) setLocale(normalizeLocale(s.user.locale));
  }, []);

  useEffect(() => {
    api<Session>('/auth/me', { noAuthRedirect: true })
      .then(accept)
      .catch(() => setStatus('anonymous'));
  }, [accept]);

  useEffect(() => {
    const onUnauthorized = () => {
      setSession(null);
      setCsrfToken(null);
      setStatus('anonymous');
      qc.clear();
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [qc]);

  const login = useCallback(async (email: string, password: string) => {
    const s = await api<Session>('/auth/login', { method: 'POST', body: { email, password }, noAuthRedirect: true });
    accept(s);
  }, [accept]);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', noAuthRedirect: true });
    } finally {
      setSession(null);
      setCsrfToken(null);
      setStatus('anonymous');
      qc.clear();
    }
  }, [qc]);

  const updateUser = useCallback((user: User) => setSession((s) => (s ? { ...s, user: { ...s.user, ...user } } : s)), []);

  const value = useMemo(() => ({ status, session, login, logout, updateUser }), [status, session, login, logout, updateUser]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('no session');
  return session;
}
