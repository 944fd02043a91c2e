/** The goals and funnel screens, registered with one line in web/src/app/routes.tsx. */
import { lazy } from 'react';
import { IconChartFunnel, IconTarget } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';
import './i18n.ts';

export const funnelRoutes: AppRoute[] = [
  { path: '/goals', page: lazy(() => import('../goals/GoalsPage.tsx')), nav: { label: 'nav.goals', icon: IconTarget, group: 'insight' } },
  { path: '/funnel', page: lazy(() => import('./FunnelPage.tsx')), nav: { label: 'funnel:nav', icon: IconChartFunnel, group: 'insight' } },
];
