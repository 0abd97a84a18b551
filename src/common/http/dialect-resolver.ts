import type { AppConfig } from '#src/config/app-config.js';
import { DIALECTS } from '#src/dialects/index.js';
import type { DialectName } from '#src/dialects/dialect.js';

interface PrefixEntry {
  prefix: string;
  dialect: DialectName;
  caseInsensitive: boolean;
}

/**
 * Names the dialect of a request no route matched (unknown paths, bodies that failed to parse), by the longest
 * documented prefix it starts with. Shared paths resolve by length: `/user/login` is moretv's (a documented
 * path), `/user/profile` nuzzle's (its `/user` prefix).
 */
export class DialectResolver {
  private readonly entries: PrefixEntry[];
  private readonly mounts: Partial<Record<DialectName, string>>;

  constructor(config: Pick<AppConfig, 'dialects'>) {
    this.mounts = config.dialects.prefixes;
    this.entries = config.dialects.enabled
      .flatMap((name) =>
        DIALECTS[name].pathPrefixes.map((p) => ({
          prefix: `${config.dialects.prefixes[name]}${p}`,
          dialect: name,
          caseInsensitive: DIALECTS[name].caseInsensitivePaths ?? false,
        })),
      )
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Where a dialect is mounted (`DIALECT_PREFIX_<NAME>`, '' at the root): links a failure page builds start here. */
  mountOf(dialect: DialectName): string {
    return this.mounts[dialect] ?? '';
  }

  fromPath(path: string): DialectName | undefined {
    const lower = path.toLowerCase();
    for (const entry of this.entries) {
      const candidate = entry.caseInsensitive ? lower : path;
      const prefix = entry.caseInsensitive ? entry.prefix.toLowerCase() : entry.prefix;
      if (candidate === prefix || candidate.startsWith(`${prefix}/`)) return entry.dialect;
    }
    return undefined;
  }
}
