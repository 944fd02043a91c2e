/** The reports and sales-dashboard screens, registered with one line in web/src/app/routes.tsx. */
import { lazy } from 'react';
import { IconChartBar, IconPresentationAnalytics } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';
import './i18n.ts';

export const reportRoutes: AppRoute[] = [
  { path: '/dashboard', page: lazy(() => import('./DashboardPage.tsx')), nav: { label: 'reports:dashboardNav', icon: IconPresentationAnalytics, group: 'insight' } },
  { path: '/reports', page: lazy(() => import('./ReportsPage.tsx')), nav: { label: 'reports:nav', icon: IconChartBar, group: 'insight' } },
];
