/*
 * Colours from the app's theme only (Backstage's `palette.status` and the error/warning/info backgrounds), so a
 * company or dark theme restyles the plugin. Text on a coloured background is black or white, whichever
 * contrasts more (always at least 4.5:1, WCAG AA).
 */
import '@backstage/theme';
import { getContrastRatio, Theme } from '@material-ui/core/styles';

/** Black or white text, whichever reads better on `background`. */
export function readableOn(theme: Theme, background: string): string {
  const { black, white } = theme.palette.common;
  return getContrastRatio(background, black) >=
    getContrastRatio(background, white)
    ? black
    : white;
}

/** A solid status colour with readable text. */
export function statusFill(
  theme: Theme,
  status: 'ok' | 'warning' | 'error' | 'running' | 'aborted',
) {
  const backgroundColor = theme.palette.status[status];
  return { backgroundColor, color: readableOn(theme, backgroundColor) };
}

/** Tinted cells and inline problem text: the theme's error/warning/info background with its text colour. */
export function tinted(theme: Theme, tone: 'error' | 'warning' | 'info') {
  const p = theme.palette;
  const pairs = {
    error: { backgroundColor: p.errorBackground, color: p.errorText },
    warning: { backgroundColor: p.warningBackground, color: p.warningText },
    info: { backgroundColor: p.infoBackground, color: p.infoText },
  };
  return pairs[tone];
}

/** Problem text inside normal text (a short tinted run, readable on light and dark paper). */
export function problemText(theme: Theme) {
  return {
    ...tinted(theme, 'error'),
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.borderRadius,
  };
}
