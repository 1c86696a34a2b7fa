// Staff single sign-on with OpenID Connect (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): the
// authorization code flow with PKCE, through openid-client (certified relying party). openid-client checks the
// ID token (signature from the provider's keys, issuer, audience = our client id, expiry, nonce) and the
// response's state; this module keeps the state and verifier on our side:
//  - the browser holds only the state, in a short-lived httpOnly cookie: a callback is accepted only in the
//    browser that started it (no signing someone in as the attacker through a link);
//  - the verifier, nonce and "next" page live in a pending-login document keyed by the state's hash, deleted
//    when the callback uses it (a delete is exact under concurrency): a replayed callback finds nothing.
import { timingSafeEqual } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import * as oidc from 'openid-client';
import type { Logger } from 'pino';
import type { OidcConfig } from '../config.js';
import { AppError } from '../lib/errors.js';
import { sha256 } from '../lib/ids.js';

/** A sign-in has this long between leaving for the provider and coming back. */
export const PENDING_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;

interface PendingDoc {
  _id: string;
  verifier: string;
  nonce: string;
  next: string;
  createdAt: Date;
}

export const PendingSignIn = mongoose.model<PendingDoc>(
  'PendingSignIn',
  new Schema<PendingDoc>({ _id: String, verifier: { type: String, required: true }, nonce: { type: String, required: true }, next: { type: String, required: true }, createdAt: { type: Date, required: true } }, { versionKey: false }),
  'sso_pending',
);

export type SsoProblem = 'state' | 'failed' | 'unavailable' | 'no_email' | 'no_account' | 'no_role' | 'no_scope' | 'unverified';

const MESSAGES: Record<SsoProblem, string> = {
  state: 'This sign-in has expired or was already used. Start again from the sign-in page.',
  failed: 'The university’s sign-in service did not confirm who you are. Start again from the sign-in page.',
  unavailable: 'The university’s sign-in service cannot be reached just now. Try again in a few minutes.',
  no_email: 'The university’s sign-in service did not give your e-mail address; ask the IT service to release it to Pikir.',
  no_account: 'There is no Pikir account for your e-mail address. Ask the quality assurance department for one.',
  no_role: 'Your university account has no Pikir role. Ask the quality assurance department for access.',
  no_scope: 'Your university account names no faculty or programme known to Pikir for your role. Ask the quality assurance department.',
  unverified: 'The university’s sign-in service says your e-mail address is not verified.',
};

export const ssoError = (problem: SsoProblem) => new AppError(problem === 'unavailable' ? 503 : problem === 'state' ? 400 : 403, `sso_${problem}`, MESSAGES[problem]);

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export class SsoClient {
  private discovered: Promise<oidc.Configuration> | undefined;
  private lastSweep = 0;
  readonly redirectUri: string;

  constructor(
    readonly settings: OidcConfig,
    baseUrl: string,
    private readonly logger: Logger,
  ) {
    this.redirectUri = `${baseUrl}/login/sso/callback`;
  }

  /** The provider's metadata, discovered once (again after a failure, so a provider that was down is found later). */
  private configuration(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    // Plain http only for a provider on this machine (development and tests); anything else must be https.
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    this.discovered ??= oidc.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined).catch((err: unknown) => {
      this.discovered = undefined;
      this.logger.warn({ err: describe(err) }, 'OpenID provider discovery failed');
      throw ssoError('unavailable');
    });
    return this.discovered;
  }

  /** Starts a sign-in: the provider's authorization URL, and the state for the browser's cookie. */
  async begin(next: string): Promise<{ url: string; state: string }> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await PendingSignIn.create({ _id: sha256(`sso-state:${state}`), verifier, nonce, next, createdAt: new Date() });
    this.sweep();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Finishes a sign-in from the callback URL (as the browser reached it at BASE_URL) and the state the
   * browser's cookie holds: the person's claims (ID token, completed by the UserInfo endpoint) and where to go.
   */
  async finish(callbackUrl: URL, cookieState: string | undefined): Promise<{ claims: Record<string, unknown>; issuer: string; next: string }> {
    const state = callbackUrl.searchParams.get('state');
    if (!state || !cookieState || !sameText(state, cookieState)) throw ssoError('state');
    const pending = await PendingSignIn.findOneAndDelete({ _id: sha256(`sso-state:${state}`) }).lean<PendingDoc>();
    if (!pending || Date.now() - new Date(pending.createdAt).getTime() > PENDING_MS) throw ssoError('state');
    const config = await this.configuration();
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true });
      const idClaims = tokens.claims();
      if (!idClaims) throw ssoError('failed');
      let claims: Record<string, unknown> = { ...idClaims };
      if (config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        // The ID token's own claims win: they are the ones signed for us.
        claims = { ...info, ...idClaims };
      }
      return { claims, issuer: config.serverMetadata().issuer, next: pending.next };
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.logger.warn({ err: describe(err) }, 'single sign-on refused');
      throw ssoError('failed');
    }
  }

  /** Pending sign-ins nobody came back for: a small collection, swept at most once an hour. */
  private sweep(): void {
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    PendingSignIn.deleteMany({ createdAt: mongoose.trusted({ $lt: new Date(Date.now() - PENDING_MS) }) }).catch((err: unknown) => this.logger.warn({ err }, 'sweeping pending sign-ins failed'));
  }
}

/** What may be logged of an OpenID failure: its kind and message (never tokens, codes or claims). */
function describe(err: unknown): { name?: string; code?: string; message?: string } {
  if (!(err instanceof Error)) return {};
  return { name: err.name, code: (err as { code?: string }).code, message: err.message.slice(0, 300) };
}
