/** Server state of the culture card (types from the zod contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { CountryCulture, CultureCountries, HomeCountry } from '../../../../src/features/culture/schemas.ts';

export type { CountryCulture, CultureCountries, HomeCountry };

// Reference data: the same for every organization and every session.
export const useCultureCountries = () =>
  useQuery({ queryKey: ['culture', 'countries'], queryFn: ({ signal }) => api<CultureCountries>('/culture/countries', { signal }), staleTime: Infinity });

export const useCountryCulture = (country: string | null, compare: string | null) =>
  useQuery({
    queryKey: ['culture', country, compare],
    queryFn: ({ signal }) => api<CountryCulture>(`/culture/countries/${country}`, { query: compare ? { compare } : {}, signal }),
    enabled: !!country,
    staleTime: Infinity,
  });

export const useHomeCountry = () => useQuery({ queryKey: ['culture', 'home'], queryFn: ({ signal }) => api<HomeCountry>('/culture/home', { signal }) });

export function useSetHomeCountry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ country, version }: { country: string | null; version: number }) => api<HomeCountry>('/culture/home', { method: 'PUT', body: { country }, ifMatch: version }),
    onSuccess: (r) => qc.setQueryData(['culture', 'home'], r),
    // A colleague's change (409) or not: show what the organization has now.
    onError: () => void qc.invalidateQueries({ queryKey: ['culture', 'home'] }),
  });
}
