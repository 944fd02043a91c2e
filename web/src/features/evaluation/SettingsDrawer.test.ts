import { describe, expect, it } from 'vitest';
import { settingsChange } from './SettingsDrawer.tsx';

const read = {
  attractivenessThreshold: 50, relationshipThreshold: 50,
  'attractivenessWeights.fit': 60, 'attractivenessWeights.potential': 25, 'attractivenessWeights.profitability': 15,
  'relationshipWeights.shareOfWallet': 50, 'relationshipWeights.supplierStatus': 30, 'relationshipWeights.engagement': 20,
  'tierCuts.a': 80, 'tierCuts.b': 50, minWon: 30, minLost: 30, engagementDays: 180,
};

describe('settingsChange', () => {
  it('sends only what changed: an axis with all its weights, tier cuts as fractions', () => {
    expect(settingsChange(read, read)).toEqual({});
    expect(settingsChange(read, { ...read, relationshipThreshold: 70, 'attractivenessWeights.fit': 50, 'tierCuts.b': 40 })).toEqual({
      relationshipThreshold: 70,
      attractivenessWeights: { fit: 50, potential: 25, profitability: 15 },
      tierCuts: { b: 0.4 },
    });
  });
});
