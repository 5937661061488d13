import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { unsafeTextReason } from './request-hygiene';
import { AppException } from '../errors/app.exception';
import { defineErrors } from '../errors/error-catalog';

export const PaginationErrors = defineErrors('PAGINATION', {
  BAD_CURSOR: { status: 400, zh: '分页游标无效', en: 'The page cursor is not valid' },
});

export const MAX_PAGE_SIZE = 200;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, description: '每页条数（1–200）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: '上一页返回的 nextCursor（不透明字符串）' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset cursor: the sort key values of the last row, opaque to the client. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(values) || values.length !== arity) throw new Error('arity');
    // a forged cursor may carry U+0000, lone surrogates or 1e400: refused here, never sent to SQL (issue 8 item 5)
    const fine = (v: unknown) => (typeof v === 'string' && !unsafeTextReason(v)) || (typeof v === 'number' && Number.isSafeInteger(v));
    if (!values.every(fine)) throw new Error('type');
    return values;
  } catch {
    throw new AppException(PaginationErrors.BAD_CURSOR);
  }
}

/** Fetch limit+1 rows; this trims and builds the next cursor from the last row kept. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => (string | number)[], map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: kept.map(map),
    nextCursor: hasMore ? encodeCursor(keyOf(kept[kept.length - 1])) : null,
  };
}
