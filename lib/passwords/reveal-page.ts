import { createHash } from 'node:crypto';
import type { LinkState } from './one-time-link-store.js';

/**
 * The page a one-time link opens. Self-contained (no external assets) and inert on GET: only the button
 * reveals, so link-preview bots in mail and chat cannot burn the link. The key is read from the URL
 * fragment by the script and sent in a POST body; it never appears in a URL the server sees.
 */

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f4f6;color:#111827;margin:0;padding:2rem 1rem}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin-top:0}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1d4ed8;background:#2563eb;color:#fff;cursor:pointer}
button:disabled{opacity:.5;cursor:default}
#secret{display:block;font-family:ui-monospace,Consolas,monospace;font-size:1.3rem;padding:.8rem;background:#f9fafb;border:1px solid #d1d5db;border-radius:6px;margin:1rem 0;word-break:break-all;white-space:pre-wrap;user-select:all}
.note{color:#4b5563;font-size:.95rem}
.error{color:#b91c1c}
[hidden]{display:none!important}
`.trim();

// Runs in the browser. Kept small and dependency-free; the CSP allows exactly this script (by hash).
const SCRIPT = `
(function(){
  var m=/(?:^#|&)k=([A-Za-z0-9_-]{43})(?:&|$)/.exec(location.hash);
  var btn=document.getElementById('reveal');
  var msg=document.getElementById('message');
  var out=document.getElementById('result');
  if(!btn)return;
  if(!m){btn.disabled=true;msg.textContent='This link is incomplete. Open it exactly as you received it, including everything after the # sign.';msg.className='error';return;}
  var key=m[1];
  btn.addEventListener('click',function(){
    btn.disabled=true;msg.textContent='';
    fetch(location.pathname.replace(/\\/$/,'')+'/reveal',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({key:key}),cache:'no-store',credentials:'omit'})
    .then(function(r){return r.json().then(function(b){return {ok:r.ok,body:b};});})
    .then(function(res){
      history.replaceState(null,'',location.pathname);
      if(res.ok&&typeof res.body.secret==='string'){
        document.getElementById('secret').textContent=res.body.secret;
        document.getElementById('intro').hidden=true;btn.hidden=true;out.hidden=false;
      }else{
        var e=res.body&&res.body.error;msg.textContent=(e&&e.message?e.message:'The password could not be shown.')+(e&&e.fix?' '+e.fix:'');msg.className='error';
      }
    })
    .catch(function(){btn.disabled=false;msg.textContent='The password could not be fetched. Check your connection and try again.';msg.className='error';});
  });
  var copy=document.getElementById('copy');
  copy.addEventListener('click',function(){
    var text=document.getElementById('secret').textContent||'';
    navigator.clipboard.writeText(text).then(function(){copy.textContent='Copied';},function(){copy.textContent='Select the text and copy it';});
  });
})();
`.trim();

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const REVEAL_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers for every one-time-link response: nothing cached, no referrer leaks the link, no framing. */
export const ONE_TIME_LINK_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store, max-age=0',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex, nofollow',
  'Content-Security-Policy': REVEAL_PAGE_CSP,
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type PageState = LinkState | 'unavailable';

/** HTML for the link's landing page in a given state. Contains no secret in any state. */
export function renderRevealPage(state: PageState): string {
  switch (state) {
    case 'active':
      return layout(
        'Your new password',
        `<h1>Your new password</h1>
<p id="intro">Your IT support set a new password for you. It can be shown <strong>once</strong>. Have somewhere ready to type or paste it, then press the button.</p>
<button id="reveal" type="button">Reveal password</button>
<p id="message" class="note" role="status"></p>
<div id="result" hidden>
<p>Your password:</p>
<code id="secret"></code>
<button id="copy" type="button">Copy password</button>
<p class="note">This link no longer works: the password has been deleted from our system and cannot be shown again. If you are asked to change it when you sign in, choose a new one.</p>
</div>
<script>${SCRIPT}</script>`,
      );
    case 'expired':
      return layout(
        'Link expired',
        `<h1>This link has expired</h1>
<p>For your security, password links only work for a limited time. Ask your IT support to reset your password again; they will send you a new link.</p>`,
      );
    case 'used':
      return layout(
        'Link already used',
        `<h1>This link has already been used</h1>
<p>Each password link works only once, and this one has been opened already (or it does not exist).</p>
<p>If you did not open it yourself, tell your IT support straight away and ask for a new password.</p>`,
      );
    case 'unavailable':
      return layout(
        'Try again shortly',
        `<h1>Please try again in a minute</h1>
<p>The password could not be looked up just now. Your link has not been used; open it again shortly.</p>`,
      );
  }
}
