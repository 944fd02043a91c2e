/** Widths of a record list's columns. */

/**
 * A column wide enough for its header and for its longest badge (a vocabulary's or a fixed list's
 * label in this language): "Engineering contractor" is not cut to "Engineering co…". Estimated from
 * the characters (CJK about twice as wide as Latin), with the badge's and the cell's padding.
 */
export function columnWidth(base: number, header: string, badgeLabels: string[]): number {
  const chars = (s: string, latin: number, wide: number) => [...s].reduce((w, c) => w + (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(c) ? wide : latin), 0);
  const headerW = chars(header, 7.2, 12.5) + 20 + 16; // cell padding, sort icon
  const badgeW = badgeLabels.length ? Math.max(...badgeLabels.map((l) => chars(l, 6.4, 11))) + 16 + 20 + 4 : 0;
  return Math.min(Math.ceil(Math.max(base, headerW, badgeW)), 260);
}
