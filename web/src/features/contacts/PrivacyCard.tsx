import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconEraser } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useSession } from '../../app/auth.tsx';

/**
 * Data-subject requests for one contact (PIPL / GDPR): download everything held about them, or
 * erase them. Admins and managers only, as on the server.
 */
export function PrivacyCard({ contactId, name }: { contactId: string; name: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (user.role !== 'admin' && user.role !== 'manager') return null;
  const base = `/api/v1/contacts/${contactId}/personal-data`;

  async function erase() {
    setBusy(true);
    setError(null);
    try {
      await api(`/contacts/${contactId}/erase`, { method: 'POST', body: { confirm: true } });
      setOpen(false);
      notifications.show({ color: 'green', message: t('privacy.erased') });
      await qc.invalidateQueries();
      navigate('/contacts');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card withBorder padding="md" data-testid="privacy-card">
      <Stack gap="xs">
        <Text fw={600} size="sm">{t('privacy.title')}</Text>
        <Text size="xs" c="dimmed">{t('privacy.hint')}</Text>
        <Group gap="xs">
          <Button component="a" href={`${base}?format=json`} download size="xs" variant="light" leftSection={<IconDownload size={14} />} data-testid="privacy-export-json">{t('privacy.exportJson')}</Button>
          <Button component="a" href={`${base}?format=csv`} download size="xs" variant="light" leftSection={<IconDownload size={14} />} data-testid="privacy-export-csv">{t('privacy.exportCsv')}</Button>
        </Group>
        <Group>
          <Button size="xs" color="red" variant="outline" leftSection={<IconEraser size={14} />} onClick={() => { setSure(false); setOpen(true); }} data-testid="privacy-erase">{t('privacy.erase')}</Button>
        </Group>
      </Stack>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('privacy.eraseTitle', { name })} centered>
        <Stack>
          <Text size="sm">{t('privacy.eraseBody')}</Text>
          <Checkbox checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} label={t('privacy.eraseSure')} data-testid="privacy-erase-sure" />
          {error ? <Alert color="red">{error}</Alert> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button color="red" disabled={!sure} loading={busy} onClick={() => void erase()} data-testid="privacy-erase-confirm">{t('privacy.eraseConfirm')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
