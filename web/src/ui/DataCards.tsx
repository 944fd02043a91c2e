/**
 * A record list on a phone: one card per record instead of a table squeezed to 390 px. The card's
 * title is the record's link, its badges (stage, status, kind…) sit under it, and a few more of the
 * list's columns follow with their labels. The page itself scrolls (no box in a box), only the
 * cards in view are rendered, and reaching the end asks for the next page — as the table does.
 * Sorting and selecting, which the table does in its header, have a bar of their own above the cards.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Box, Checkbox, Group, Loader, Select, Skeleton, Text, Tooltip, useMantineTheme } from '@mantine/core';
import { IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { leanCheckbox } from './lean.tsx';
import type { Column, DataTableProps } from './DataTable.tsx';

const CARD_ESTIMATE = 132;
const GAP = 8;
const OVERSCAN = 4;
/** Labelled fields under the title and badges: enough to tell records apart, few enough to scan. */
export const CARD_FIELDS = 4;
const CARD_BADGES = 3;

/** Which of the list's columns make the card: the title, its badges, its labelled fields (in the list's column order). */
export function cardLayout<T>(columns: Column<T>[]): { title: Column<T> | undefined; badges: Column<T>[]; fields: Column<T>[] } {
  const title = columns.find((c) => c.card === 'title') ?? columns[0];
  const rest = columns.filter((c) => c !== title && c.card !== 'hidden');
  return {
    title,
    badges: rest.filter((c) => c.card === 'badge').slice(0, CARD_BADGES),
    fields: rest.filter((c) => c.card !== 'badge').slice(0, CARD_FIELDS),
  };
}

type CardActions<T> = { open: (row: T) => void; hrefOf: (row: T) => string | undefined; toggle: (id: string) => void; focusCard: (index: number) => void; lastIndex: () => number };

