/** The survey and engagement screens, registered with one line in web/src/app/routes.tsx (the public answer page is in App.tsx). */
import { lazy } from 'react';
import { IconClipboardHeart, IconHeartHandshake } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.tsx';
import './i18n.ts';

export const surveyRoutes: AppRoute[] = [
  { path: '/surveys', page: lazy(() => import('./SurveysPage.tsx')), nav: { label: 'surveys:nav.surveys', icon: IconClipboardHeart, group: 'insight' } },
  { path: '/surveys/settings', page: lazy(() => import('./SurveySettingsPage.tsx')) },
  { path: '/surveys/:id', page: lazy(() => import('./SurveyPage.tsx')) },
  { path: '/engagement', page: lazy(() => import('./EngagementPage.tsx')), nav: { label: 'surveys:nav.engagement', icon: IconHeartHandshake, group: 'insight' } },
];
