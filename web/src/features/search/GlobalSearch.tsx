import { useState } from 'react';
import { Spotlight } from '@mantine/spotlight';
import { Badge, Group, Loader, Text } from '@mantine/core';
import { IconAddressBook, IconBuilding, IconSearch, IconTargetArrow } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '@mantine/hooks';
import { api } from '../../app/api.ts';

type Hit = { type: 'account' | 'contact' | 'opportunity'; id: string; title: string; subtitle?: string | null };
const ICON = { account: IconBuilding, contact: IconAddressBook, opportunity: IconTargetArrow } as const;
const PATH = { account: 'accounts', contact: 'contacts', opportunity: 'opportunities' } as const;

/** Ctrl/⌘-K search over accounts, contacts and opportunities (server-side, matches part of a Chinese name). */
export function GlobalSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 180);
  const { data, isFetching } = useQuery({
    queryKey: ['search', debounced],
    queryFn: ({ signal }) => api<{ data: Hit[] }>('/search', { query: { q: debounced }, signal }),
    enabled: debounced.length > 0,
    staleTime: 10_000,
  });
  const hits = debounced ? data?.data ?? [] : [];
  return (
    <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={['mod + K', '/']} scrollable maxHeight={420}>
      <Spotlight.Search
        placeholder={t('search.placeholder')}
        leftSection={isFetching ? <Loader size={16} /> : <IconSearch stroke={1.5} />}
        aria-label={t('search.placeholder')}
        data-testid="search-input"
      />
      <Spotlight.ActionsList>
        {hits.map((h) => {
          const Ico = ICON[h.type] ?? IconSearch;
          return (
            <Spotlight.Action key={`${h.type}:${h.id}`} onClick={() => navigate(`/${PATH[h.type]}/${h.id}`)} data-testid="search-hit">
              <Group wrap="nowrap" w="100%">
                <Ico size={20} stroke={1.5} />
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>{h.title}</Text>
                  {h.subtitle && <Text size="xs" c="dimmed" truncate>{h.subtitle}</Text>}
                </div>
                <Badge size="xs" variant="light">{t(`search.type.${h.type}`)}</Badge>
              </Group>
            </Spotlight.Action>
          );
        })}
        {debounced && !isFetching && hits.length === 0 && <Spotlight.Empty>{t('search.nothing')}</Spotlight.Empty>}
        {!debounced && <Spotlight.Empty>{t('search.hint')}</Spotlight.Empty>}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
