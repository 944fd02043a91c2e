import { Button } from '@mantine/core';
import { IconLock, IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { EmptyState } from './EmptyState.tsx';

export function NotFound() {
  const { t } = useTranslation();
  return <EmptyState icon={IconMapPinOff} title={t('error.notFound')} action={<Button component={Link} to="/" variant="light">{t('common.home')}</Button>} />;
}

/** A screen the signed-in user's role does not open (the API refuses its data as well). */
export function NotForRole() {
  const { t } = useTranslation();
  return <EmptyState icon={IconLock} title={t('error.notForRole')} action={<Button component={Link} to="/" variant="light">{t('common.home')}</Button>} />;
}
