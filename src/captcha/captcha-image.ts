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
  },
) => string;

/**
 * Capitals and digits that cannot be mistaken for one another in this font (no 0/O/Q, 1/I/J/L, 2/Z, 5/S, 8/B, U/V):
 * five of them make about four million answers.
 */
const ALPHABET = 'ACDEFGHKMNPRTWXY34679';

export const CAPTCHA_WIDTH = 150;
export const CAPTCHA_HEIGHT = 50;
const BACKGROUND = '#f4f6f8';

/** CSPRNG text (svg-captcha's own generator uses Math.random, whose state can be recovered from its outputs). */
export function captchaText(length: number): string {
  let text = '';
  // Capitals only: answers are compared case-insensitively, so mixed case would add no entropy, only misreadings.
  for (let i = 0; i < length; i++) text += ALPHABET[randomInt(ALPHABET.length)];
  return text;
}

/** A random number in [min, max) from the CSPRNG, in thousandths. */
function between(min: number, max: number): number {
  return min + (randomInt(0, 1000) / 1000) * (max - min);
}

/**
 * Bends every path of the image (glyphs and noise curves alike) along two sine waves of random phase and period:
 * the baseline wobbles and strokes shear differently along the text, so no two images of one text match. Done on
 * the path coordinates rather than with an SVG filter (feTurbulence/feDisplacementMap), which costs librsvg three
 * times the whole rasterization.
 */
export function warpSvgPaths(svg: string): string {
  const ax = between(1.5, 3);
  const px = between(35, 60);
  const phaseX = between(0, 2 * Math.PI);
  const ay = between(3, 5);
  const py = between(70, 130);
  const phaseY = between(0, 2 * Math.PI);
  const warp = (x: number, y: number): string =>
    `${(x + ax * Math.sin((2 * Math.PI * y) / px + phaseX)).toFixed(2)} ${(
      y +
      ay * Math.sin((2 * Math.PI * x) / py + phaseY)
    ).toFixed(2)}`;
  // svg-captcha's paths (opentype.js output and its noise curves) use absolute M, L, Q, C and Z only, so the
  // numbers of each path come in (x, y) pairs.
  return svg.replace(/ d="([^"]*)"/g, (_match, d: string) => {
    const out: string[] = [];
    let x: number | undefined;
    for (const token of d.match(/[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/g) ?? []) {
      if (/^[A-Za-z]$/.test(token)) {
        out.push(token);
      } else if (x === undefined) {
        x = Number(token);
      } else {
        out.push(warp(x, Number(token)));
        x = undefined;
      }
    }
    return ` d="${out.join(' ')}"`;
  });
}

/** The captcha as PNG: svg-captcha's jittered glyph paths and noise curves, warped, flattened onto the background. */
export async function captchaPng(text: string): Promise<Buffer> {
  const svg = renderSvg(text, {
    width: CAPTCHA_WIDTH,
    height: CAPTCHA_HEIGHT,
    fontSize: 52,
    noise: 4,
    // Dark grey glyphs over lighter grey curves: svg-captcha's colours (forced on with a background) draw some
    // characters too pale to read against the page; the background comes from `flatten` instead.
    color: false,
  });
  return sharp(Buffer.from(warpSvgPaths(svg)))
    .flatten({ background: BACKGROUND })
    .png()
    .toBuffer();
}
