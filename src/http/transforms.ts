import { Transform } from 'class-transformer';

/**
 * White space and invisible characters trimmed at both ends: everything String.trim()
 * removes (incl. U+3000 and NBSP) plus zero-width space/joiners, word joiner, Mongolian
 * vowel separator and soft hyphen, which trim() keeps. A name of only such characters
 * becomes '' and fails @IsNotEmpty (issue 8 item 8).
 */
const EDGES = /^[\s\u200b-\u200d\u2060\u180e\u00ad\ufeff]+|[\s\u200b-\u200d\u2060\u180e\u00ad\ufeff]+$/g;

export function trimText(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(EDGES, '') : value;
}

/** Trims surrounding white space of a string field, or of each string of a list (Excel pastes love trailing spaces); other values pass. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(trimText) : trimText(value)));
