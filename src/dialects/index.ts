import type { AnyDialect, DialectName } from '#src/dialects/dialect.js';
import { moretv } from '#src/dialects/moretv.dialect.js';
import { mrpyq } from '#src/dialects/mrpyq.dialect.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';
import { nuzzle } from '#src/dialects/nuzzle.dialect.js';
import { xiaoma } from '#src/dialects/xiaoma.dialect.js';

export const DIALECTS: Record<DialectName, AnyDialect> = {
  nuzzle: nuzzle,
  moretv: moretv,
  mrpyq: mrpyq,
  nggirl: nggirl,
  xiaoma: xiaoma,
};
