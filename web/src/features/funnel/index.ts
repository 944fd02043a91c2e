/** What other screens mount from the funnel feature (account page, dashboards). */
export { AlertsCard } from './AlertsCard.tsx';
export { ShareOfWalletChart } from './ShareOfWalletChart.tsx';
export { StatusTimeline } from './StatusTimeline.tsx';
export { AccountWalletByLine } from './WalletByLine.tsx';
