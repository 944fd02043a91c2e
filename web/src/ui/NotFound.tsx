import { Button } from '@mantine/core';
import { IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { EmptyState } from './EmptyState.tsx';

export function NotFound() {
  const { t } = useTranslation();
  return <EmptyState icon={IconMapPinOff} title={t('error.notFound')} action={<Button component={Link} to="/" variant="light">{t('common.home')}</Button>} />;
}
