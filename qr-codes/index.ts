export {
  CODE_ID_ALPHABET,
  CODE_ID_DEFAULT_LENGTH,
  CODE_ID_MAX_LENGTH,
  CODE_ID_MIN_LENGTH,
  CODE_ID_PATTERN,
  generateCodeId,
  normalizeCodeId,
} from './code-id';
export type { RandomBytes } from './code-id';
export {
  QR_ERROR_CORRECTION,
  QR_QUIET_ZONE_MODULES,
  codeUrl,
  createQrSymbol,
  renderQrPng,
  renderQrSvg,
} from './qr';
export type { QrSvgOptions } from './qr';
export { QR_PNG_DEFAULT, QR_PNG_MAX, QR_PNG_MIN } from '../shared/domain.js';
export { POSTERS_PER_PAGE, POSTER_CSS, escapeHtml, renderPosterSheet } from './poster';
export type { PosterInput, PosterSheetInput } from './poster';
