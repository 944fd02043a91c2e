/** Server calls of the report screens. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { RecordType, ReportDefinitionInput, ReportResult, SavedReport } from '../../../../src/features/reports/schemas.ts';

export type ReportFields = { recordType: RecordType; fields: Record<string, string>; ownerField?: string; money: Record<string, string>; baseMoney: string[]; deals: boolean; vocab: Record<string, string> };

export function useReportResult(definition: ReportDefinitionInput | null) {
  return useQuery({
    queryKey: ['reports', 'run', definition],
    queryFn: ({ signal }) => api<ReportResult>('/reports/run', { method: 'POST', body: definition, signal }),
    enabled: definition !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useReportFields(type: RecordType) {
  return useQuery({ queryKey: ['reports', 'fields', type], queryFn: () => api<ReportFields>(`/reports/fields/${type}`), staleTime: 5 * 60_000 });
}

export function useSavedReports() {
  return useQuery({ queryKey: ['reports', 'saved'], queryFn: async () => (await api<{ data: SavedReport[] }>('/reports')).data });
}

export function useSaveReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: { id?: string; version?: number; name: string; shared: boolean; definition: ReportDefinitionInput }) =>
      r.id
        ? api<SavedReport>(`/reports/${r.id}`, { method: 'PATCH', body: { name: r.name, shared: r.shared, definition: r.definition }, ifMatch: r.version })
        : api<SavedReport>('/reports', { method: 'POST', body: { name: r.name, shared: r.shared, definition: r.definition } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports', 'saved'] }),
  });
}

export function useDeleteReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: { id: string; version: number }) => api(`/reports/${r.id}`, { method: 'DELETE', ifMatch: r.version }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports', 'saved'] }),
  });
}
