/** The default buying stages with their ranks, as loadContext reads them from the vocabulary (tests). */
export const STAGES = [
  { key: 'recognition_of_needs', rank: 1 },
  { key: 'evaluation_of_options', rank: 2 },
  { key: 'resolution_of_concerns', rank: 3 },
  { key: 'decision', rank: 4 },
  { key: 'implementation', rank: 5 },
];
