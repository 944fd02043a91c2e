/**
 * The account's national culture (Hofstede's six dimensions) beside our own country's, with what
 * each marked level means for selling there. The compared country is remembered per browser.
 */
import { useMemo, useState } from 'react';
import { Anchor, Badge, Card, Group, Progress, Select, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconWorld } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth.tsx';
import { formatCountry } from '../../app/format.ts';
import { useCountryCulture, useCultureCountries, useHomeCountry, useSetHomeCountry } from './data.ts';
import { NS } from './i18n.ts';

const COMPARE_KEY = 'accord.culture.compare';
/** Stored when a user cleared the comparison, so the organization's country does not come back. */
const NONE = '-';

/** This browser's own choice: a country, NONE, or undefined (then the organization's country). */
function storedCompare(): string | undefined {
  try {
    return localStorage.getItem(COMPARE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

const Swatch = ({ color }: { color: string }) => <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: color }} />;

export function CultureCard({ country }: { country: string | null | undefined }) {
  const { t, i18n } = useTranslation(NS);
  const { user } = useSession();
  const [chosen, setChosen] = useState<string | undefined>(storedCompare);
  const home = useHomeCountry();
  const setHome = useSetHomeCountry();
  const compare = chosen === NONE ? null : (chosen ?? home.data?.country ?? null);
  const code = country ? country.toUpperCase() : null;
  const countries = useCultureCountries();
  const culture = useCountryCulture(code, compare && compare !== code ? compare : null);
  const options = useMemo(
    () =>
      (countries.data?.data ?? [])
        .map((c) => ({ value: c.country, label: formatCountry(c.country, i18n.language) }))
        .sort((a, b) => a.label.localeCompare(b.label, i18n.language)),
    [countries.data, i18n.language],
  );
  const pick = (v: string | null) => {
    setChosen(v ?? NONE);
    try {
      localStorage.setItem(COMPARE_KEY, v ?? NONE);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  };
  const makeHome = () =>
    home.data &&
    setHome.mutate(
      { country: compare, version: home.data.version },
      {
        onSuccess: (r) => notifications.show({ color: 'green', message: t('homeSaved', { country: formatCountry(r.country, i18n.language) }) }),
        onError: (e) => notifications.show({ color: 'red', message: e.message }),
      },
    );
  const homeName = home.data?.country ? formatCountry(home.data.country, i18n.language) : null;
  const canSetHome = (user.role === 'admin' || user.role === 'manager') && !!compare && compare !== home.data?.country;
  const name = code ? formatCountry(code, i18n.language) : '';
  const c = culture.data;
  const regional = c?.dimensions.some((d) => d.regional);

  return (
    <Card withBorder padding="md" data-testid="culture-card">
      <Group gap={6} mb="sm" justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap"><IconWorld size={18} /><Text fw={600}>{t('title')}</Text>{code && <Text size="sm" c="dimmed">{name}</Text>}</Group>
      </Group>
      {!code && <Text size="sm" c="dimmed">{t('noCountry')}</Text>}
      {code && c && !c.known && <Text size="sm" c="dimmed">{t('unknown', { country: name })}</Text>}
      {code && c?.known && (
        <Stack gap="sm">
          <Select size="xs" label={t('compareWith')} placeholder={t('comparePlaceholder')} data={options} value={compare} onChange={pick}
            searchable clearable data-testid="culture-compare" comboboxProps={{ withinPortal: true }}
            description={homeName ? t('home', { country: homeName }) : undefined} />
          {canSetHome && (
            <Anchor component="button" type="button" size="xs" onClick={makeHome} data-testid="culture-set-home">
              {t('makeHome', { country: formatCountry(compare, i18n.language) })}
            </Anchor>
          )}
          {c.compare?.known && (
            <Group gap="md">
              <Group gap={4}><Swatch color="var(--mantine-color-teal-filled)" /><Text size="xs">{name}</Text></Group>
              <Group gap={4}><Swatch color="var(--mantine-color-gray-5)" /><Text size="xs">{formatCountry(c.compare.country, i18n.language)}</Text></Group>
            </Group>
          )}
          {c.dimensions.map((d) => (
            <div key={d.dimension} data-testid={`culture-${d.dimension}`}>
              <Group justify="space-between" gap={4} wrap="nowrap">
                <Text size="sm">{t(`dimension.${d.dimension}`)}</Text>
                <Group gap={4} wrap="nowrap">
                  {d.bigGap && <Badge size="xs" color="orange" variant="light">{t('bigGap', { gap: Math.abs(d.gap!) })}</Badge>}
                  <Text size="sm" fw={600}>
                    {d.score ?? '—'}
                    {d.regional && <Tooltip label={t('regional')}><span aria-label={t('regional')}>*</span></Tooltip>}
                  </Text>
                  {d.level && <Text size="xs" c="dimmed">{t(`level.${d.level}`)}</Text>}
                </Group>
              </Group>
              {d.score === null ? (
                <Text size="xs" c="dimmed">{t('missing')}</Text>
              ) : (
                // Scores run 0–100 with a few above (Malaysia's power distance is 104): the bar stops at full.
                <Progress value={Math.min(100, d.score)} color="teal" size="sm" aria-label={`${t(`dimension.${d.dimension}`)} ${name}`} />
              )}
              {d.compareScore !== null && (
                <Progress value={Math.min(100, d.compareScore)} color="gray" size="xs" mt={2}
                  aria-label={`${t(`dimension.${d.dimension}`)} ${compare ? formatCountry(compare, i18n.language) : ''}`} />
              )}
              {d.level && d.level !== 'middle' && <Text size="xs" c="dimmed" mt={2}>{t(`advice.${d.dimension}.${d.level}`)}</Text>}
            </div>
          ))}
          {regional && <Text size="xs" c="dimmed">* {t('regionalNote', { region: c.region, country: name })}</Text>}
          <Text size="xs" c="dimmed">{t('credit')}</Text>
        </Stack>
      )}
    </Card>
  );
}
