/**
 * The first page of a record list, as one query that both the list screen and the app's start-up
 * use. Opening the app on a list used to be a chain — session check, then the screen's code, then
 * the list request — so the data arrived only after both. The start-up now asks for the list while
 * the session check and the screen's code are still loading (routes.tsx `prefetch`), under exactly
 * the key the screen will read. Kept small and free of the entity definitions: it is part of the
 * initial bundle.
 */
import type { QueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api.ts';
import { listParams, type ListState, type QueryParams } from '../../app/query.ts';

export type ListRecord = Record<string, unknown> & { id: string };

/** The order each list opens in (entities.ts takes its `defaultSort` from here). */
export const LIST_DEFAULT_SORT = {
  accounts: '-updatedAt',
  contacts: '-updatedAt',
  opportunities: '-updatedAt',
  interactions: '-occurredAt',
  tasks: 'dueAt',
} as const;
export type ListEntity = keyof typeof LIST_DEFAULT_SORT;

const storageKey = (entity: string) => `accord.list.${entity}`;

/** The list's filters, sort, search and columns as the user last left them in this browser. */
export function readListState(entity: string, base: ListState): ListState {
  try {
    const raw = localStorage.getItem(storageKey(entity));
    if (raw) return { ...base, ...(JSON.parse(raw) as Partial<ListState>) };
  } catch { /* corrupt local state: start fresh */ }
  return base;
}

export function saveListState(entity: string, state: ListState) {
  localStorage.setItem(storageKey(entity), JSON.stringify(state));
}

export const listQueryKey = (entity: string, params: QueryParams) => [entity, 'list', params] as const;

export function fetchListPage(entity: string, params: QueryParams, cursor: string | null, signal?: AbortSignal, quiet = false) {
  return api<Page<ListRecord>>(`/${entity}`, { query: { ...params, cursor: cursor ?? undefined }, signal, noAuthRedirect: quiet });
}

export const nextListCursor = (last: Page<ListRecord>) => last.nextCursor ?? undefined;

/** Under the list's key prefix, so whatever refreshes a list refreshes its total too. */
export const countQueryKey = (entity: string, params: QueryParams) => [entity, 'list', 'count', params] as const;

export async function fetchListCount(entity: string, params: QueryParams, signal?: AbortSignal): Promise<number> {
  return (await api<Page<ListRecord>>(`/${entity}`, { query: params, signal })).total ?? 0;
}

/**
 * Starts loading the first page the list screen will show; settles when it has arrived or failed.
 * Quiet: before sign-in it fails with 401, and then it is simply forgotten (the screen asks again
 * once it is shown).
 */
export function prefetchList(qc: QueryClient, entity: ListEntity): Promise<void> {
  const state = readListState(entity, { filters: [], sort: LIST_DEFAULT_SORT[entity], q: '', columns: [] });
  const params = listParams(state);
  const queryKey = listQueryKey(entity, params);
  return qc
    .prefetchInfiniteQuery({
      queryKey,
      queryFn: ({ pageParam, signal }) => fetchListPage(entity, params, pageParam, signal, true),
      initialPageParam: null as string | null,
      getNextPageParam: nextListCursor,
      retry: false,
    })
    .then(() => {
      if (qc.getQueryState(queryKey)?.status === 'error') qc.removeQueries({ queryKey, exact: true });
    });
}
