import { Transform } from 'class-transformer';

/** Trims surrounding white space of a string field (Excel pastes love trailing spaces); other values pass. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
