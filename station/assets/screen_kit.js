// agtrace-station: what the 合格证, 上传 and 账号 screens share — DOM helpers that write every
// value with textContent (never innerHTML), the screen's language (localStorage
// 'agtrace-station-lang', Chinese unless 'en'), a catalogue lookup, and JSON calls that carry
// the session's CSRF token on every POST. Loaded before the screens' scripts (index.html).
'use strict';
window.StationKit = (function () {
  const $ = (id) => document.getElementById(id);
  const lang = () => (localStorage.getItem('agtrace-station-lang') === 'en' ? 'en' : 'zh');
  // A lookup into a screen's catalogue T = {zh: {...}, en: {...}}; {name} is filled from v.
  const translator = (T) => (k, v) =>
    (T[lang()][k] || k).replace(/\{(\w+)\}/g, (_, n) => String(v && v[n] !== undefined ? v[n] : ''));
  // A server message "中文 / English": the half in the screen's language.
  const zhOnly = (text) => (lang() === 'zh' ? String(text).split(' / ')[0]
    : (String(text).split(' / ').slice(1).join(' / ') || text));
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function say(id, text, ok) {
    $(id).textContent = text || '';
    $(id).classList.toggle('ok', !!ok);
  }
  // Scrolls element `id` into the viewport (the least that shows it all, or its top when taller):
  // a result or refusal that appears below the fold at 1024×768 is never left unseen.
  function reveal(id, block) {
    $(id).scrollIntoView({ block: block || 'nearest', behavior: 'instant' });
  }
  function button(text, onClick, cls) {
    const b = el('button', text, cls);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  // GET path, or POST body as JSON when body is given; me is the signed-in session ({csrf}) or null;
  // poll: a screen's own poll, which does not keep the session from its idle timeout.
  // Resolves to {status, ok, body} with body {} when the answer is not JSON.
  async function api(path, body, me, poll) {
    const opts = { credentials: 'same-origin', headers: {} };
    if (poll) opts.headers['X-Station-Poll'] = '1';
    if (body !== undefined) {
      opts.method = 'POST';
      opts.headers['Content-Type'] = 'application/json';
      if (me) opts.headers['X-CSRF-Token'] = me.csrf;
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    let j = {};
    try { j = await r.json(); } catch (e) { j = {}; }
    return { status: r.status, ok: r.ok, body: j };
  }
  return { $, lang, translator, zhOnly, el, say, reveal, button, api };
})();
