/**
 * The route and navigation registry. A feature adds its screen with ONE entry here:
 *   { path: '/goals', page: lazyPage(() => import('../features/goals/GoalsPage.tsx')), nav: { label: 'nav.goals', icon: IconTarget, group: 'insight' } },
 * `page` is lazy so each screen is its own chunk; `nav` (optional) puts it in the sidebar.
 */
import { createElement, lazy, type ComponentType } from 'react';
import { matchPath } from 'react-router-dom';
import type { QueryClient } from '@tanstack/react-query';
import type { Role } from '../../../src/kernel/actor.ts';
import {
  IconAddressBook, IconBuilding, IconChecklist, IconFileImport, IconLayoutKanban, IconMessages, IconSettings, IconTargetArrow,
  type Icon,
} from '@tabler/icons-react';
import { buyingCenterRoutes } from '../features/buying-center/routes.ts';
import { evaluationRoutes } from '../features/evaluation/routes.ts';
import { funnelRoutes } from '../features/funnel/routes.ts';
import { reportRoutes } from '../features/reports/routes.ts';
import { productRoutes } from '../features/products/routes.ts';
import { surveyRoutes } from '../features/surveys/routes.ts';
import { feedbackRoutes } from '../features/feedback/routes.ts';
import { prefetchList } from '../features/records/listQuery.ts';

export type NavGroup = 'records' | 'sales' | 'insight' | 'admin';
export type AppRoute = {
  path: string;
  page: ComponentType & { preload?: () => Promise<unknown> };
  nav?: { label: string; icon: Icon; group: NavGroup };
  /** Who may open the screen (default: every signed-in user); others get a "not for your role" page and no menu entry. */
  roles?: readonly Role[];
  /** Starts loading the screen's first data when the app is opened on it (before the session check returns); settles when it is there. */
  prefetch?: (qc: QueryClient) => Promise<unknown>;
};

/**
 * A lazily loaded screen whose code can be fetched ahead of its first render (`preload`); once
 * loaded it renders directly, without suspending again.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): AppRoute['page'] {
  let loaded: ComponentType | undefined;
  let pending: Promise<{ default: ComponentType }> | undefined;
  const preload = () => (pending ??= load().then((m) => {
    loaded = m.default;
    return m;
  }, (e: unknown) => {
    pending = undefined; // a failed chunk load may be retried
    throw e;
  }));
  const Lazy = lazy(preload);
  const Page = () => createElement(loaded ?? Lazy);
  return Object.assign(Page, { preload });
}

export const routes: AppRoute[] = [
  { path: '/accounts', page: lazyPage(() => import('../features/accounts/AccountsList.tsx')), nav: { label: 'nav.accounts', icon: IconBuilding, group: 'records' }, prefetch: (qc) => prefetchList(qc, 'accounts') },
  { path: '/accounts/:id', page: lazyPage(() => import('../features/accounts/AccountPage.tsx')) },
  { path: '/contacts', page: lazyPage(() => import('../features/contacts/ContactsList.tsx')), nav: { label: 'nav.contacts', icon: IconAddressBook, group: 'records' }, prefetch: (qc) => prefetchList(qc, 'contacts') },
  { path: '/contacts/:id', page: lazyPage(() => import('../features/contacts/ContactPage.tsx')) },
  { path: '/opportunities', page: lazyPage(() => import('../features/opportunities/OpportunitiesList.tsx')), nav: { label: 'nav.opportunities', icon: IconTargetArrow, group: 'records' }, prefetch: (qc) => prefetchList(qc, 'opportunities') },
  { path: '/opportunities/:id', page: lazyPage(() => import('../features/opportunities/OpportunityPage.tsx')) },
  { path: '/interactions', page: lazyPage(() => import('../features/interactions/InteractionsList.tsx')), nav: { label: 'nav.interactions', icon: IconMessages, group: 'records' }, prefetch: (qc) => prefetchList(qc, 'interactions') },
  { path: '/interactions/:id', page: lazyPage(() => import('../features/interactions/InteractionPage.tsx')) },
  { path: '/tasks', page: lazyPage(() => import('../features/tasks/TasksList.tsx')), nav: { label: 'nav.tasks', icon: IconChecklist, group: 'records' }, prefetch: (qc) => prefetchList(qc, 'tasks') },
  { path: '/tasks/:id', page: lazyPage(() => import('../features/tasks/TaskPage.tsx')) },
  { path: '/pipeline', page: lazyPage(() => import('../features/pipeline/PipelineBoard.tsx')), nav: { label: 'nav.pipeline', icon: IconLayoutKanban, group: 'sales' } },
  // Viewers read; they cannot upload (the API gives them no upload allowance) nor administer.
  { path: '/imports', page: lazyPage(() => import('../features/imports/ImportWizard.tsx')), nav: { label: 'nav.imports', icon: IconFileImport, group: 'admin' }, roles: ['admin', 'manager', 'rep'] },
  { path: '/admin', page: lazyPage(() => import('../features/admin/AdminPage.tsx')), nav: { label: 'nav.admin', icon: IconSettings, group: 'admin' }, roles: ['admin'] },
  { path: '/admin/:tab', page: lazyPage(() => import('../features/admin/AdminPage.tsx')), roles: ['admin'] },
  ...buyingCenterRoutes,
  ...evaluationRoutes,
  ...funnelRoutes,
  ...reportRoutes,
  ...productRoutes,
  ...surveyRoutes,
  ...feedbackRoutes,
];

/** Whether a user of this role may open the route. */
export const allowed = (r: Pick<AppRoute, 'roles'>, role: string) => !r.roles || (r.roles as readonly string[]).includes(role);

export const NAV_GROUPS: NavGroup[] = ['records', 'sales', 'insight', 'admin'];
export const HOME = '/accounts';

/**
 * Called once at start-up: fetch the code and first data of the screen the app was opened on, in
 * parallel with the session check, instead of after it. ("/" and "/login" open the home screen.)
 * Returns what settles once the screen's code (if lazy) and first data (if prefetched) are there.
 */
export function startRoute(pathname: string, qc: QueryClient): Promise<unknown> | undefined {
  const path = pathname === '/' || pathname === '/login' ? HOME : pathname;
  const route = routes.find((r) => matchPath(r.path, path));
  if (!route) return undefined;
  const data = route.prefetch?.(qc);
  const code = route.page.preload?.();
  if (!data && !code) return undefined;
  return Promise.all([code, data]);
}
