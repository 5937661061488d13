/**
 * The code unit (`modules/<name>` or `src/<name>`) a declaration was written in, read from
 * the call stack. The OpenAPI document uses it to pair a controller with the error
 * catalogue(s) of its own module without a hand-kept mapping (see src/http/openapi/).
 */
const UNIT = /[\\/](modules|src)[\\/]([^\\/]+)[\\/]/;

export function unitOfFile(file: string | undefined | null): string | undefined {
  const m = file ? UNIT.exec(file) : null;
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** The unit of the first stack frame outside the files named in `skip` (the helpers themselves). */
export function callerUnit(skip: string[]): string | undefined {
  const original = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.prepareStackTrace = (_, callSites) => callSites;
    Error.captureStackTrace(holder, callerUnit);
    const sites = (holder.stack as NodeJS.CallSite[] | undefined) ?? [];
    for (const site of sites) {
      const file = site.getFileName();
      if (!file || file.startsWith('node:') || skip.some((s) => file.includes(s))) continue;
      if (/node_modules/.test(file)) continue;
      return unitOfFile(file);
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}
