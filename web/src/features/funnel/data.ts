/** Server state of the funnel screens and account components (types from the zod contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { AccountWallet, AccountWalletLines, AcquisitionFunnel, OrgWallet, OrgWalletLines, StatusHistory } from '../../../../src/features/funnel/schemas.ts';
import type { Alert } from '../../../../src/features/funnel/alerts.ts';
import type { AisasReport } from '../../../../src/features/journey/schemas.ts';

export type { AccountWallet, AccountWalletLines, AcquisitionFunnel, OrgWallet, OrgWalletLines, StatusHistory, Alert, AisasReport };
type Q = Record<string, string | undefined>;
const clean = (q: Q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;

export const useAcquisition = (q: Q) =>
  useQuery({ queryKey: ['funnel', 'acquisition', q], queryFn: ({ signal }) => api<AcquisitionFunnel>('/funnel/acquisition', { query: clean(q), signal }) });
export const useOrgWallet = (q: Q) =>
  useQuery({ queryKey: ['funnel', 'wallet', q], queryFn: ({ signal }) => api<OrgWallet>('/funnel/wallet', { query: clean({ ...q, limit: '15' }), signal }) });
export const useOrgWalletLines = (q: Q) =>
  useQuery({ queryKey: ['funnel', 'wallet-lines', q], queryFn: ({ signal }) => api<OrgWalletLines>('/funnel/wallet/lines', { query: clean(q), signal }) });
export const useAccountWalletLines = (accountId: string | undefined) =>
  useQuery({
    queryKey: ['funnel', 'account-wallet-lines', accountId],
    queryFn: ({ signal }) => api<AccountWalletLines>(`/accounts/${accountId}/wallet/lines`, { signal }),
    enabled: !!accountId,
  });
export const useAisas = (q: Q) =>
  useQuery({ queryKey: ['funnel', 'aisas', q], queryFn: ({ signal }) => api<AisasReport>('/journey/aisas', { query: clean(q), signal }) });
export const useAccountWallet = (accountId: string | undefined, by: 'year' | 'quarter') =>
  useQuery({
    queryKey: ['funnel', 'account-wallet', accountId, by],
    queryFn: ({ signal }) => api<AccountWallet>(`/accounts/${accountId}/wallet`, { query: { by, periods: by === 'year' ? '5' : '8' }, signal }),
    enabled: !!accountId,
  });
export const useStatusHistory = (accountId: string | undefined) =>
  useQuery({
    queryKey: ['funnel', 'status-history', accountId],
    queryFn: ({ signal }) => api<StatusHistory>(`/accounts/${accountId}/status-history`, { signal }),
    enabled: !!accountId,
  });
export const useAlerts = (q: { accountId?: string; open?: boolean } = {}) =>
  useQuery({
    queryKey: ['alerts', q],
    queryFn: async ({ signal }) =>
      (await api<{ data: Alert[] }>('/alerts', { query: clean({ accountId: q.accountId, open: q.open === false ? undefined : 'true', limit: '50' }), signal })).data,
  });
export function useAckAlert() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api<Alert>(`/alerts/${id}/ack`, { method: 'POST' }), onSuccess: () => void qc.invalidateQueries({ queryKey: ['alerts'] }) });
}
