/**
 * The page a password-protected link answers (DESIGN.md §2): a small form
 * that posts the password back to the same address (query string included,
 * so a link that forwards it still can). Self-contained: no script, no
 * external resource, nothing a visitor's browser must fetch elsewhere.
 */

export type PasswordFormNotice = "none" | "wrong" | "missing" | "too-many";

const NOTICES: Readonly<Record<PasswordFormNotice, string>> = {
  none: "",
  wrong: '<p class="notice" role="alert">Wrong password. Please try again.</p>',
  missing: '<p class="notice" role="alert">Please enter the password.</p>',
  "too-many": '<p class="notice" role="alert">Too many wrong tries. Please wait a while before you try again.</p>',
};

const STYLE =
  "body{font-family:system-ui,sans-serif;display:flex;min-height:100vh;margin:0;align-items:center;justify-content:center;background:#f5f5f7;color:#1d1d1f}" +
  "main{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);width:min(22rem,90vw)}" +
  "h1{font-size:1.25rem;margin:0 0 .5rem}label{display:block;margin:1rem 0 .25rem}" +
  "input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #c7c7cc;border-radius:8px}" +
  "button{margin-top:1rem;width:100%;padding:.6rem;font-size:1rem;border:0;border-radius:8px;background:#0a66c2;color:#fff}" +
  ".notice{color:#b00020}";

export function passwordFormPage(notice: PasswordFormNotice): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>Password required</title><style>${STYLE}</style></head><body><main>` +
    "<h1>This link is protected</h1><p>Enter its password to continue.</p>" +
    NOTICES[notice] +
    '<form method="post"><label for="password">Password</label>' +
    '<input id="password" name="password" type="password" required autofocus autocomplete="current-password" maxlength="512">' +
    '<button type="submit">Continue</button></form></main></body></html>'
  );
}

/**
 * Headers of the form page: never kept by a cache, never framed (no
 * clickjacking of the password field), no script or outside resource, and
 * the short link's address is not sent on as a referrer.
 */
export const PASSWORD_FORM_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;
