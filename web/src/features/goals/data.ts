/** Server state of the goals screens (types from the zod contract shared with the server). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { Goal, GoalProgress } from '../../../../src/features/goals/schemas.ts';
import type { DealCriteria } from '../../../../src/features/goals/criteria.ts';

export type { Goal, GoalProgress, DealCriteria };

export const useGoals = () =>
  useQuery({
    queryKey: ['goals', 'list'],
    queryFn: async ({ signal }) => (await api<{ data: Goal[] }>('/goals', { query: { limit: 200, sort: '-periodStart' }, signal })).data,
  });

export const useGoalProgress = (id: string | null) =>
  useQuery({
    queryKey: ['goals', 'progress', id],
    queryFn: ({ signal }) => api<GoalProgress>(`/goals/${id}/progress`, { signal }),
    enabled: !!id,
  });


export function useGoalMutations() {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['goals'] });
  return {
    create: useMutation({ mutationFn: (body: Record<string, unknown>) => api<Goal>('/goals', { method: 'POST', body }), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, version, body }: { id: string; version: number; body: Record<string, unknown> }) => api<Goal>(`/goals/${id}`, { method: 'PATCH', body, ifMatch: version }),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (g: Goal) => api<Goal>(`/goals/${g.id}`, { method: 'DELETE', ifMatch: g.version }), onSuccess: refresh }),
  };
}

export const useDealCriteria = (opportunityId: string | undefined) =>
  useQuery({
    queryKey: ['criteria', opportunityId],
    queryFn: ({ signal }) => api<DealCriteria>(`/opportunities/${opportunityId}/criteria`, { signal }),
    enabled: !!opportunityId,
  });

export function useToggleCriterion(opportunityId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ criterionId, checked }: { criterionId: string; checked: boolean }) =>
      api<DealCriteria>(`/opportunities/${opportunityId}/criteria/${criterionId}`, { method: checked ? 'POST' : 'DELETE' }),
    onSuccess: (data) => qc.setQueryData(['criteria', opportunityId], data),
  });
}
