import { Type } from 'class-transformer';
import { IsObject, ValidateNested, ValidationOptions } from 'class-validator';

type ClassRef = () => new (...args: never[]) => object;

/**
 * A nested object validated by its class. class-validator's `@ValidateNested` alone walks
 * into arrays as well, so `field: []` (or `[[]]` for a list) passed as "an object with no
 * errors" and was saved (issue 8 item 6). Each of these also checks that the value (or
 * every item) is a plain object. A meta-test fails on a bare `@ValidateNested`.
 */
export function NestedObject(type: ClassRef, options: ValidationOptions = {}): PropertyDecorator {
  return (target, key) => {
    IsObject(options)(target, key);
    ValidateNested(options)(target, key);
    Type(type)(target, key);
  };
}

/** A list of nested objects: every item must be an object of the class (no arrays, strings or nulls). */
export function NestedObjects(type: ClassRef, options: ValidationOptions = {}): PropertyDecorator {
  return NestedObject(type, { ...options, each: true });
}
