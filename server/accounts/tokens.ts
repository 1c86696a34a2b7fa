// Session tokens: a JWT pinned to HS256 on both sign and verify, valid 8 hours, naming the user (sub) and
// the user's tokenVersion (ver) so that logout, a password change or disabling ends every older session.
import jwt from 'jsonwebtoken';

export const SESSION_TTL_SECONDS = 8 * 60 * 60;
export const TOKEN_ISSUER = 'pikir';
export const TOKEN_AUDIENCE = 'pikir-web';

export interface SessionClaims {
  sub: string;
  ver: number;
}

export function signSessionToken(claims: SessionClaims, secret: string): string {
  return jwt.sign({ ver: claims.ver }, secret, {
    algorithm: 'HS256',
    expiresIn: SESSION_TTL_SECONDS,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    subject: claims.sub,
  });
}

/** The claims of a valid token, or null for anything else (bad signature, other algorithm, expired, …). */
export function verifySessionToken(token: string, secret: string): SessionClaims | null {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
    if (typeof payload !== 'object' || payload === null) return null;
    const { sub, ver, exp, iat } = payload;
    if (typeof sub !== 'string' || !sub || typeof ver !== 'number' || !Number.isInteger(ver) || typeof exp !== 'number') return null;
    // A token that claims a longer life than we ever issue was not made by us.
    if (typeof iat !== 'number' || exp - iat > SESSION_TTL_SECONDS) return null;
    return { sub, ver };
  } catch {
    return null;
  }
}
