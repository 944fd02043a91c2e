/** Server state of the culture card (types from the zod contract). */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { CountryCulture, CultureCountries } from '../../../../src/features/culture/schemas.ts';

export type { CountryCulture, CultureCountries };

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
