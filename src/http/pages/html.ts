import { createHash } from 'node:crypto';

/**
 * Server-rendered HTML for Gatehouse's own pages (login, password reset, consent, MFA…).
 * Every interpolated value is escaped by {@link html}; only values already wrapped as
 * {@link SafeHtml} pass through unchanged. Pages carry a strict Content-Security-Policy
 * (no scripts, no inline styles from elsewhere, no framing), see {@link PAGE_HEADERS}.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** HTML that is already escaped or trusted markup. Build it only with {@link html}. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for use in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template that escapes every interpolation (arrays are joined; `null`, `undefined`
 * and `false` render nothing).
 *
 * @example
 * const item = html`<li>${user.email}</li>`;
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Options of {@link renderPage}. */
export interface PageOptions {
  /** The document title and the page's `<h1>`. */
  title: string;
  /** The page body, below the heading. */
  body: SafeHtml;
  /** Language of the page. Default `en`. */
  lang?: string;
}

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:26rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #d8dde3;border-radius:8px}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #8a939d;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #2160c4;outline-offset:2px}
button{margin-top:1.25rem;padding:.6rem 1rem;font:inherit;font-weight:600;color:#fff;background:#1f5fbf;border:0;border-radius:4px;cursor:pointer}
.error{padding:.75rem;border:1px solid #b3261e;border-radius:4px;background:#fdecea;color:#8c1d18}
.notice{padding:.75rem;border:1px solid #2e7d32;border-radius:4px;background:#edf7ed}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #d8dde3}
`;

/** SHA-256 of {@link STYLE}, for the CSP `style-src` hash source. */
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * Headers every HTML page is sent with: a CSP that allows no script at all, only the page's
 * own inline stylesheet (by hash), form posts only to this origin, and no framing
 * (clickjacking); no referrer (tokens in page URLs must not leak through links).
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

/**
 * Renders a whole, accessible HTML document: language set, viewport for small screens,
 * one `<main>` landmark with the page heading.
 *
 * @example
 * reply.headers(PAGE_HEADERS).send(renderPage({ title: 'Sign in', body: html`<form …>…</form>` }));
 */
export function renderPage(options: PageOptions): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Gatehouse</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(options.title)}</h1>
${options.body.value}
</main>
</body>
</html>
`;
}
