// Is this a CI run? One answer for the doctest CLI and the tests.

/** Is the CI environment variable set (to anything but an empty string, 0 or false)? */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  const v = env['CI'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
