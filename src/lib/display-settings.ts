/**
 * Display settings (text size, colours, spacing, motion), kept in a cookie so that they
 * work without JavaScript and apply from the first paint: every page links
 * `/affichage.css`, which the server renders from the cookie.
 */

export const SETTINGS_COOKIE = 'guichet_affichage';
export const TEXT_SIZES = ['100', '125', '150', '200'] as const;
export const THEMES = ['auto', 'light', 'dark', 'contrast'] as const;
export const SPACINGS = ['normal', 'wide'] as const;
export const MOTIONS = ['auto', 'reduce'] as const;

export interface DisplaySettings {
  textSize: (typeof TEXT_SIZES)[number];
  theme: (typeof THEMES)[number];
  spacing: (typeof SPACINGS)[number];
  motion: (typeof MOTIONS)[number];
}

/** The choices of each setting, in the order the settings page offers them. */
export const SETTING_OPTIONS: { [K in keyof DisplaySettings]: readonly DisplaySettings[K][] } = {
  textSize: TEXT_SIZES,
  theme: THEMES,
  spacing: SPACINGS,
  motion: MOTIONS,
};

export const DEFAULT_SETTINGS: DisplaySettings = { textSize: '100', theme: 'auto', spacing: 'normal', motion: 'auto' };

const pick = <T extends string>(allowed: readonly T[], value: string | undefined, fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** Reads the cookie value; anything unknown falls back to the default, never an error. */
export function parseSettings(raw: string | undefined): DisplaySettings {
  const parts = new Map((raw ?? '').split('.').map((part) => [part.slice(0, 1), part.slice(1)] as const));
  return {
    textSize: pick(TEXT_SIZES, parts.get('t'), DEFAULT_SETTINGS.textSize),
    theme: pick(THEMES, parts.get('c'), DEFAULT_SETTINGS.theme),
    spacing: pick(SPACINGS, parts.get('s'), DEFAULT_SETTINGS.spacing),
    motion: pick(MOTIONS, parts.get('m'), DEFAULT_SETTINGS.motion),
  };
}

export function serializeSettings(settings: DisplaySettings): string {
  return `t${settings.textSize}.c${settings.theme}.s${settings.spacing}.m${settings.motion}`;
}

export function isDefault(settings: DisplaySettings): boolean {
  return serializeSettings(settings) === serializeSettings(DEFAULT_SETTINGS);
}

export interface Palette {
  bg: string;
  surface: string;
  text: string;
  muted: string;
  link: string;
  border: string;
  focus: string;
  focusText: string;
  primary: string;
  onPrimary: string;
  /** The page header: the brand's colour in light; in dark, a dark blue (the primary is pale there). */
  headerBg: string;
  headerText: string;
  accent: string;
  success: string;
  error: string;
}

export interface BrandColors {
  primary: string;
  primaryDark: string;
  accent: string;
}

export function palettes(brand: BrandColors): Record<'light' | 'dark' | 'contrast', Palette> {
  return {
    light: {
      bg: '#ffffff',
      surface: '#f3f4f6',
      text: '#1a1a1a',
      muted: '#4b5563',
      link: brand.primaryDark,
      border: '#6b7280',
      focus: '#ffbf47',
      focusText: '#000000',
      primary: brand.primary,
      onPrimary: '#ffffff',
      headerBg: brand.primary,
      headerText: '#ffffff',
      accent: brand.accent,
      success: '#05652f',
      error: '#b3261e',
    },
    dark: {
      bg: '#121417',
      surface: '#1f2328',
      text: '#f2f2f2',
      muted: '#c4c9d0',
      link: '#9ecbff',
      border: '#9aa1ab',
      focus: '#ffbf47',
      focusText: '#000000',
      primary: '#9ecbff',
      onPrimary: '#0b1b2b',
      headerBg: '#0b2540',
      headerText: '#f2f2f2',
      accent: '#ffd37a',
      success: '#7ee2a8',
      error: '#ffb4ab',
    },
    contrast: {
      bg: '#000000',
      surface: '#000000',
      text: '#ffffff',
      muted: '#ffffff',
      link: '#ffff00',
      border: '#ffffff',
      focus: '#ffff00',
      focusText: '#000000',
      primary: '#ffff00',
      onPrimary: '#000000',
      headerBg: '#000000',
      headerText: '#ffff00',
      accent: '#00ffff',
      success: '#00ff00',
      error: '#ff8080',
    },
  };
}

const cssVariables = (palette: Palette) =>
  Object.entries(palette)
    .map(([name, value]) => `--g-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${value}`)
    .join(';');

/** The theme every page carries inline: light by default, dark when the device asks for it. */
export function baseThemeCss(brand: BrandColors): string {
  const p = palettes(brand);
  return `:root{${cssVariables(p.light)};color-scheme:light dark}@media (prefers-color-scheme:dark){:root{${cssVariables(p.dark)}}}`;
}

/**
 * The stylesheet that applies a visitor's choices. It is unlayered and repeats `:root` so
 * that it wins over the site's layered styles and over the device's colour preference.
 */
export function settingsCss(settings: DisplaySettings, brand: BrandColors): string {
  const rules: string[] = [];
  if (settings.textSize !== '100') rules.push(`html:root{font-size:${settings.textSize}%}`);
  if (settings.theme !== 'auto') {
    const scheme = settings.theme === 'light' ? 'light' : 'dark';
    rules.push(`html:root{${cssVariables(palettes(brand)[settings.theme])};color-scheme:${scheme}}`);
  }
  if (settings.spacing === 'wide') {
    // WCAG 1.4.12 text spacing values.
    rules.push('html:root{--g-line-height:1.8;--g-paragraph-gap:2em}body{letter-spacing:.12em;word-spacing:.16em}');
  }
  if (settings.motion === 'reduce') {
    rules.push('*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}');
  }
  return rules.join('\n');
}
