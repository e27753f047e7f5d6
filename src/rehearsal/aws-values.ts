/** Small helpers the simulated worlds share (kept apart so world.ts and dms-world.ts do not import each other). */

/** An error as Step Functions names it (`Route53.ThrottlingException`), for Retry and Catch to match. */
export function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
