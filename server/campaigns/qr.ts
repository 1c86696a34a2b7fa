// QR codes of respondent addresses: the open link of a campaign (/s/<linkId>) and a slip's token (/t/<token>).
// Medium error correction survives a crease or a smudge on a printed slip; the quiet zone is the standard 4.
import QRCode from 'qrcode';
import type { Config } from '../config.js';

const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The open link a QR code or a poster shows. */
export function openLinkUrl(config: Pick<Config, 'baseUrl'>, linkId: string): string {
  return `${config.baseUrl}/s/${linkId}`;
}

/** A slip's personal address. */
export function tokenUrl(config: Pick<Config, 'baseUrl'>, token: string): string {
  return `${config.baseUrl}/t/${token}`;
}

/** A PNG large enough to print on a poster (about 10 cm at 300 dpi). */
export function qrPng(text: string, width = 1200): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width });
}

/** A scalable SVG (for print shops and slides). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
}

/** An SVG as a data: URL, for <img> on pages that must not be fetched twice (the slips). */
export async function qrSvgDataUrl(text: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrSvg(text)).toString('base64')}`;
}
