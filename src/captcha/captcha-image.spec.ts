import { describe, expect, it } from '@jest/globals';
import { captchaText, warpSvgPaths } from '#src/captcha/captcha-image.js';

describe(warpSvgPaths.name, () => {
  const svg =
    '<svg><path fill="#111" d="M10.5 20L30-4.25Q1 2 3 4C5 6,7 8,9 10Z"/><path d="M1 2 C3 4,5 6,7 8" stroke="#222"/></svg>';

  it('should move every point of every path, keeping the commands and the rest of the document', () => {
    const warped = warpSvgPaths(svg);
    const paths = [...warped.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(2);
    expect(paths[0].replace(/[^A-Za-z]/g, '')).toBe('MLQCZ');
    expect(paths[0].match(/-?\d+\.\d+/g)).toHaveLength(14);
    expect(paths[1].match(/-?\d+\.\d+/g)).toHaveLength(8);
    expect(paths[0]).not.toContain('10.50 20.00');
    expect(warped.replace(/ d="[^"]*"/g, '')).toBe(svg.replace(/ d="[^"]*"/g, ''));
  });

  it('should bend differently each time', () => {
    expect(warpSvgPaths(svg)).not.toBe(warpSvgPaths(svg));
  });
});

describe(captchaText.name, () => {
  it('should use only the unambiguous capitals and digits', () => {
    const text = Array.from({ length: 200 }, () => captchaText(5)).join('');
    expect(text).toMatch(/^[ACDEFGHKMNPRTWXY34679]+$/);
    expect(new Set(text).size).toBe(21);
  });
});
