/**
 * A local server binary that cannot be found or built. Its message is one line naming what is
 * missing and how to provide it, so a failing test or demo says exactly what to fix.
 */
export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';
}
