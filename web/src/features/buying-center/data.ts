/** Server state of the buying-center screens: queries and mutations over /api/v1 (types from the zod contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type {
  AccountBuyingCenter, BuyingCenter, DependenceReport, HandoverPackage, Member,
} from '../../../../src/features/buying-center/schemas.ts';

export type { AccountBuyingCenter, BuyingCenter, DependenceReport, HandoverPackage, Member };
export type HandoverResult = { accounts: number; opportunities: number; tasks: number; contacts: number; coverage: number; auditEntries: number };

export const useBuyingCenter = (opportunityId: string | undefined) =>
  useQuery({
    queryKey: ['buying-center', 'opportunity', opportunityId],
    queryFn: ({ signal }) => api<BuyingCenter>(`/opportunities/${opportunityId}/buying-center`, { signal }),
    enabled: !!opportunityId,
  });

export const useAccountBuyingCenter = (accountId: string | undefined) =>
  useQuery({
    queryKey: ['buying-center', 'account', accountId],
    queryFn: ({ signal }) => api<AccountBuyingCenter>(`/accounts/${accountId}/buying-center`, { signal }),
    enabled: !!accountId,
  });

export const useDependence = (userId?: string | null) =>
  useQuery({
    queryKey: ['buying-center', 'dependence', userId ?? null],
    queryFn: ({ signal }) => api<DependenceReport>('/relationship-risk/dependence', { query: { limit: 100, ...(userId ? { userId } : {}) }, signal }),
  });

export const useHandoverPreview = (fromUserId: string | null) =>
  useQuery({
    queryKey: ['buying-center', 'handover', fromUserId],
    queryFn: ({ signal }) => api<HandoverPackage>('/relationship-risk/handover', { query: { fromUserId: fromUserId! }, signal }),
    enabled: !!fromUserId,
  });

/** Every buying-center write refreshes all buying-center views and the deal (its coverage score). */
export function useBuyingCenterMutations() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['buying-center'] });
    void qc.invalidateQueries({ queryKey: ['opportunities'] });
  };
  return {
    add: useMutation({
      mutationFn: ({ opportunityId, body }: { opportunityId: string; body: Record<string, unknown> }) =>
        api<Member>(`/opportunities/${opportunityId}/buying-center/members`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, version, body }: { id: string; version: number; body: Record<string, unknown> }) =>
        api<Member>(`/buying-center/members/${id}`, { method: 'PATCH', body, ifMatch: version }),
      onSuccess: refresh,
      onError: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api<Member>(`/buying-center/members/${id}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
    handover: useMutation({
      mutationFn: (body: { fromUserId: string; toUserId: string; accountIds?: string[]; note?: string }) =>
        api<HandoverResult>('/relationship-risk/handover', { method: 'POST', body }),
      onSuccess: () => {
        refresh();
        void qc.invalidateQueries({ queryKey: ['accounts'] });
        void qc.invalidateQueries({ queryKey: ['tasks'] });
      },
    }),
  };
}
