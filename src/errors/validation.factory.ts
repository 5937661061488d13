import { ValidationError } from 'class-validator';
import { AppException, FieldError } from './app.exception';
import { CommonErrors } from './common.errors';

/**
 * class-validator hands us only its English sentence; the numbers and lists our own
 * Chinese and English messages need are read back out of it.
 */
function paramsFromDefaultMessage(constraint: string, message: string): Record<string, unknown> {
  const numbers = message.match(/-?\d+(\.\d+)?/g) ?? [];
  switch (constraint) {
    case 'maxLength':
    case 'max':
    case 'arrayMaxSize':
      return { max: numbers[0] };
    case 'minLength':
    case 'min':
    case 'arrayMinSize':
      return { min: numbers[0] };
    case 'length':
      return { min: numbers[0], max: numbers[1] };
    case 'isIn':
    case 'isEnum': {
      const list = message.split(/following values:\s*/)[1];
      return { values: list ?? '' };
    }
    default:
      return {};
  }
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [constraint, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field, constraint, params: paramsFromDefaultMessage(constraint, message.replace(e.property, '')) });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** ValidationPipe exceptionFactory: one AppException carrying every field error. */
export function validationExceptionFactory(errors: ValidationError[]): AppException {
  return new AppException(CommonErrors.VALIDATION_FAILED, {}, flatten(errors));
}
