/** Server state of the survey and engagement screens (types from the zod contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type Page } from '../../app/api.ts';
import type * as S from '../../../../src/features/surveys/schemas.ts';

export type Survey = z.infer<typeof S.survey>;
export type Link = z.infer<typeof S.link>;
export type Recipient = z.infer<typeof S.recipient>;
export type SurveyResults = z.infer<typeof S.surveyResults>;
export type AccountEngagement = z.infer<typeof S.accountEngagement>;
export type EngagementAnalysis = z.infer<typeof S.engagementAnalysis>;
export type EngagementSettings = z.infer<typeof S.engagementSettingsResponse>;
export type PublicSurvey = z.infer<typeof S.publicSurvey>;
export type SendInput = z.input<typeof S.sendBody>;

export const useSurveys = () =>
  useQuery({ queryKey: ['surveys'], queryFn: ({ signal }) => api<Page<Survey>>('/surveys', { query: { limit: 200, sort: '-updatedAt' }, signal }) });
export const useSurvey = (id: string | undefined) =>
  useQuery({ queryKey: ['surveys', id], queryFn: ({ signal }) => api<Survey>(`/surveys/${id}`, { signal }), enabled: !!id });
export const useRecipients = (id: string) =>
  useQuery({ queryKey: ['surveys', id, 'recipients'], queryFn: async ({ signal }) => (await api<{ data: Recipient[] }>(`/surveys/${id}/recipients`, { signal })).data });
export const useResults = (id: string) =>
  useQuery({ queryKey: ['surveys', id, 'results'], queryFn: ({ signal }) => api<SurveyResults>(`/surveys/${id}/results`, { signal }) });
export const useAccountEngagement = (accountId: string) =>
  useQuery({ queryKey: ['engagement', 'account', accountId], queryFn: ({ signal }) => api<AccountEngagement>(`/accounts/${accountId}/engagement`, { signal }) });
export const useEngagement = (segmentId?: string | null) =>
  useQuery({ queryKey: ['engagement', 'analysis', segmentId ?? null], queryFn: ({ signal }) => api<EngagementAnalysis>('/engagement', { query: segmentId ? { segmentId } : {}, signal }) });
export const useEngagementSettings = () =>
  useQuery({ queryKey: ['engagement', 'settings'], queryFn: ({ signal }) => api<EngagementSettings>('/engagement/settings', { signal }) });

export function useCreateSurvey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; language: string }) => api<Survey>('/surveys', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys'] }),
  });
}
export function useUpdateSurvey(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, ...body }: { version: number } & Record<string, unknown>) => api<Survey>(`/surveys/${id}`, { method: 'PATCH', body, ifMatch: version }),
    onSuccess: (s) => qc.setQueryData(['surveys', id], s),
  });
}
export function useSend(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SendInput) => api<{ created: number; skipped: number; links: Link[] }>(`/surveys/${id}/recipients`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys', id] }),
  });
}
export function useReissue(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ links: Link[] }>(`/surveys/${id}/links`, { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['surveys', id] }),
  });
}
export type NpsRow = z.infer<typeof S.npsRow>;
export const useNpsBreakdown = (by: string) =>
  useQuery({ queryKey: ['engagement', 'nps', by], queryFn: async ({ signal }) => (await api<{ data: NpsRow[] }>('/engagement/nps', { query: { by }, signal })).data });
