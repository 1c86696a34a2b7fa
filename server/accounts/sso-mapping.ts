// How an identity provider's claims become a Pikir account (OIDC_MAPPING): which claims hold the e-mail and
// the name, which claim values grant which role, and which claims name the faculties and programmes of the
// scope. Pure: the mapping and the claims in, what they say out; the sign-in service (sso-service.ts)
// turns faculty and programme codes into units and creates or updates the account.
import { z } from 'zod';
import { ROLES, type Role } from './actor.js';

/** A claim's name; a name with dots that is not itself a claim is read as a path ("realm_access.roles"). */
const claimName = z.string().min(1).max(200);
const values = z.array(z.string().min(1).max(200)).min(1).max(200);

const mappingSchema = z
  .strictObject({
    claims: z
      .strictObject({
        email: claimName.default('email'),
        name: claimName.default('name'),
        /** The claim whose values grant roles (e.g. "groups", "roles", "realm_access.roles"). */
        roles: claimName.optional(),
        /** Claims whose values are faculty codes and programme codes (the scope of councils, leaders, viewers). */
        faculties: claimName.optional(),
        programmes: claimName.optional(),
      })
      .prefault({}),
    /** Role → the claim values that grant it; the highest role granted wins (admin, council, programme leader, viewer). */
    roles: z.partialRecord(z.enum(ROLES), values).default({}),
  })
  .refine((m) => Boolean(m.claims.roles) === Object.keys(m.roles).length > 0, { message: 'must name claims.roles and the values of roles together (or neither: then only existing accounts sign in, with the role Pikir gives them)' });

export type SsoMapping = z.infer<typeof mappingSchema>;

/** The mapping, or a message saying what is wrong with it. */
export function parseSsoMapping(json: unknown): SsoMapping | string {
  const parsed = mappingSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return `${issue.message}${where}`;
}

/** A claim's value by name, or by dotted path when no claim has that exact name. */
export function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A claim as a list of strings: one string, or a list (anything else in it is left out). */
export function claimList(claims: Record<string, unknown>, name: string | undefined): string[] {
  if (!name) return [];
  const value = claimValue(claims, name);
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String).slice(0, 500);
}

export interface SsoClaims {
  email: string | undefined;
  name: string | undefined;
  /** undefined: the provider does not manage roles (mapping without claims.roles); null: it grants none. */
  role: Role | null | undefined;
  faculties: string[];
  programmes: string[];
}

/** What the claims say about the person, read through the mapping. */
export function readSsoClaims(mapping: SsoMapping, claims: Record<string, unknown>): SsoClaims {
  const email = claimValue(claims, mapping.claims.email);
  const name = claimValue(claims, mapping.claims.name);
  let role: Role | null | undefined;
  if (mapping.claims.roles) {
    const granted = new Set(claimList(claims, mapping.claims.roles));
    role = ROLES.find((r) => (mapping.roles[r] ?? []).some((v) => granted.has(v))) ?? null;
  }
  return {
    email: typeof email === 'string' && email.includes('@') ? email.trim().toLowerCase() : undefined,
    name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : undefined,
    role,
    faculties: claimList(claims, mapping.claims.faculties),
    programmes: claimList(claims, mapping.claims.programmes),
  };
}
