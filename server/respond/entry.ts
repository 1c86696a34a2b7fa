// How a respondent came in: an open link (/s/<link>) or a single-use token (/t/<token>). Resolves the
// campaign, its pinned definition and the segment choices, reading by _id only.
import { findCampaign, findCampaignByLink } from '../campaigns/service.js';
import { effectiveStatus, type CampaignDoc } from '../campaigns/model.js';
import { usesBlindCredentials } from '../campaigns/blind.js';
import { lookupToken, Token, tokenHash, type TokenDoc } from '../campaigns/tokens.js';
import { segmentChoice, type SegmentChoice } from '../campaigns/audience.js';
import { orgView } from '../campaigns/org-view.js';
import { getPublishedDefinition } from '../instruments/service.js';
import type { Definition } from '../instruments/schema.js';
import { normaliseToken, TOKEN_PATTERN } from '../lib/ids.js';
import { AppError, notFound } from '../lib/errors.js';

export interface Entry {
  campaign: CampaignDoc;
  definition: Definition;
  choice: SegmentChoice;
  /** Base path of this respondent's pages: /s/<link> or /t/<token>. */
  base: string;
  /** The campaign takes blind credentials: answers go through /s/<link>, the token only gets the credential. */
  blind: boolean;
  token?: string;
  tokenState?: 'unused' | 'used';
  state: ReturnType<typeof effectiveStatus>;
}

async function build(campaign: CampaignDoc, base: string, token?: { value: string; doc: TokenDoc; state: 'unused' | 'used' }): Promise<Entry> {
  const definition = await getPublishedDefinition(campaign.instrument.id, campaign.instrument.version);
  const choice = segmentChoice(campaign.audience, campaign, await orgView());
  if (token?.doc.segment) Object.assign(choice.fixed, token.doc.segment);
  return { campaign, definition, choice, base, blind: usesBlindCredentials(campaign), token: token?.value, tokenState: token?.state, state: effectiveStatus(campaign) };
}

export async function entryFromLink(linkId: string): Promise<Entry> {
  const campaign = await findCampaignByLink(linkId);
  // With blind credentials the link is where everyone answers (with a credential, not a token), open link or not.
  if (!campaign || !(campaign.openLinkEnabled || usesBlindCredentials(campaign))) throw new AppError(404, 'invalid_link', 'This survey link is not valid. Check the address or scan the QR code again.');
  return build(campaign, `/s/${linkId}`);
}

export async function entryFromToken(rawToken: string): Promise<Entry> {
  const token = normaliseToken(rawToken);
  if (!TOKEN_PATTERN.test(token)) throw new AppError(404, 'invalid_link', 'This personal link is not valid. Check that the whole address was copied.');
  const doc = (await Token.findById(tokenHash(token)).lean()) as TokenDoc | null;
  if (!doc) throw new AppError(404, 'invalid_link', 'This personal link is not valid. Check that the whole address was copied.');
  const campaign = await findCampaign(doc.campaign);
  if (!campaign) throw notFound('This survey no longer exists.');
  const state = await lookupToken(campaign._id, token, usesBlindCredentials(campaign));
  return build(campaign, `/t/${token}`, { value: token, doc, state: state.state === 'unused' ? 'unused' : 'used' });
}

/**
 * How a respondent came in: a token (a /t/<token> page, or a token sent with a submission through the link
 * /s/<link>, which must then belong to that link's campaign) or an open link.
 */
export async function entryFor(ref: { link?: string; token?: string }): Promise<Entry> {
  if (ref.token === undefined) return entryFromLink(ref.link ?? '');
  const entry = await entryFromToken(ref.token);
  if (ref.link !== undefined && entry.campaign.linkId !== ref.link) throw new AppError(404, 'invalid_link', 'This token does not belong to this survey.');
  return entry;
}
