/**
 * Starts everything the first screen needs — the session check, the screen's code and its first
 * data (routes.tsx startRoute) — in parallel rather than one after the other. main.tsx imports this
 * right after i18n and before React DOM, Mantine and the rest of the app, so the requests leave
 * while that code is still being evaluated.
 */
import { hasSessionCookie, probeSession } from './auth.tsx';
import { queryClient } from './queryClient.ts';
import { startRoute } from './routes.tsx';

void probeSession().catch(() => { /* the auth provider handles it */ });

/** The first screen's code and first data (AuthProvider waits for them briefly). */
export const firstScreen = hasSessionCookie() ? startRoute(window.location.pathname, queryClient) : undefined;
firstScreen?.catch(() => { /* the screen reports a failed load when it renders */ });
