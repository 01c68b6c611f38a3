/** Message of an evaluation error as it goes into Azure's InvalidTemplate text. */
export function asExpressionErrorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
