/** Server state of the product, price-list, deal-line and quote screens (types from the zod contract). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../app/api.ts';
import type { Product, Quote } from '../../../../src/features/products/schemas.ts';

export type { Product, Quote };
export type PriceList = { id: string; version: number; name: string; currency: string; validFrom: string; validTo: string | null; isDefault: boolean; itemCount: number };
export type PriceItem = { id: string; productId: string; productCode: string; productName: string; minQuantity: string; unitPrice: string };
export type Line = {
  id: string; position: number; productId: string; productCode: string; productName: string; nameI18n: Record<string, string>; unit: string; lifecycle: string;
  description: string | null; quantity: string; listPrice: string | null; unitPrice: string; discountPct: string; discountReason: string | null; lineTotal: string; priceListId: string | null;
};
export type DealLines = { version: number; currency: string | null; fxRate: string | null; amount: string | null; amountBase: string | null; lines: Line[] };
export type OrderLines = { version: number; currency: string; amount: string; amountBase: string; lines: Line[] };
export type Usage = {
  accounts: { accountId: string; accountName: string; orders: number; quantity: string; amount: string; currency: string }[];
  openDeals: { opportunityId: string; name: string; accountName: string; quantity: string; lineTotal: string; currency: string | null }[];
  ordersByMonth: { month: string; quantity: string; amount: string; currency: string }[];
};
export type AccountLine = Line & { orderId: string; orderNumber: string | null; orderedAt: string; currency: string };

export const useProducts = (q: Record<string, string> = {}) =>
  useQuery({ queryKey: ['products', 'list', q], queryFn: ({ signal }) => api<Page<Product>>('/products', { query: { limit: 500, count: true, ...q }, signal }) });
export const useProduct = (id: string | undefined) =>
  useQuery({ queryKey: ['products', id], queryFn: ({ signal }) => api<Product>(`/products/${id}`, { signal }), enabled: !!id });
export const useUsage = (id: string | undefined) =>
  useQuery({ queryKey: ['products', id, 'usage'], queryFn: ({ signal }) => api<Usage>(`/products/${id}/usage`, { signal }), enabled: !!id });
export const usePriceLists = () =>
  useQuery({ queryKey: ['price-lists', 'list'], queryFn: ({ signal }) => api<Page<PriceList>>('/price-lists', { query: { limit: 200 }, signal }) });
export const usePriceItems = (id: string | null) =>
  useQuery({ queryKey: ['price-lists', id, 'items'], queryFn: ({ signal }) => api<{ version: number; items: PriceItem[] }>(`/price-lists/${id}/items`, { signal }), enabled: !!id });
export const useDealLines = (id: string) =>
  useQuery({ queryKey: ['opportunities', id, 'lines'], queryFn: ({ signal }) => api<DealLines>(`/opportunities/${id}/lines`, { signal }) });
export const useQuotes = (opportunityId: string) =>
  useQuery({ queryKey: ['quotes', opportunityId], queryFn: ({ signal }) => api<{ data: Quote[] }>('/quotes', { query: { opportunityId }, signal }) });
export const useAccountLines = (accountId: string) =>
  useQuery({ queryKey: ['accounts', accountId, 'order-lines'], queryFn: ({ signal }) => api<{ data: AccountLine[] }>(`/accounts/${accountId}/order-lines`, { signal }) });
export const usePrice = (productId: string | null, currency: string | null, quantity: string) =>
  useQuery({
    queryKey: ['prices', productId, currency, quantity],
    queryFn: ({ signal }) => api<{ price: { priceListId: string; minQuantity: string; unitPrice: string } | null }>('/prices', { query: { productId: productId!, currency: currency!, quantity }, signal }),
    enabled: !!productId && !!currency && /^\d{1,11}(\.\d{1,3})?$/.test(quantity) && Number(quantity) > 0,
    staleTime: 60_000,
  });

/** Invalidates everything a line or quote change moves: the deal (amount, version), its lines, quotes, orders. */
export function useInvalidateDeal(opportunityId: string) {
  const qc = useQueryClient();
  return () => Promise.all([
    qc.invalidateQueries({ queryKey: ['opportunities', opportunityId] }),
    qc.invalidateQueries({ queryKey: ['quotes', opportunityId] }),
    qc.invalidateQueries({ queryKey: ['orders'] }),
    qc.invalidateQueries({ queryKey: ['accounts'] }),
  ]);
}

export const useSaveProduct = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; version?: number; body: Record<string, unknown> }) =>
      v.id ? api<Product>(`/products/${v.id}`, { method: 'PATCH', body: v.body, ifMatch: v.version }) : api<Product>('/products', { method: 'POST', body: v.body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['products'] }),
  });
};
