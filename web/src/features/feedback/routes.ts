/** The voice-of-the-customer screens, registered with one line in web/src/app/routes.tsx. */
import { lazy } from 'react';
import { IconMessageReport, IconSpeakerphone } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';
import './i18n.ts';

export const feedbackRoutes: AppRoute[] = [
  { path: '/feedback', page: lazy(() => import('./FeedbackPage.tsx')), nav: { label: 'feedback:nav', icon: IconSpeakerphone, group: 'records' } },
  { path: '/feedback/:id', page: lazy(() => import('./FeedbackDetail.tsx')) },
  { path: '/complaints', page: lazy(() => import('./ComplaintsPage.tsx')), nav: { label: 'feedback:complaintsNav', icon: IconMessageReport, group: 'records' } },
];
