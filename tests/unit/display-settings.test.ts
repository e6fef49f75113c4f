import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, isDefault, parseSettings, serializeSettings, settingsCss } from '../../src/lib/display-settings';

const brand = { primary: '#1d4f73', primaryDark: '#14395a', accent: '#c2410c' };

describe('display settings cookie', () => {
  it('round-trips every choice', () => {
    const settings = { textSize: '150', theme: 'contrast', spacing: 'wide', motion: 'reduce' } as const;
    expect(parseSettings(serializeSettings(settings))).toEqual(settings);
  });

  it('falls back to the defaults for a missing, forged or partial cookie', () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('t999.c<script>.sx.m')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('t200')).toEqual({ ...DEFAULT_SETTINGS, textSize: '200' });
  });

  it('adds no CSS for the defaults, and the chosen rules otherwise', () => {
    expect(isDefault(DEFAULT_SETTINGS)).toBe(true);
    expect(settingsCss(DEFAULT_SETTINGS, brand)).toBe('');
    const css = settingsCss({ textSize: '200', theme: 'dark', spacing: 'wide', motion: 'reduce' }, brand);
    expect(css).toContain('font-size:200%');
    expect(css).toContain('--g-bg:#121417');
    expect(css).toContain('letter-spacing:.12em');
    expect(css).toContain('animation:none!important');
  });
});
