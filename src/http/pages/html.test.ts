import { describe, expect, it } from 'vitest';
import { escapeHtml, html, PAGE_HEADERS, renderPage } from './html.js';

describe('html pages', () => {
  it('escapes every interpolation, including attribute-breaking quotes', () => {
    const evil = `"><script>alert('x')</script>`;
    const out = html`<input value="${evil}"><p>${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
  });

  it('passes nested html through once and renders nothing for null, undefined and false', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<p>${inner}${null}${undefined}${false}${[html`<i>1</i>`, '<2>']}</p>`.value).toBe('<p><b>a&amp;b</b><i>1</i>&lt;2&gt;</p>');
  });

  it('renders a document whose inline style matches the CSP hash and allows no script', () => {
    const page = renderPage({ title: 'Sign <in>', body: html`<p>x</p>` });
    expect(page).toContain('<title>Sign &lt;in&gt; · Gatehouse</title>');
    expect(page).toContain('<html lang="en">');
    const csp = PAGE_HEADERS['content-security-policy']!;
    expect(csp).not.toContain('script-src');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
