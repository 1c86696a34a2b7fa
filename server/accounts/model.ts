// Staff accounts. Respondents never have one: surveys are answered through links and tokens.
import mongoose, { Schema } from 'mongoose';
import { LANGUAGES, type Lang } from '../lib/i18n/index.js';
import { newId } from '../org/ids.js';
import { ROLES, type Role } from './actor.js';

export interface UserDoc {
  _id: string;
  email: string;
  name: string;
  role: Role;
  faculties: string[];
  programmes: string[];
  lang: Lang;
  /**
   * True once the person chose a language on their account page. Until then the browser's language (the one
   * the sign-in page was shown in) wins, and signing in records it as the account's language.
   */
  langChosen?: boolean;
  /** "scrypt$N$r$p$salt$hash" (password.ts); never leaves this module's services. */
  passwordHash: string;
  /** Raised by logout, a password change and disabling: every older session token stops working. */
  tokenVersion: number;
  disabled: boolean;
  mustChangePassword: boolean;
  lastActiveAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, default: () => newId('usr') },
    email: { type: String, required: true, lowercase: true, trim: true, unique: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    role: { type: String, enum: ROLES, required: true },
    faculties: { type: [String], default: [] },
    programmes: { type: [String], default: [] },
    lang: { type: String, enum: LANGUAGES, default: 'kk' },
    langChosen: { type: Boolean, default: false },
    passwordHash: { type: String, required: true },
    tokenVersion: { type: Number, default: 0 },
    disabled: { type: Boolean, default: false },
    mustChangePassword: { type: Boolean, default: false },
    lastActiveAt: { type: Date, default: null },
  },
  { collection: 'users', versionKey: false, timestamps: true },
);

export const User = mongoose.model<UserDoc>('User', userSchema);

/** What the API and the audit log may show about a user: no hash, no token version. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  faculties: string[];
  programmes: string[];
  lang: Lang;
  disabled: boolean;
  mustChangePassword: boolean;
  lastActiveAt: string | null;
}

export function toPublicUser(u: UserDoc): PublicUser {
  return {
    id: u._id,
    email: u.email,
    name: u.name,
    role: u.role,
    faculties: [...(u.faculties ?? [])],
    programmes: [...(u.programmes ?? [])],
    lang: u.lang,
    disabled: Boolean(u.disabled),
    mustChangePassword: Boolean(u.mustChangePassword),
    lastActiveAt: u.lastActiveAt ? new Date(u.lastActiveAt).toISOString() : null,
  };
}
