import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { Badge, Checkbox, MantineProvider, Text } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { leanBadge, leanCheckbox, leanText } from './lean.tsx';

/** The markup of one element rendered inside a MantineProvider (without the provider's style tags). */
function html(el: ReactElement): string {
  const out = renderToStaticMarkup(<MantineProvider theme={{ primaryColor: 'indigo' }}><div id="probe">{el}</div></MantineProvider>);
  return out.slice(out.indexOf('<div id="probe">') + '<div id="probe">'.length, out.lastIndexOf('</div>'));
}

describe('lean cells render what the Mantine components render', () => {
  it.each([
    ['plain', leanText('x'), <Text span size="sm">x</Text>],
    ['dimmed', leanText('—', { dimmed: true }), <Text span c="dimmed" size="sm">—</Text>],
    ['dimmed xs', leanText('—', { size: 'xs', dimmed: true }), <Text span size="xs" c="dimmed">—</Text>],
    ['monospace', leanText('$1', { monospace: true }), <Text span size="sm" ff="monospace">$1</Text>],
    ['truncated', leanText('Tony', { truncate: true }), <Text span size="sm" truncate>Tony</Text>],
    ['title', leanText('Acme', { block: true, fw: 600, truncate: true }), <Text size="sm" fw={600} truncate>Acme</Text>],
  ])('text: %s', (_name, lean, mantine) => {
    expect(html(lean)).toBe(html(mantine));
  });

  it.each([
    ['sm, no uppercase', leanBadge('Customer', 'green'), <Badge variant="light" size="sm" color="green" tt="none">Customer</Badge>],
    ['xs, uppercase', leanBadge('Fit 30', 'gray', { size: 'xs', upper: true }), <Badge variant="light" size="xs" color="gray">Fit 30</Badge>],
    ['with style and attributes', leanBadge('Win 40 %', 'yellow', { upper: true, style: { cursor: 'help' }, props: { 'data-testid': 'win-badge' } }),
      <Badge variant="light" size="sm" color="yellow" style={{ cursor: 'help' }} data-testid="win-badge">Win 40 %</Badge>],
  ])('badge: %s', (_name, lean, mantine) => {
    expect(html(lean)).toBe(html(mantine));
  });

  it.each([false, true])('checkbox, checked: %s', (checked) => {
    const noop = () => {};
    const mantine = html(<Checkbox size="xs" checked={checked} onChange={noop} aria-label="Select row" tabIndex={-1} />).replace(/ id="[^"]*"/, '');
    expect(html(leanCheckbox({ checked, onChange: noop, label: 'Select row', color: 'indigo' }))).toBe(mantine);
  });
});
