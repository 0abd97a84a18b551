import { randomInt } from 'node:crypto';
import sharp from 'sharp';
import svgCaptcha from 'svg-captcha';

/**
 * svg-captcha's renderer for a given text (its default export; the published types only declare `create`, which
 * draws the text with Math.random). Glyphs come out as paths from the font bundled with the package, so
 * rasterizing needs no system font.
 */
const renderSvg = svgCaptcha as unknown as (
  text: string,
  options: {
    width: number;
    height: number;
    fontSize: number;
    noise: number;
    color: boolean;
    background: string;
  },
) => string;

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 9/g/q, u/v). */
const ALPHABET = 'ACDEFGHJKMNPRTWXY34679';

export const CAPTCHA_WIDTH = 150;
export const CAPTCHA_HEIGHT = 50;
const BACKGROUND = '#f4f6f8';

/** CSPRNG text (svg-captcha's own generator uses Math.random, whose state can be recovered from its outputs). */
export function captchaText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const c = ALPHABET[randomInt(ALPHABET.length)];
    // Drawn in either case; answers are compared case-insensitively.
    text += randomInt(2) === 0 ? c : c.toLowerCase();
  }
  return text;
}

/**
 * The captcha as PNG: svg-captcha's jittered glyph paths and noise curves, then a turbulence displacement over the
 * whole image (a fresh seed each time) that bends strokes and curves together, flattened onto the background.
 */
export async function captchaPng(text: string): Promise<Buffer> {
  const svg = renderSvg(text, {
    width: CAPTCHA_WIDTH,
    height: CAPTCHA_HEIGHT,
    fontSize: 52,
    noise: 4,
    color: true,
    background: BACKGROUND,
  });
  const seed = randomInt(1, 10_000);
  const frequency = (0.02 + randomInt(0, 20) / 1000).toFixed(3);
  const distorted = svg
    .replace(
      /(<svg[^>]*>)/,
      `$1<defs><filter id="warp" x="-5%" y="-5%" width="110%" height="110%">` +
        `<feTurbulence type="fractalNoise" baseFrequency="${frequency} 0.09" numOctaves="2" seed="${seed}"/>` +
        `<feDisplacementMap in="SourceGraphic" scale="7" xChannelSelector="R" yChannelSelector="G"/>` +
        `</filter></defs><g filter="url(#warp)">`,
    )
    .replace(/<\/svg>$/, '</g></svg>');
  return sharp(Buffer.from(distorted)).flatten({ background: BACKGROUND }).png().toBuffer();
}
