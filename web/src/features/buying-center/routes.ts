/** The buying-center screens, registered with one line in web/src/app/routes.tsx. */
import { lazy } from 'react';
import { IconAffiliate } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';

export const buyingCenterRoutes: AppRoute[] = [
  { path: '/buying-center', page: lazy(() => import('./RelationshipRiskPage.tsx')), nav: { label: 'nav.buyingCenter', icon: IconAffiliate, group: 'insight' } },
  { path: '/opportunities/:id/buying-center', page: lazy(() => import('./OpportunityBuyingCenterPage.tsx')) },
  { path: '/accounts/:id/buying-center', page: lazy(() => import('./AccountBuyingCenterPage.tsx')) },
];
