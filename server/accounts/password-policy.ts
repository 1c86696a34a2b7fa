// The password rules: at least 12 characters, not a common password (or one with digits stuck on), not a
// single repeated pattern, not the email address. Returns the first problem, named for the message catalogue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lib/paths.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'same_as_email';

let common: Set<string> | undefined;

/** The shipped list (common-passwords.txt), read once. */
export function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(projectRoot, 'server', 'accounts', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('# '))
      .map((line) => line.trim()),
  );
  return common;
}

function isCommon(lowered: string): boolean {
  const list = commonPasswords();
  if (list.has(lowered)) return true;
  // "password2024!" or "!!dragon123456" is as guessable as the word inside it.
  const core = lowered.replace(/^[\d\W_]+/u, '').replace(/[\d\W_]+$/u, '');
  if (core.length >= 3 && list.has(core)) return true;
  // One character or one short unit repeated: "aaaaaaaaaaaa", "abcabcabcabc", "123412341234".
  if (/^(.{1,4})\1+$/u.test(lowered)) return true;
  return false;
}

export function passwordProblem(password: string, context: { email?: string } = {}): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lowered = password.normalize('NFC').toLowerCase();
  const email = context.email?.trim().toLowerCase();
  if (email && (lowered === email || lowered === email.split('@')[0])) return 'same_as_email';
  if (isCommon(lowered)) return 'common';
  return undefined;
}

/** English messages for the API (pages show the catalogue's accounts.password.<problem> instead). */
export const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`,
  too_long: `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`,
  common: 'This password is too common and easy to guess; choose another one, for example a few unrelated words.',
  same_as_email: 'The password must not be your email address.',
};
