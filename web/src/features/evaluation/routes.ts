/** The evaluation screens, registered with one line in web/src/app/routes.tsx. */
import { lazy } from 'react';
import { IconChartDots3, IconChartLine, IconUserStar } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';
import './i18n.ts';

export const evaluationRoutes: AppRoute[] = [
  { path: '/portfolio', page: lazy(() => import('./PortfolioPage.tsx')), nav: { label: 'ev:nav.portfolio', icon: IconChartDots3, group: 'insight' } },
  { path: '/profile', page: lazy(() => import('./ProfilePage.tsx')), nav: { label: 'ev:nav.profile', icon: IconUserStar, group: 'insight' } },
  { path: '/win-model', page: lazy(() => import('./CalibrationPage.tsx')), nav: { label: 'ev:nav.calibration', icon: IconChartLine, group: 'insight' } },
];
