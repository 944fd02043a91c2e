/** The product and price-list screens, registered with one line in web/src/app/routes.tsx. */
import { lazy } from 'react';
import { IconPackage, IconReceipt2 } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';
import './i18n.ts';

export const productRoutes: AppRoute[] = [
  { path: '/products', page: lazy(() => import('./ProductsPage.tsx')), nav: { label: 'products:nav', icon: IconPackage, group: 'sales' } },
  { path: '/products/:id', page: lazy(() => import('./ProductPage.tsx')) },
  { path: '/price-lists', page: lazy(() => import('./PriceListsPage.tsx')), nav: { label: 'products:prices.nav', icon: IconReceipt2, group: 'sales' } },
];
