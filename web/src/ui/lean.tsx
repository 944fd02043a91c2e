/**
 * Mantine's Text, Badge and Checkbox markup without the component machinery, for places that render hundreds
 * of them at once (table cells). A Mantine component costs several hooks (theme, props, styles, Box
 * style-prop extraction) per instance; a list page shows ~30 rows × 10 cells, and that cost was most
 * of the time between the list's data arriving and its first row appearing. The markup and CSS
 * variables are Mantine's own (its public `Component.classes`), so the cells look the same;
 * lean.test.tsx checks the output against the real components.
 */
import type { CSSProperties, ReactNode } from 'react';
import { Badge, Checkbox, Text } from '@mantine/core';

type Size = 'xs' | 'sm' | 'md';

const TEXT_CLASS = `mantine-focus-auto ${Text.classes.root} mantine-Text-root`;
const BADGE_CLASS = `${Badge.classes.root} mantine-Badge-root`;
const BADGE_LABEL_CLASS = `${Badge.classes.label} mantine-Badge-label`;
// Checkbox's root also carries the class of Mantine's internal InlineInput, which is not exported;
// lean.test.tsx fails if a Mantine upgrade changes it.
const INLINE_INPUT_CLASS = 'm_bf2d988c';
const CHECKBOX_ROOT_CLASS = `${INLINE_INPUT_CLASS} mantine-Checkbox-root ${Checkbox.classes.root} mantine-Checkbox-root`;
const CHECK_PATH = 'M4 4.586L1.707 2.293A1 1 0 1 0 .293 3.707l3 3a.997.997 0 0 0 1.414 0l5-5A1 1 0 1 0 8.293.293L4 4.586z';

const textVars: Record<Size, CSSProperties> = {
  xs: { '--text-fz': 'var(--mantine-font-size-xs)', '--text-lh': 'var(--mantine-line-height-xs)' } as CSSProperties,
  sm: { '--text-fz': 'var(--mantine-font-size-sm)', '--text-lh': 'var(--mantine-line-height-sm)' } as CSSProperties,
  md: { '--text-fz': 'var(--mantine-font-size-md)', '--text-lh': 'var(--mantine-line-height-md)' } as CSSProperties,
};

export type LeanTextOptions = { size?: Size; truncate?: boolean; dimmed?: boolean; monospace?: boolean; fw?: number; block?: boolean };

/** What `<Text span size="sm" …>` renders (or `<Text …>`, a paragraph, with `block`). */
export function leanText(children: ReactNode, { size = 'sm', truncate, dimmed, monospace, fw, block }: LeanTextOptions = {}) {
  const style: CSSProperties = { ...textVars[size] };
  if (dimmed) style.color = 'var(--mantine-color-dimmed)';
  if (monospace) style.fontFamily = 'var(--mantine-font-family-monospace)';
  if (fw !== undefined) style.fontWeight = fw;
  const Tag = block ? 'p' : 'span';
  return (
    <Tag style={style} className={TEXT_CLASS} data-size={size} data-truncate={truncate ? 'end' : undefined}>
      {children}
    </Tag>
  );
}

export type LeanBadgeOptions = { size?: Size; upper?: boolean; style?: CSSProperties; props?: Record<string, unknown> };

/** What `<Badge variant="light" color={color} size="sm" tt="none">` renders (`upper` keeps Mantine's uppercase). */
export function leanBadge(children: ReactNode, color: string, { size = 'sm', upper = false, style, props }: LeanBadgeOptions = {}) {
  const vars = {
    '--badge-height': `var(--badge-height-${size})`,
    '--badge-padding-x': `var(--badge-padding-x-${size})`,
    '--badge-fz': `var(--badge-fz-${size})`,
    '--badge-bg': `var(--mantine-color-${color}-light)`,
    '--badge-color': `var(--mantine-color-${color}-light-color)`,
    '--badge-bd': 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
  } as CSSProperties;
  return (
    <div style={{ ...vars, ...(upper ? null : { textTransform: 'none' }), ...style }} className={BADGE_CLASS} data-variant="light" data-size={size} {...props}>
      <span className={BADGE_LABEL_CLASS}>{children}</span>
    </div>
  );
}

/**
 * What `<Checkbox size="xs" checked={checked} onChange={…} aria-label={label} tabIndex={-1} />`
 * renders (without a label, so without the id that would tie one to it). `color` is the theme's
 * primary color. One per table row.
 */
export function leanCheckbox({ checked, onChange, label, color }: { checked: boolean; onChange: () => void; label: string; color: string }) {
  const vars = {
    '--checkbox-size': 'var(--checkbox-size-xs)',
    '--checkbox-radius': 'var(--mantine-radius-sm)',
    '--checkbox-color': `var(--mantine-color-${color}-filled)`,
    '--label-fz': 'var(--mantine-font-size-xs)',
    '--label-lh': 'var(--label-lh-xs)',
  } as CSSProperties;
  return (
    <div style={vars} className={CHECKBOX_ROOT_CLASS} data-variant="filled" data-size="xs" data-label-position="right" data-checked={checked || undefined}>
      <div className={`${Checkbox.classes.body} mantine-Checkbox-body`}>
        <div className={`${Checkbox.classes.inner} mantine-Checkbox-inner`} data-label-position="right">
          <input className={`mantine-focus-auto ${Checkbox.classes.input} mantine-Checkbox-input`} data-with-error-styles="true" aria-label={label} tabIndex={-1} type="checkbox" checked={checked} onChange={onChange} />
          <svg viewBox="0 0 10 7" fill="none" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" className={`${Checkbox.classes.icon} mantine-Checkbox-icon`}>
            <path d={CHECK_PATH} fill="currentColor" fillRule="evenodd" clipRule="evenodd" />
          </svg>
        </div>
        <div className={`${Checkbox.classes.labelWrapper} mantine-Checkbox-labelWrapper`} />
      </div>
    </div>
  );
}
