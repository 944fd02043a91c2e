/** Saved segments: one query for every screen that offers them (lists, portfolio, goals, funnel). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { Segment } from '../../../../src/features/segments/schemas.ts';

export type { Segment };

export const useSegments = () =>
  useQuery({
    queryKey: ['segments'],
    queryFn: async ({ signal }) => (await api<{ data: Segment[] }>('/segments', { query: { limit: 200, sort: 'name' }, signal })).data,
    // Segments are optional: without them the pickers offer "all accounts" only.
    retry: false,
    staleTime: 60_000,
  });
