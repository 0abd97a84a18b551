import { sniffImage } from '#src/media/media.service.js';

export type UploadKind = 'image' | 'video';

export interface SniffedMedia {
  kind: UploadKind;
  /** The canonical type of what the bytes are. */
  contentType: string;
}

const IMAGE_TYPES = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' } as const;

/** What the first bytes of a file say it is; undefined for anything that is not an image or video we accept. */
export function sniffMedia(head: Buffer): SniffedMedia | undefined {
  const image = sniffImage(head);
  if (image) return { kind: 'image', contentType: IMAGE_TYPES[image] };
  // ISO base media (MP4, M4V, QuickTime): a box of type `ftyp` first; the brand tells them apart.
  if (head.length >= 12 && head.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = head.subarray(8, 12).toString('latin1');
    if (brand === 'qt  ') return { kind: 'video', contentType: 'video/quicktime' };
    if (brand.startsWith('M4V')) return { kind: 'video', contentType: 'video/x-m4v' };
    if (/^(heic|heix|mif1|msf1|avif)/.test(brand)) return undefined;
    return { kind: 'video', contentType: 'video/mp4' };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3)
    return { kind: 'video', contentType: 'video/webm' };
  return undefined;
}

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'video/x-m4v': 'video/mp4',
  'video/quicktime': 'video/mp4',
};

function canonical(type: string): string {
  const bare = type.split(';')[0].trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/**
 * Whether a declared Content-Type agrees with what the bytes are. MP4, M4V and QuickTime share one container
 * format and are declared interchangeably by phones, so they count as one.
 */
export function declaredTypeMatches(declared: string, sniffed: SniffedMedia): boolean {
  return canonical(declared) === canonical(sniffed.contentType);
}
