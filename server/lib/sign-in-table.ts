// The sign-ins created at start (the first admin, the demo's staff), printed once to the console as a short
// plain-text table after "Pikir is ready" — not as JSON log lines, where passwords do not belong.
export interface SignIn {
  role: string;
  /** What the account may see, in a few words ("Faculty of Information Technology"). */
  scope: string;
  email: string;
  /** A one-time password (changed at first sign-in), or a note where the password was given (ADMIN_PASSWORD). */
  password: string;
}

/** The table as lines of text; empty when nothing was created. */
export function signInTable(signIns: readonly SignIn[], loginUrl: string): string {
  if (!signIns.length) return '';
  const head: SignIn = { role: 'Role', scope: 'Sees', email: 'Email', password: 'Password' };
  const rows = [head, ...signIns];
  const width = (key: keyof SignIn) => Math.max(...rows.map((r) => r[key].length));
  const line = (r: SignIn) => `  ${r.role.padEnd(width('role'))}  ${r.scope.padEnd(width('scope'))}  ${r.email.padEnd(width('email'))}  ${r.password}`.trimEnd();
  const rule = `  ${'-'.repeat(width('role'))}  ${'-'.repeat(width('scope'))}  ${'-'.repeat(width('email'))}  ${'-'.repeat(width('password'))}`;
  return [
    '',
    `  Sign in at ${loginUrl} with:`,
    '',
    line(head),
    rule,
    ...signIns.map(line),
    '',
    '  One-time passwords are shown only now: each account chooses its own at first sign-in.',
    '',
  ].join('\n');
}
