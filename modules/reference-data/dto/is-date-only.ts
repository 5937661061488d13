import { registerDecorator, ValidationOptions } from 'class-validator';
import { isDateOnly } from '../domain/calendar-date';

/**
 * A real calendar date as `YYYY-MM-DD` (2026-02-30 fails). The constraint is named
 * `isDateOnly` so the problem document uses the catalogue's Chinese and English message.
 */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateOnly',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: { validate: (value: unknown) => typeof value === 'string' && isDateOnly(value) },
    });
}
