import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { Center, Loader } from '@mantine/core';
import { useAuth } from './auth.tsx';
import { allowed, HOME, routes } from './routes.tsx';
import { Shell } from './Shell.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { MePage } from '../features/auth/MePage.tsx';
import { EnrolmentRequiredPage } from '../features/auth/TwoFactorCard.tsx';
import { NotFound, NotForRole } from '../ui/NotFound.tsx';

/** The public survey answer page (/s/<token>): outside the sign-in gate and the shell, nothing else reachable from it. */
const SurveyAnswerPage = lazy(() => import('../features/surveys/SurveyAnswerPage.tsx'));

function Authenticated() {
  const role = useAuth().session?.user.role ?? 'viewer';
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Navigate to={HOME} replace />} />
        <Route path="/login" element={<Navigate to={HOME} replace />} />
        <Route path="/me" element={<MePage />} />
        {routes.map((r) => <Route key={r.path} path={r.path} element={allowed(r, role) ? <r.page /> : <NotForRole />} />)}
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Shell>
  );
}

function Gate() {
  const { status, session } = useAuth();
  if (status === 'loading') return <Center h="100vh"><Loader /></Center>;
  if (status === 'anonymous') return <LoginPage />;
  // The organization requires two-factor sign-in and this user has none: nothing else until it is set up.
  if (session?.twoFactorEnrolmentRequired) return <EnrolmentRequiredPage />;
  return <Authenticated />;
}

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<Center h="100vh"><Loader /></Center>}>
        <Routes>
          <Route path="/s/:token" element={<SurveyAnswerPage />} />
          <Route path="*" element={<Gate />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
