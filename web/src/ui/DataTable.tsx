import { memo, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Box, Checkbox, Group, Loader, Skeleton, Text, UnstyledButton, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { leanCheckbox } from './lean.tsx';
import { DataCards } from './DataCards.tsx';

export type Column<T> = {
  key: string; header: string; width: number; render: (row: T) => ReactNode; sortKey?: string;
  /** Its part on a phone's card: the title (else the first column), a badge under it, or left out; by default a labelled field. */
  card?: 'title' | 'badge' | 'hidden';
  /** Whether the row has no value here: a card shows no empty badge. */
  isEmpty?: (row: T) => boolean;
};

/** Phones: lists become cards (DataCards.tsx). */
export const PHONE_QUERY = '(max-width: 600px)';

export type DataTableProps<T> = {
  rows: T[];
  columns: Column<T>[];
  sort?: string;
  onSort?: (key: string) => void;
  selected?: Set<string>;
  onSelect?: (ids: Set<string>) => void;
  onOpen?: (row: T) => void;
  /** Where a row leads: its first cell becomes a real link (open in a new tab, copy the address), the row still opens on click. */
  hrefOf?: (row: T) => string;
  hasMore?: boolean;
  loadMore?: () => void;
  loadingMore?: boolean;
  loading?: boolean;
  total?: number;
  height?: string | number;
  empty?: ReactNode;
  label: string;
};

const ROW_H = 40;
const CHECK_W = 44;
const DEFAULT_HEIGHT_OFFSET = 230;
// Rows rendered beyond the visible ones, for scrolling without blank rows. Each costs render time
// before the first rows can appear, so only a few.
const OVERSCAN = 6;

/** The scroll area's height before it is measured, so the first render already has the right rows. */
function estimateHeight(height: string | number): number {
  if (typeof height === 'number') return height;
  if (typeof window === 'undefined') return 600;
  return height === `calc(100vh - ${DEFAULT_HEIGHT_OFFSET}px)` ? Math.max(window.innerHeight - DEFAULT_HEIGHT_OFFSET, ROW_H) : window.innerHeight;
}

type RowActions<T> = { open: (row: T) => void; hrefOf: (row: T) => string | undefined; toggle: (id: string) => void; focusRow: (index: number) => void; lastIndex: () => number };

/**
 * A record list: a table on a laptop, cards on a phone (the same props, the same paging, sorting and
 * selection). Read at the first render, so a phone never draws the table first.
 */
export function DataTable<T extends { id: string }>(props: DataTableProps<T>) {
  const phone = useMediaQuery(PHONE_QUERY, undefined, { getInitialValueInEffect: false });
  return phone ? <DataCards {...props} /> : <DataGrid {...props} />;
}

/**
 * A dense, virtualized table: only the rows in view are rendered, so 100k-row lists scroll
 * smoothly; reaching the end asks for the next server page. Rows are keyboard-navigable
 * (↑/↓ move, Enter opens, Space selects).
 */
function DataGrid<T extends { id: string }>({
  rows, columns, sort, onSort, selected, onSelect, onOpen, hrefOf, hasMore, loadMore, loadingMore, loading, total, height = `calc(100vh - ${DEFAULT_HEIGHT_OFFSET}px)`, empty, label,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const parentRef = useRef<HTMLDivElement>(null);
  const count = rows.length + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_H,
    overscan: OVERSCAN,
    initialRect: { width: 0, height: estimateHeight(height) },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && hasMore && !loadingMore && last.index >= rows.length - 10) loadMore?.();
  }, [last, hasMore, loadingMore, rows.length, loadMore]);

  const selectable = !!onSelect && !!selected;
  const width = columns.reduce((s, c) => s + c.width, 0) + (selectable ? CHECK_W : 0);
  const allSelected = selectable && rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someSelected = selectable && !allSelected && rows.some((r) => selected.has(r.id));
  const sortField = sort?.replace(/^-/, '');
  const desc = sort?.startsWith('-');

  function toggle(id: string) {
    if (!selected || !onSelect) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  }

  function focusRow(index: number) {
    virtualizer.scrollToIndex(index);
    requestAnimationFrame(() => parentRef.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`)?.focus());
  }

  // Rows are memoized: they get stable actions that call the latest handlers, so a parent re-render
  // (another query arriving, a header click) does not re-render every visible row.
  const latest = useRef({ onOpen, hrefOf, toggle, focusRow, rows });
  latest.current = { onOpen, hrefOf, toggle, focusRow, rows };
  const actions = useMemo<RowActions<T>>(() => ({
    open: (row) => latest.current.onOpen?.(row),
    hrefOf: (row) => latest.current.hrefOf?.(row),
    toggle: (id) => latest.current.toggle(id),
    focusRow: (index) => latest.current.focusRow(index),
    lastIndex: () => latest.current.rows.length - 1,
  }), []);
  const selectRowLabel = t('table.selectRow');
  const checkColor = useMantineTheme().primaryColor;

  return (
    <Box
      ref={parentRef}
      style={{ height, overflow: 'auto', background: 'white', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, position: 'relative' }}
      role="table"
      aria-label={label}
      aria-rowcount={total ?? rows.length}
      data-testid="data-table"
    >
      <div style={{ width: Math.max(width, 100), minWidth: '100%' }}>
        <div role="row" className="accord-head" style={{ display: 'flex', height: 36 }}>
          {selectable && (
            <div className="accord-cell" style={{ width: CHECK_W, flex: 'none' }} role="columnheader">
              <Checkbox
                size="xs"
                checked={allSelected}
                indeterminate={someSelected}
                onChange={() => onSelect!(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                aria-label={t('table.selectAll')}
              />
            </div>
          )}
          {columns.map((c) => {
            const active = c.sortKey && sortField === c.sortKey;
            return (
              <div
                key={c.key}
                role="columnheader"
                aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}
                className="accord-cell"
                style={{ width: c.width, flex: c.width ? 'none' : 1 }}
              >
                {c.sortKey && onSort ? (
                  <UnstyledButton onClick={() => onSort(c.sortKey!)} style={{ fontSize: 12, fontWeight: 600, color: 'inherit' }} aria-label={t('table.sortBy', { field: c.header })}>
                    <Group gap={2} wrap="nowrap">
                      <span>{c.header}</span>
                      {active ? (desc ? <IconArrowDown size={12} /> : <IconArrowUp size={12} />) : <IconSelector size={12} opacity={0.4} />}
                    </Group>
                  </UnstyledButton>
                ) : (
                  c.header
                )}
              </div>
            );
          })}
        </div>
        {loading ? (
          <Box p="sm">{Array.from({ length: 10 }, (_, i) => <Skeleton key={i} h={28} mb={8} />)}</Box>
        ) : rows.length === 0 ? (
          empty
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((vi) => {
              const row = rows[vi.index];
              if (!row) {
                return (
                  <Group key="more" style={{ position: 'absolute', top: 0, transform: `translateY(${vi.start}px)`, height: ROW_H }} px="md" gap="xs">
                    <Loader size="xs" /> <Text size="xs" c="dimmed">{t('table.loadingMore')}</Text>
                  </Group>
                );
              }
              return (
                <DataRow
                  key={row.id}
                  row={row}
                  index={vi.index}
                  start={vi.start}
                  columns={columns}
                  selectable={selectable}
                  isSel={selected?.has(row.id) ?? false}
                  clickable={!!onOpen}
                  selectLabel={selectRowLabel}
                  checkColor={checkColor}
                  actions={actions}
                />
              );
            })}
          </div>
        )}
      </div>
    </Box>
  );
}

const DataRow = memo(function DataRow<T extends { id: string }>({ row, index, start, columns, selectable, isSel, clickable, selectLabel, checkColor, actions }: {
  row: T;
  index: number;
  start: number;
  columns: Column<T>[];
  selectable: boolean;
  isSel: boolean;
  clickable: boolean;
  selectLabel: string;
  /** The theme's primary color, for the row checkbox. */
  checkColor: string;
  actions: RowActions<T>;
}) {
  return (
    <div
      role="row"
      tabIndex={0}
      data-row-index={index}
      data-selected={isSel}
      aria-selected={selectable ? isSel : undefined}
      className="accord-row"
      onClick={() => actions.open(row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') actions.open(row);
        else if (e.key === ' ' && selectable) {
          e.preventDefault();
          actions.toggle(row.id);
        } else if (e.key === 'ArrowDown') {
          e.preventDefault();
          actions.focusRow(Math.min(index + 1, actions.lastIndex()));
        } else if (e.key === 'ArrowUp') {
          e.preventDefault();
          actions.focusRow(Math.max(index - 1, 0));
        }
      }}
      style={{
        position: 'absolute', top: 0, left: 0, width: '100%', height: ROW_H, transform: `translateY(${start}px)`,
        display: 'flex', borderBottom: '1px solid var(--mantine-color-gray-2)', cursor: clickable ? 'pointer' : 'default', fontSize: 14,
      }}
    >
      {selectable && (
        <div className="accord-cell" style={{ width: CHECK_W, flex: 'none' }} role="cell" onClick={(e) => e.stopPropagation()}>
          {leanCheckbox({ checked: isSel, onChange: () => actions.toggle(row.id), label: selectLabel, color: checkColor })}
        </div>
      )}
      {columns.map((c, i) => {
        const href = i === 0 ? actions.hrefOf(row) : undefined;
        return (
          <div key={c.key} role="cell" className="accord-cell" style={{ width: c.width, flex: 'none' }}>
            {href ? (
              // A plain click is the row's (the app navigates); a modified or middle click is the browser's.
              <a href={href} className="accord-row-link" onClick={(e) => { if (!e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) e.preventDefault(); else e.stopPropagation(); }}>
                {c.render(row)}
              </a>
            ) : c.render(row)}
          </div>
        );
      })}
    </div>
  );
}) as <T extends { id: string }>(props: {
  row: T; index: number; start: number; columns: Column<T>[]; selectable: boolean; isSel: boolean; clickable: boolean; selectLabel: string; checkColor: string; actions: RowActions<T>;
}) => ReactNode;
