/**
 * The `skip` of tests that need something this machine may lack (`missing` says what, or is false):
 * outside CI they skip with that reason; in CI (`CI=true`) a missing requirement is an error, so
 * no test can pass there by not running.
 */
export function skipUnlessCi(missing: string | false, environment: NodeJS.ProcessEnv = process.env): string | false {
  if (missing && environment.CI === 'true') throw new Error(`CI=true, where no test may skip: ${missing}`);
  return missing;
}
