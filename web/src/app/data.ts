/** Shared reference data every screen needs: vocabularies, users, custom field definitions. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCallback } from 'react';
import { api } from './api.ts';
import { DEFAULT_VOCABULARIES, type Vocabulary } from '../../../src/features/vocabularies/defaults.ts';
import type { CustomFieldDef } from '../features/entities.ts';

export type VocabTerm = { key: string; label: Record<string, string>; position?: number; active?: boolean; meta?: Record<string, unknown> };
export type Vocabularies = Record<string, VocabTerm[]>;

const fallbackVocab: Vocabularies = Object.fromEntries(
  Object.entries(DEFAULT_VOCABULARIES).map(([k, terms]) => [k, terms.map((t, i) => ({ ...t, position: i, active: true }))]),
);

export function useVocabularies() {
  return useQuery({
    queryKey: ['vocabularies'],
    queryFn: async () => {
      const res = await api<{ data: Vocabularies }>('/vocabularies');
      return { ...fallbackVocab, ...res.data };
    },
    staleTime: 5 * 60_000,
    placeholderData: fallbackVocab,
  });
}

/** Label a vocabulary key in the current language (falls back to English, then the key). */
export function useVocabLabel() {
  const { data } = useVocabularies();
  const { i18n } = useTranslation();
  return useCallback(
    (vocab: Vocabulary | string, key: unknown): string => {
      if (key === null || key === undefined || key === '') return '';
      const term = (data ?? fallbackVocab)[vocab]?.find((t) => t.key === key);
      if (!term) return String(key);
      return term.label[i18n.language] ?? term.label.en ?? String(key);
    },
    [data, i18n.language],
  );
}

export function useVocabOptions(vocab: Vocabulary | undefined, includeInactive = false) {
  const { data } = useVocabularies();
  const { i18n } = useTranslation();
  if (!vocab) return [];
  return [...((data ?? fallbackVocab)[vocab] ?? [])]
    .filter((t) => includeInactive || t.active !== false)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((t) => ({ value: t.key, label: t.label[i18n.language] ?? t.label.en ?? t.key }));
}

export type UserSummary = { id: string; name: string; email: string | null; role: string; department?: string | null; team?: string | null; active?: boolean; locale?: string | null; version?: number };

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => (await api<{ data: UserSummary[] }>('/users', { query: { limit: 500 } })).data,
    staleTime: 5 * 60_000,
  });
}

export function useUserName() {
  const { data } = useUsers();
  return useCallback((id: unknown) => (id ? data?.find((u) => u.id === id)?.name ?? '' : ''), [data]);
}

/** The custom fields of an entity; none (and no request) for null — an import entity without custom fields — or when not enabled. */
export function useCustomFields(entity: string | null, enabled = true) {
  return useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: async () => (await api<{ data: CustomFieldDef[] }>('/custom-fields', { query: { entity: entity! } })).data,
    staleTime: 5 * 60_000,
    retry: false,
    enabled: enabled && entity !== null,
  });
}

export function customLabel(label: Record<string, string> | string | undefined, lang: string, fallback: string): string {
  if (!label) return fallback;
  if (typeof label === 'string') return label;
  return label[lang] ?? label.en ?? fallback;
}
