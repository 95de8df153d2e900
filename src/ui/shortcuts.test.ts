/** Which key press is which shortcut: modifiers, typing in a field, auto-repeat. */
import { describe, expect, it } from 'vitest';
import { isMacPlatform, shortcut, shortcutOf, type KeyPress } from './shortcuts.ts';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  repeat: false,
  target: null,
  ...more,
});
const field = (tagName: string, type?: string) => ({ tagName, type }) as unknown as EventTarget;

describe('keyboard shortcuts', () => {
  it('runs with Ctrl or ⌘ + Enter, steps with Shift added, stops with Esc', () => {
    expect(shortcutOf(press('Enter', { ctrlKey: true }))).toBe('run');
    expect(shortcutOf(press('Enter', { metaKey: true }))).toBe('run');
    expect(shortcutOf(press('Enter', { ctrlKey: true, shiftKey: true }))).toBe('step');
    expect(shortcutOf(press('Escape'))).toBe('stop');
    // Plain Enter belongs to the focused control; Alt combinations to the system.
    expect(shortcutOf(press('Enter'))).toBeNull();
    expect(shortcutOf(press('Enter', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutOf(press('Escape', { shiftKey: true }))).toBeNull();
  });

  it('works from inside a field for the modified keys, but leaves ? to a field being typed in', () => {
    const textarea = field('TEXTAREA');
    expect(shortcutOf(press('Enter', { ctrlKey: true, target: textarea }))).toBe('run');
    expect(shortcutOf(press('Escape', { target: textarea }))).toBe('stop');
    expect(shortcutOf(press('?', { shiftKey: true, target: textarea }))).toBeNull();
    expect(shortcutOf(press('?', { shiftKey: true, target: field('INPUT', 'text') }))).toBeNull();
    expect(shortcutOf(press('?', { shiftKey: true, target: field('SELECT') }))).toBeNull();
    expect(shortcutOf(press('?', { shiftKey: true, target: field('INPUT', 'checkbox') }))).toBe(
      'help',
    );
    expect(shortcutOf(press('?', { shiftKey: true, target: field('BUTTON') }))).toBe('help');
    expect(shortcutOf(press('?', { shiftKey: true }))).toBe('help');
  });

  it('starts nothing twice for a held key', () => {
    expect(shortcutOf(press('Enter', { ctrlKey: true, repeat: true }))).toBeNull();
  });

  it('names the keys by platform', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(shortcut('step').keys(true)).toEqual(['⌘', 'Shift', 'Enter']);
    expect(shortcut('run').keys(false)).toEqual(['Ctrl', 'Enter']);
  });
});
