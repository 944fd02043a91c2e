/**
 * The route and navigation registry. A feature adds its screen with ONE entry here:
 *   { path: '/goals', page: lazy(() => import('../features/goals/GoalsPage.tsx')), nav: { label: 'nav.goals', icon: IconTarget, group: 'insight' } },
 * `page` is lazy so each screen is its own chunk; `nav` (optional) puts it in the sidebar.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import {
  IconAddressBook, IconBuilding, IconChecklist, IconFileImport, IconLayoutKanban, IconMessages, IconSettings, IconTargetArrow,
  type Icon,
} from '@tabler/icons-react';
import { buyingCenterRoutes } from '../features/buying-center/routes.ts';
import { evaluationRoutes } from '../features/evaluation/routes.ts';
import { funnelRoutes } from '../features/funnel/routes.ts';

export type NavGroup = 'records' | 'sales' | 'insight' | 'admin';
export type AppRoute = {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  nav?: { label: string; icon: Icon; group: NavGroup; adminOnly?: boolean };
};

export const routes: AppRoute[] = [
  { path: '/accounts', page: lazy(() => import('../features/accounts/AccountsList.tsx')), nav: { label: 'nav.accounts', icon: IconBuilding, group: 'records' } },
  { path: '/accounts/:id', page: lazy(() => import('../features/accounts/AccountPage.tsx')) },
  { path: '/contacts', page: lazy(() => import('../features/contacts/ContactsList.tsx')), nav: { label: 'nav.contacts', icon: IconAddressBook, group: 'records' } },
  { path: '/contacts/:id', page: lazy(() => import('../features/contacts/ContactPage.tsx')) },
  { path: '/opportunities', page: lazy(() => import('../features/opportunities/OpportunitiesList.tsx')), nav: { label: 'nav.opportunities', icon: IconTargetArrow, group: 'records' } },
  { path: '/opportunities/:id', page: lazy(() => import('../features/opportunities/OpportunityPage.tsx')) },
  { path: '/interactions', page: lazy(() => import('../features/interactions/InteractionsList.tsx')), nav: { label: 'nav.interactions', icon: IconMessages, group: 'records' } },
  { path: '/interactions/:id', page: lazy(() => import('../features/interactions/InteractionPage.tsx')) },
  { path: '/tasks', page: lazy(() => import('../features/tasks/TasksList.tsx')), nav: { label: 'nav.tasks', icon: IconChecklist, group: 'records' } },
  { path: '/tasks/:id', page: lazy(() => import('../features/tasks/TaskPage.tsx')) },
  { path: '/pipeline', page: lazy(() => import('../features/pipeline/PipelineBoard.tsx')), nav: { label: 'nav.pipeline', icon: IconLayoutKanban, group: 'sales' } },
  { path: '/imports', page: lazy(() => import('../features/imports/ImportWizard.tsx')), nav: { label: 'nav.imports', icon: IconFileImport, group: 'admin' } },
  { path: '/admin', page: lazy(() => import('../features/admin/AdminPage.tsx')), nav: { label: 'nav.admin', icon: IconSettings, group: 'admin', adminOnly: true } },
  { path: '/admin/:tab', page: lazy(() => import('../features/admin/AdminPage.tsx')) },
  ...buyingCenterRoutes,
  ...evaluationRoutes,
  ...funnelRoutes,
];

export const NAV_GROUPS: NavGroup[] = ['records', 'sales', 'insight', 'admin'];
export const HOME = '/accounts';
