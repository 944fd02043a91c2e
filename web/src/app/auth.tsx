import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken, UNAUTHORIZED_EVENT } from './api.ts';
import { setLocale } from '../i18n/index.ts';
import { normalizeLocale } from './format.ts';

export type User = { id: string; orgId: string; email: string; name: string; role: 'admin' | 'manager' | 'rep' | 'viewer'; department?: string | null; team?: string | null; locale?: string | null };
export type Org = { id: string; name: string; baseCurrency: string };
export type Session = { user: User; org: Org; csrfToken: string; twoFactorEnrolmentRequired?: boolean };

type AuthState = {
  status: 'loading' | 'anonymous' | 'authenticated';
  session: Session | null;
  /** `code`: the two-factor code, for users who have it on (the server answers 401 two_factor_required without). */
  login: (email: string, password: string, code?: string) => Promise<void>;
  /** Two-factor sign-in was set up: a session that was limited to that is a full one now. */
  twoFactorEnrolled: () => void;
  logout: () => Promise<void>;
  /** The signed-in user as the server now has it (after a profile edit). */
  updateUser: (user: User) => void;
};

const AuthContext = createContext<AuthState | null>(null);

let sessionProbe: Promise<Session> | null = null;

/** The CSRF cookie (readable, set and cleared with the HttpOnly session cookie) says a session may exist. */
export function hasSessionCookie(): boolean {
  return typeof document !== 'undefined' && /(?:^|;\s*)accord_csrf=/.test(document.cookie);
}
/** Asks the server who is signed in. Started at start-up (main.tsx) rather than after the first render. */
export function probeSession(): Promise<Session> {
  // Without the session's readable companion cookie there is no session: asking would only earn a
  // 401 (and a console error on the login page).
  sessionProbe ??= hasSessionCookie() ? api<Session>('/auth/me', { noAuthRedirect: true }) : Promise.reject(new ApiError(401, 'unauthorized', 'Not signed in'));
  return sessionProbe;
}

/** How long a signed-in user may see the loader while the first screen's code or data is still coming. */
const FIRST_SCREEN_WAIT_MS = 400;

/**
 * `firstScreen`: the code and first data of the screen the app was opened on (routes.tsx
 * startRoute). Signed-in users see the loader until they are there too (for a short while at most),
 * so that screen renders once, complete. Otherwise it would first render its loading skeleton — a
 * whole render of the shell and the screen that the data then waits behind — and React keeps a
 * Suspense fallback it has shown for 300 ms before replacing it.
 */
export function AuthProvider({ children, firstScreen }: { children: ReactNode; firstScreen?: Promise<unknown> }) {
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
    probeSession()
      .then(async (s) => {
        if (firstScreen) {
          await Promise.race([
            firstScreen.catch(() => { /* the screen reports its own failure to load */ }),
            new Promise((resolve) => setTimeout(resolve, FIRST_SCREEN_WAIT_MS)),
          ]);
        }
        accept(s);
      })
      .catch(() => setStatus('anonymous'));
    sessionProbe = null; // used once: a later check asks the server again
  }, [accept, firstScreen]);

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

  const login = useCallback(async (email: string, password: string, code?: string) => {
    const s = await api<Session>('/auth/login', { method: 'POST', body: { email, password, ...(code ? { code } : {}) }, noAuthRedirect: true });
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

  const twoFactorEnrolled = useCallback(() => setSession((s) => (s ? { ...s, twoFactorEnrolmentRequired: false } : s)), []);

  const value = useMemo(() => ({ status, session, login, logout, updateUser, twoFactorEnrolled }), [status, session, login, logout, updateUser, twoFactorEnrolled]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** Whether the signed-in user may create and change records: everyone but viewers (the API enforces the same). */
export function useCanWrite(): boolean {
  const { session } = useAuth();
  return !!session && session.user.role !== 'viewer';
}

export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('no session');
  return session;
}
