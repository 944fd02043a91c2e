/** Server state of the voice-of-the-customer screens (types from the zod contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type Page } from '../../app/api.ts';
import type { boardResponse, complaintTransition, FeedbackRecord, modelStats, productVoiceResponse, slaResponse, voiceResponse, womPoint } from '../../../../src/features/feedback/schemas.ts';

export type { FeedbackRecord };
export type Board = z.infer<typeof boardResponse>;
export type Sla = z.infer<typeof slaResponse>;
export type ModelStats = z.infer<typeof modelStats>;
export type Step = z.infer<typeof complaintTransition>;
export type ProductVoice = z.infer<typeof productVoiceResponse>;
export type Voice = z.infer<typeof voiceResponse>;
export type WomPoint = z.infer<typeof womPoint>;

const clean = (q: Record<string, string | undefined>) => Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;

export const useFeedbackList = (q: Record<string, string | undefined>) =>
  useQuery({ queryKey: ['feedback', 'list', q], queryFn: ({ signal }) => api<Page<FeedbackRecord>>('/feedback', { query: clean({ limit: '100', ...q }), signal }) });
export const useFeedback = (id: string | undefined) =>
  useQuery({ queryKey: ['feedback', 'one', id], queryFn: ({ signal }) => api<FeedbackRecord>(`/feedback/${id}`, { signal }), enabled: !!id });
export const useSteps = (id: string | undefined, enabled: boolean) =>
  useQuery({ queryKey: ['feedback', 'steps', id], queryFn: async ({ signal }) => (await api<{ data: Step[] }>(`/feedback/${id}/transitions`, { signal })).data, enabled: !!id && enabled });
export const useBoard = (q: { accountId?: string; open?: boolean }) =>
  useQuery({ queryKey: ['feedback', 'board', q], queryFn: ({ signal }) => api<Board>('/complaints/board', { query: clean({ accountId: q.accountId, open: q.open ? 'true' : undefined }), signal }) });
export const useSla = (enabled: boolean) =>
  useQuery({ queryKey: ['feedback', 'sla'], queryFn: ({ signal }) => api<Sla>('/complaints/sla', { query: { months: '6' }, signal }), enabled });
export const useProductVoice = (id: string | undefined) =>
  useQuery({ queryKey: ['feedback', 'product-voice', id], queryFn: ({ signal }) => api<ProductVoice>(`/products/${id}/voice`, { query: { months: '12' }, signal }), enabled: !!id });
export const useVoice = (by: 'product' | 'line') =>
  useQuery({ queryKey: ['feedback', 'by-product', by], queryFn: ({ signal }) => api<Voice>('/feedback/by-product', { query: { by }, signal }) });
export const useModel = () => useQuery({ queryKey: ['feedback', 'model'], queryFn: ({ signal }) => api<ModelStats>('/sentiment/model', { signal }) });

/** Every write answers the record; the lists, board and figures are refetched. */
export function useFeedbackAction<I>(call: (input: I) => Promise<FeedbackRecord>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (row) => {
      qc.setQueryData(['feedback', 'one', row.id], row);
      void qc.invalidateQueries({ queryKey: ['feedback'] });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void qc.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
}

export const post = (path: string, body: unknown) => api<FeedbackRecord>(path, { method: 'POST', body });
