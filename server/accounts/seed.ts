// First start: when there is no user at all, create the admin. With ADMIN_EMAIL/ADMIN_PASSWORD that account
// is ready to use; otherwise a one-time password is printed ONCE on the console (never to the JSON log)
// and must be changed at first sign-in. At start-up the caller prints it in the sign-in table instead
// (bootstrap.ts); `print` is the box for anyone else. With local passwords turned off (single sign-on only) the
// account has no password: its holder signs in through the identity provider with ADMIN_EMAIL.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { recordAudit } from '../audit/service.js';
import { SYSTEM_ACTOR } from './actor.js';
import { User } from './model.js';
import { generateOneTimePassword, hashPassword } from './password.js';
import { passwordProblem } from './password-policy.js';
import { NO_PASSWORD } from './service.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@pikir.local';

export interface SeedResult {
  created: boolean;
  email?: string;
  /** Generated (no ADMIN_PASSWORD): shown once, never stored in clear. */
  oneTimePassword?: string;
}

export async function ensureAdmin(config: Pick<Config, 'adminEmail' | 'adminPassword'> & Partial<Pick<Config, 'localPasswords'>>, logger: Logger, print: (line: string) => void = console.log): Promise<SeedResult> {
  await User.init(); // the unique email index must exist before two processes could race here
  if (await User.exists({})) return { created: false };
  const email = (config.adminEmail ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  if (config.localPasswords === false) return ssoAdmin(email, logger, print);
  const given = config.adminPassword;
  const problem = given ? passwordProblem(given, { email }) : undefined;
  if (given && problem) logger.warn({ problem }, 'ADMIN_PASSWORD breaks the password rules; it works once and must be changed at first sign-in');
  const password = given ?? generateOneTimePassword();
  try {
    const user = await User.create({
      email,
      name: 'Administrator',
      role: 'admin',
      lang: 'kk',
      passwordHash: await hashPassword(password),
      mustChangePassword: !given || Boolean(problem),
    });
    await recordAudit(SYSTEM_ACTOR, { action: 'create', entity: 'users', entityId: user._id, after: { email, role: 'admin' } });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { created: false }; // another process was first
    throw err;
  }
  logger.info({ email }, 'created the first admin account');
  if (!given) {
    print(
      [
        '',
        '  Pikir: the first admin account was created.',
        `    email:              ${email}`,
        `    one-time password:  ${password}`,
        '  It is shown only this once; you will choose a new password at first sign-in.',
        '',
      ].join('\n'),
    );
  }
  return { created: true, email, ...(given ? {} : { oneTimePassword: password }) };
}

/** The first admin when staff sign in through single sign-on only: no password, matched by e-mail. */
async function ssoAdmin(email: string, logger: Logger, print: (line: string) => void): Promise<SeedResult> {
  try {
    const user = await User.create({ email, name: 'Administrator', role: 'admin', lang: 'kk', passwordHash: NO_PASSWORD, mustChangePassword: false });
    await recordAudit(SYSTEM_ACTOR, { action: 'create', entity: 'users', entityId: user._id, after: { email, role: 'admin' } });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return { created: false };
    throw err;
  }
  logger.info({ email }, 'created the first admin account (single sign-on)');
  print(['', '  Pikir: the first admin account was created.', `    email:  ${email}`, '  Passwords are turned off: sign in through the university\u2019s single sign-on with this address.', ''].join('\n'));
  return { created: true, email };
}
