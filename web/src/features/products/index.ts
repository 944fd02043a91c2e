/** What other screens embed: the deal's lines and quotes, an account's order lines. */
export { DealLinesPanel } from './DealLinesPanel.tsx';
export { AccountOrderLines } from './AccountOrderLines.tsx';
export { NS as PRODUCTS_NS } from './i18n.ts';
