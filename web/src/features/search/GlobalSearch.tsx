import { useState } from 'react';
import { Spotlight, spotlight } from '@mantine/spotlight';
import { Badge, Box, Group, Loader, Text } from '@mantine/core';
import { IconAddressBook, IconBuilding, IconSearch, IconTargetArrow } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
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
  const qc = useQueryClient();
  const search = (q: string, signal?: AbortSignal) => api<{ data: Hit[] }>('/search', { query: { q }, signal });
  const { data, isFetching } = useQuery({
    queryKey: ['search', debounced],
    queryFn: ({ signal }) => search(debounced, signal),
    enabled: debounced.length > 0,
    staleTime: 10_000,
  });
  const hits = debounced ? data?.data ?? [] : [];
  const open = (h: Hit | undefined) => {
    if (!h) return;
    spotlight.close();
    navigate(`/${PATH[h.type]}/${h.id}`);
  };

  /**
   * Enter opens what the user is looking at for what they typed: the highlighted hit when the list
   * shows this query's results (the first one if none is highlighted), otherwise — typed faster than
   * the search — the first hit of the query as typed, never one left over from the previous query.
   */
  function onEnter(e: React.KeyboardEvent) {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const q = query.trim();
    e.preventDefault();
    e.stopPropagation();
    if (!q) return;
    if (q === debounced && data && !isFetching) {
      const selected = document.querySelector<HTMLElement>('[data-testid="search-hit"][data-selected]');
      if (selected) selected.click();
      else open(hits[0]);
      return;
    }
    void qc.fetchQuery({ queryKey: ['search', q], queryFn: ({ signal }) => search(q, signal), staleTime: 10_000 }).then((r) => open(r.data[0]), () => {});
  }
  return (
    <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={['mod + K', '/']} scrollable maxHeight={420}>
      {/* Captured before the search box's own Enter, which clicks whichever hit happens to be highlighted. */}
      <Box onKeyDownCapture={onEnter}>
        <Spotlight.Search
          placeholder={t('search.placeholder')}
          leftSection={isFetching ? <Loader size={16} /> : <IconSearch stroke={1.5} />}
          aria-label={t('search.placeholder')}
          data-testid="search-input"
        />
      </Box>
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
