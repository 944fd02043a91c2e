/** What other screens mount from the goals feature. */
export { ExitCriteriaChecklist } from './ExitCriteriaChecklist.tsx';
