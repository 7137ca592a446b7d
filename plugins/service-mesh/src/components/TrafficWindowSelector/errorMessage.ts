/** The backend's own message for a ResponseError (its `cause`), else the error's message. */
export function errorMessage(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message
    ? cause.message
    : error.message;
}
