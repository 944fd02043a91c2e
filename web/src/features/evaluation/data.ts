/** Server state of the evaluation screens (types from the zod contract in src/features/evaluation/schemas.ts). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type {
  AccountFitResponse, ModelResponse, PortfolioResponse, ProfileResponse, RecomputeResponse, SettingsResponse,
} from '../../../../src/features/evaluation/schemas.ts';

export type { AccountFitResponse, ModelResponse, PortfolioResponse, ProfileResponse, RecomputeResponse, SettingsResponse };
export type EvaluationSettings = SettingsResponse['settings'];

export type Reason = { label: string; attribute?: string; value?: string; lift?: number; weight?: number; feature?: string };

export const useProfile = () =>
  useQuery({ queryKey: ['evaluation', 'profile'], queryFn: ({ signal }) => api<ProfileResponse>('/evaluation/profile', { signal }) });

export const useWinModel = () =>
  useQuery({ queryKey: ['evaluation', 'model'], queryFn: ({ signal }) => api<ModelResponse>('/evaluation/model', { signal }) });

export const usePortfolio = (segmentId: string | null) =>
  useQuery({
    queryKey: ['evaluation', 'portfolio', segmentId],
    queryFn: ({ signal }) => api<PortfolioResponse>('/evaluation/portfolio', { query: { limit: 3000, segmentId: segmentId ?? undefined }, signal }),
  });

export const useAccountFit = (accountId: string | undefined, enabled = true) =>
  useQuery({
    queryKey: ['evaluation', 'fit', accountId],
    queryFn: ({ signal }) => api<AccountFitResponse>(`/accounts/${accountId}/fit`, { signal }),
    enabled: !!accountId && enabled,
  });


export const useEvaluationSettings = () =>
  useQuery({ queryKey: ['evaluation', 'settings'], queryFn: ({ signal }) => api<SettingsResponse>('/evaluation/settings', { signal }) });

export function useSaveEvaluationSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ change, version }: { change: Record<string, unknown>; version: number }) =>
      api<SettingsResponse>('/evaluation/settings', { method: 'PATCH', body: change, ifMatch: version }),
    onSuccess: (r) => qc.setQueryData(['evaluation', 'settings'], r),
  });
}

export function useRecompute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<RecomputeResponse>('/evaluation/recompute', { method: 'POST' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['evaluation'] });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      void qc.invalidateQueries({ queryKey: ['opportunities'] });
    },
  });
}

/** Quadrant colours shared by the matrix and the badges. */
export const TYPE_COLOR = { key: '#2f9e44', development: '#1971c2', maintenance: '#f08c00', opportunity: '#868e96' } as const;
export const fitColor = (score: number) => (score >= 65 ? 'green' : score >= 45 ? 'yellow' : 'gray');
export const winColor = (p: number) => (p >= 0.6 ? 'green' : p >= 0.3 ? 'yellow' : 'red');

type AccountRow = { id: string; name: string; fitScore: number | null; fitReasons: Reason[] | null; portfolioType: string | null; priceDriven: boolean | null; tier: string | null };
type DealRow = { id: string; name: string; accountId: string; buyingStage: string; winProbability: number | null; winReasons: Reason[] | null };

/** The best-fitting accounts (a list with fit badges). */
export const useTopFit = (segmentId: string | null) =>
  useQuery({
    queryKey: ['evaluation', 'top-fit', segmentId],
    queryFn: async ({ signal }) =>
      (await api<{ data: AccountRow[] }>(segmentId ? `/segments/${segmentId}/accounts` : '/accounts', { query: { sort: '-fitScore', limit: 12, 'fitScore[empty]': 'false' }, signal })).data,
  });

/** Open deals, most likely to close first (a list with win badges). */
export const useTopDeals = () =>
  useQuery({
    queryKey: ['evaluation', 'top-deals'],
    queryFn: async ({ signal }) => (await api<{ data: DealRow[] }>('/opportunities', { query: { status: 'open', sort: '-winProbability', limit: 12 }, signal })).data,
  });
