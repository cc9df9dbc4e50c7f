/** The keys of the renderer's tab strips and segmented radio groups (controls/ChoiceStrip.tsx). */
import { describe, expect, it } from 'vitest';
import { choiceKeyTarget } from '../../../renderer/src/controls/ChoiceStrip';

describe('choiceKeyTarget', () => {
  it('moves right and left, wrapping at both ends', () => {
    expect(choiceKeyTarget('ArrowRight', 0, 3)).toBe(1);
    expect(choiceKeyTarget('ArrowRight', 2, 3)).toBe(0);
    expect(choiceKeyTarget('ArrowLeft', 0, 3)).toBe(2);
    expect(choiceKeyTarget('ArrowLeft', 2, 3)).toBe(1);
  });
  it('Home and End go to the first and last', () => {
    expect(choiceKeyTarget('Home', 2, 4)).toBe(0);
    expect(choiceKeyTarget('End', 0, 4)).toBe(3);
  });
  it('leaves every other key alone', () => {
    for (const k of ['ArrowUp', 'ArrowDown', 'Enter', ' ', 'Tab', 'a']) expect(choiceKeyTarget(k, 1, 3)).toBeNull();
  });
});
