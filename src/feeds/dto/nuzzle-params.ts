import { Transform } from 'class-transformer';
import { Matches, ValidateBy } from 'class-validator';
import { isBigintId } from '#src/common/database/bigint-id.js';

/**
 * Parameters arrive as text from query strings and forms and as JSON values from JSON bodies. These accept both
 * spellings of one value and leave anything else as it came, so the validator refuses it (PARAM_ERROR).
 */
export function BooleanParam(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value;
  });
}

/** An integer as digits (`"10"`, or `"10.0"` since the document calls price a float), or a JSON number. */
export function IntegerParam(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*-?\d{1,16}(\.0+)?\s*$/.test(value) ? Number(value) : value,
  );
}

/** An empty text parameter means absent (clients send `maxId=` for the first page). */
export function EmptyAsAbsent(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));
}

/** A decimal id a bigint column can hold. */
export function IsBigintIdParam(): PropertyDecorator {
  return ValidateBy({
    name: 'isBigintId',
    validator: { validate: (value: unknown) => typeof value === 'string' && isBigintId(value) },
  });
}

/** Text people type: no control characters but tab and line breaks (a NUL would not even reach the database). */
export function PlainText(): PropertyDecorator {
  // eslint-disable-next-line no-control-regex
  return Matches(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u);
}
