import { describe, expect, it } from 'vitest';
import { cursorKey } from './charts/useChartCursor';
import { rovingTarget } from './useRovingFocus';

describe('chart cursor keys', () => {
  it('starts at either end, steps, clamps, hides on Escape, ignores other keys', () => {
    expect(cursorKey('ArrowRight', null, 5)).toBe(0);
    expect(cursorKey('ArrowLeft', null, 5)).toBe(4);
    expect(cursorKey('ArrowRight', 2, 5)).toBe(3);
    expect(cursorKey('ArrowRight', 4, 5)).toBe(4);
    expect(cursorKey('ArrowLeft', 0, 5)).toBe(0);
    expect(cursorKey('Home', 3, 5)).toBe(0);
    expect(cursorKey('End', 0, 5)).toBe(4);
    expect(cursorKey('Escape', 3, 5)).toBeNull();
    expect(cursorKey('Enter', 3, 5)).toBeUndefined();
    expect(cursorKey('ArrowRight', null, 0)).toBeUndefined();
  });
});

describe('roving focus keys', () => {
  it('moves through a list by one and by pages, clamped', () => {
    expect(rovingTarget('ArrowDown', 2, 500, 1, 5)).toBe(3);
    expect(rovingTarget('ArrowUp', 0, 500, 1, 5)).toBe(0);
    expect(rovingTarget('PageDown', 2, 500, 1, 5)).toBe(7);
    expect(rovingTarget('PageUp', 2, 500, 1, 5)).toBe(0);
    expect(rovingTarget('End', 2, 500, 1, 5)).toBe(499);
    expect(rovingTarget('Home', 42, 500, 1, 5)).toBe(0);
    // in a list, left / right belong to the focused control, not the list
    expect(rovingTarget('ArrowRight', 2, 500, 1, 5)).toBeUndefined();
    expect(rovingTarget('ArrowDown', 0, 0, 1, 5)).toBeUndefined();
  });
  it('moves through a grid by card and by row', () => {
    expect(rovingTarget('ArrowRight', 2, 10, 4, 2)).toBe(3);
    expect(rovingTarget('ArrowLeft', 2, 10, 4, 2)).toBe(1);
    expect(rovingTarget('ArrowDown', 2, 10, 4, 2)).toBe(6);
    expect(rovingTarget('ArrowDown', 7, 10, 4, 2)).toBe(9);
    expect(rovingTarget('ArrowUp', 6, 10, 4, 2)).toBe(2);
    expect(rovingTarget('PageDown', 0, 10, 4, 2)).toBe(8);
  });
});