export function DataCards<T extends { id: string }>({
  rows, columns, sort, onSort, selected, onSelect, onOpen, hrefOf, hasMore, loadMore, loadingMore, loading, total, empty, label,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLDivElement>(null);
  // Where the list starts on the page: the virtualizer counts the window's scroll from there.
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const top = (listRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    if (Math.abs(top - margin) > 1) setMargin(top);
  });
  const count = rows.length + (hasMore ? 1 : 0);
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => CARD_ESTIMATE,
    overscan: OVERSCAN,
    gap: GAP,
    scrollMargin: margin,
    getItemKey: (i) => rows[i]?.id ?? 'more',
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && hasMore && !loadingMore && last.index >= rows.length - 6) loadMore?.();
  }, [last, hasMore, loadingMore, rows.length, loadMore]);

  const layout = useMemo(() => cardLayout(columns), [columns]);
  const selectable = !!onSelect && !!selected;
  const allSelected = selectable && rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someSelected = selectable && !allSelected && rows.some((r) => selected.has(r.id));
  const sortField = sort?.replace(/^-/, '');
  const desc = sort?.startsWith('-') ?? false;
  const sortable = columns.filter((c) => c.sortKey);

  function toggle(id: string) {
    if (!selected || !onSelect) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  }

  function focusCard(index: number) {
    virtualizer.scrollToIndex(index);
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`)?.focus());
  }

  const latest = useRef({ onOpen, hrefOf, toggle, focusCard, rows });
  latest.current = { onOpen, hrefOf, toggle, focusCard, rows };
  const actions = useMemo<CardActions<T>>(() => ({
    open: (row) => latest.current.onOpen?.(row),
    hrefOf: (row) => latest.current.hrefOf?.(row),
    toggle: (id) => latest.current.toggle(id),
    focusCard: (index) => latest.current.focusCard(index),
    lastIndex: () => latest.current.rows.length - 1,
  }), []);
  const checkColor = useMantineTheme().primaryColor;
  const selectLabel = t('table.selectRow');

  return (
    <Box data-testid="data-cards">
      {(selectable || (onSort && sortable.length > 0)) && (
        <Group justify="space-between" gap="xs" wrap="nowrap" mb={GAP} data-testid="cards-toolbar">
          {selectable ? (
            <Checkbox
              size="sm"
              checked={allSelected}
              indeterminate={someSelected}
              onChange={() => onSelect!(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
              label={t('table.selectShown')}
              aria-label={t('table.selectAll')}
              style={{ minWidth: 0 }}
            />
          ) : <span />}
          {onSort && sortable.length > 0 && (
            <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
              <Select
                size="xs"
                w={150}
                aria-label={t('table.sort')}
                placeholder={t('table.sort')}
                data={sortable.map((c) => ({ value: c.sortKey!, label: c.header }))}
                value={sortField && sortable.some((c) => c.sortKey === sortField) ? sortField : null}
                onChange={(v) => v && v !== sortField && onSort(v)}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
                data-testid="cards-sort"
              />
              <Tooltip label={desc ? t('table.descending') : t('table.ascending')}>
                <ActionIcon
                  variant="default"
                  size="md"
                  disabled={!sortField}
                  onClick={() => sortField && onSort(sortField)}
                  aria-label={desc ? t('table.descending') : t('table.ascending')}
                  data-testid="cards-sort-direction"
                  data-direction={desc ? 'desc' : 'asc'}
                >
                  {desc ? <IconSortDescending size={16} /> : <IconSortAscending size={16} />}
                </ActionIcon>
              </Tooltip>
            </Group>
          )}
        </Group>
      )}
      <div ref={listRef} role="list" aria-label={label} data-total={total ?? rows.length}>
        {loading ? (
          Array.from({ length: 5 }, (_, i) => <Skeleton key={i} h={CARD_ESTIMATE - 20} mb={GAP} radius="md" />)
        ) : rows.length === 0 ? (
          empty
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((vi) => {
              const row = rows[vi.index];
              const top = vi.start - virtualizer.options.scrollMargin;
              if (!row) {
                return (
                  <Group key="more" data-index={vi.index} ref={virtualizer.measureElement} style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${top}px)` }} p="sm" gap="xs" justify="center">
                    <Loader size="xs" /> <Text size="xs" c="dimmed">{t('table.loadingMore')}</Text>
                  </Group>
                );
              }
              return (
                <DataCard
                  key={row.id}
                  row={row}
                  index={vi.index}
                  top={top}
                  measure={virtualizer.measureElement}
                  layout={layout}
                  selectable={selectable}
                  isSel={selected?.has(row.id) ?? false}
                  clickable={!!onOpen}
                  selectLabel={selectLabel}
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

type CardProps<T> = {
  row: T;
  index: number;
  top: number;
  measure: (el: Element | null) => void;
  layout: ReturnType<typeof cardLayout<T>>;
  selectable: boolean;
  isSel: boolean;
  clickable: boolean;
  selectLabel: string;
  checkColor: string;
  actions: CardActions<T>;
};

const DataCard = memo(function DataCard<T extends { id: string }>({ row, index, top, measure, layout, selectable, isSel, clickable, selectLabel, checkColor, actions }: CardProps<T>) {
  const href = actions.hrefOf(row);
  const title = layout.title?.render(row);
  const badges = layout.badges.filter((c) => !c.isEmpty?.(row));
  return (
    <div
      ref={measure}
      role="listitem"
      tabIndex={0}
      data-index={index}
      data-row-index={index}
      data-selected={isSel}
      className="accord-data-card"
      data-testid="data-card"
      onClick={() => actions.open(row)}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        if (e.key === 'Enter') actions.open(row);
        else if (e.key === ' ' && selectable) {
          e.preventDefault();
          actions.toggle(row.id);
        } else if (e.key === 'ArrowDown') {
          e.preventDefault();
          actions.focusCard(Math.min(index + 1, actions.lastIndex()));
        } else if (e.key === 'ArrowUp') {
          e.preventDefault();
          actions.focusCard(Math.max(index - 1, 0));
        }
      }}
      style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${top}px)`, cursor: clickable ? 'pointer' : 'default' }}
    >
      <div className="accord-data-card-head">
        {selectable && (
          // A finger-sized target around the box; a tap on it selects, never opens.
          <div className="accord-data-card-check" onClick={(e) => { e.stopPropagation(); actions.toggle(row.id); }}>
            <div onClick={(e) => e.stopPropagation()}>{leanCheckbox({ checked: isSel, onChange: () => actions.toggle(row.id), label: selectLabel, color: checkColor })}</div>
          </div>
        )}
        <div className="accord-data-card-title" data-testid="data-card-title">
          {href ? (
            <a href={href} className="accord-row-link" onClick={(e) => { if (!e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) e.preventDefault(); else e.stopPropagation(); }}>
              {title}
            </a>
          ) : title}
        </div>
      </div>
      {badges.length > 0 && (
        <div className="accord-data-card-badges">
          {badges.map((c) => <span key={c.key} title={c.header}>{c.render(row)}</span>)}
        </div>
      )}
      {layout.fields.length > 0 && (
        <dl className="accord-data-card-fields">
          {layout.fields.map((c) => (
            <div key={c.key} data-field={c.key}>
              <dt>{c.header}</dt>
              <dd>{c.render(row)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}) as <T extends { id: string }>(props: CardProps<T>) => ReactNode;
