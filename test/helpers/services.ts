/**
 * Suites that need a service the machine may lack (Redis, Chromium, nginx with RTMP, ffmpeg) skip without it and
 * say so. CI sets CONCORD_REQUIRE_SERVICES (comma-separated, or `all`) after making those services present; for a
 * required service a missing one is an error at import time, so the run fails instead of silently covering less.
 */
const required = new Set(
  (process.env.CONCORD_REQUIRE_SERVICES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export function isServiceRequired(service: string): boolean {
  return required.has('all') || required.has(service);
}

/** Call when `service` is missing: throws where it is required, else prints a loud warning naming what skips. */
export function reportMissingService(service: string, whatSkips: string, howToGet: string): void {
  const message = `${service} is not available: ${whatSkips}. ${howToGet}`;
  if (isServiceRequired(service)) {
    throw new Error(
      `${message} (CONCORD_REQUIRE_SERVICES names ${service}, so this is a failure, not a skip)`,
    );
  }
  console.warn(`\n*** SKIPPED *** ${message}\n`);
}
