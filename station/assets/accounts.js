// agtrace-station: the 账号 screen (docs/station.md "Accounts"), for supervisors only. Lists the
// enterprise's accounts with their locks (sign-in: until when, in Beijing time; supervisor
// approvals), unlocks one, gives it a new PIN typed on the keypad, or disables / enables it. Every value from the
// server is written with textContent; every POST carries the session's CSRF token. app.js
// announces sign-in and sign-out (station:signedin / station:signedout).
'use strict';
(function () {
  const T = {
    zh: {
      tab_accounts: '账号', acc_title: '本企业的账号', acc_hint: '操作员 PIN 连续输错 5 次会被锁定一段时间（到时自动解锁）。本人确认是自己输错的，点“解锁”；忘了 PIN 的，点“重置 PIN”，输入新 PIN 后当面告诉本人。',
      account: '账号', role: '角色', state: '状态', operator: '操作员', supervisor: '主管', clerk: '文员',
      ok: '正常', locked_until: '登录已锁定，到北京时间 {t} 自动解锁', approvals_locked: '请主管批准已锁定（主管 PIN 输错 5 次）',
      disabled: '已停用', last_unlock: '上次解锁：{by}，{at}', unlock: '解锁', reset: '重置 PIN', new_pin_for: '给 {id} 设新 PIN',
      new_pin: '新 PIN（4 到 12 位数字）', set_pin: '设新 PIN 并解锁', cancel: '取消', need_pin: '请输入 4 到 12 位数字的新 PIN',
      refresh: '刷新', cli: '（命令行）', clear_pin: '清除', disable: '停用', enable: '启用',
    },
    en: {
      tab_accounts: 'Accounts', acc_title: 'Your enterprise\'s accounts', acc_hint: 'Five wrong PINs in a row lock an account for a while (it unlocks by itself). If the person confirms they mistyped, tap Unlock; if they forgot the PIN, tap Reset PIN, type a new one and tell them in person.',
      account: 'Account', role: 'Role', state: 'State', operator: 'operator', supervisor: 'supervisor', clerk: 'clerk',
      ok: 'OK', locked_until: 'Sign-in locked until {t} Beijing time', approvals_locked: 'Supervisor approvals locked (5 wrong supervisor PINs)',
      disabled: 'disabled', last_unlock: 'Last unlocked by {by}, {at}', unlock: 'Unlock', reset: 'Reset PIN', new_pin_for: 'New PIN for {id}',
      new_pin: 'New PIN (4 to 12 digits)', set_pin: 'Set the PIN and unlock', cancel: 'Cancel', need_pin: 'Type a new PIN of 4 to 12 digits',
      refresh: 'Refresh', cli: '(command line)', clear_pin: 'Clear', disable: 'Disable', enable: 'Enable',
    },
  };
  const { $, lang, zhOnly, el, say, button } = window.StationKit;
  const t = window.StationKit.translator(T);
  const api = (path, body) => window.StationKit.api(path, body, a.me);
  const a = { me: null, list: [], resetting: null };

  function applyLang() {
    document.querySelectorAll('#accounts [data-y], #tabs [data-y]').forEach((e) => { e.textContent = t(e.dataset.y); });
    showList();
  }

  async function load() {
    const r = await api('/api/accounts');
    if (!r.ok) { a.list = []; showList(); return say('acc-msg', zhOnly(r.body.error || r.status)); }
    a.list = r.body.accounts;
    showList();
  }

  function showList() {
    const body = $('acc-list').tBodies[0];
    body.replaceChildren();
    a.list.forEach((x) => {
      const tr = el('tr');
      tr.dataset.account = x.id;
      tr.append(el('td', x.id, 'data'), el('td', t(x.role)));
      const st = el('td');
      const lines = [];
      if (x.disabled) lines.push(t('disabled'));
      if (x.locked) lines.push(t('locked_until', { t: lang() === 'zh' ? x.locked_until_zh : x.locked_until }));
      if (x.approvals_locked) lines.push(t('approvals_locked'));
      if (!lines.length) lines.push(t('ok'));
      lines.forEach((l) => st.append(el('div', l, x.locked || x.approvals_locked || x.disabled ? 'bad' : '')));
      if (x.last_unlock) st.append(el('small', t('last_unlock', { by: x.last_unlock.by === 'user unlock' ? t('cli') : x.last_unlock.by, at: lang() === 'zh' ? x.last_unlock.at_zh : x.last_unlock.at })));
      if (x.locked || x.approvals_locked) tr.classList.add('locked');
      const acts = el('td', undefined, 'acts');
      if (x.locked || x.approvals_locked) acts.append(button(t('unlock'), () => unlock(x.id), 'acc-unlock'));
      acts.append(button(t('reset'), () => startReset(x.id), 'acc-reset'));
      if (x.disabled) acts.append(button(t('enable'), () => setEnabled(x.id, true), 'acc-enable'));
      else if (x.id !== a.me.user) acts.append(button(t('disable'), () => setEnabled(x.id, false), 'acc-disable'));
      tr.append(st, acts);
      body.append(tr);
    });
  }

  async function unlock(id, pin) {
    say('acc-msg', '');
    const body = { id };
    if (pin) body.new_pin = pin;
    const r = await api('/api/accounts/unlock', body);
    if (!r.ok) return say('acc-msg', zhOnly(r.body.error || r.status));
    $('acc-reset-card').hidden = true;
    $('acc-pin').value = '';
    await load();
    say('acc-msg', zhOnly(r.body.message), true);
  }

  async function setEnabled(id, enabled) {
    say('acc-msg', '');
    const r = await api('/api/accounts/enable', { id, enabled });
    if (!r.ok) return say('acc-msg', zhOnly(r.body.error || r.status));
    await load();
    say('acc-msg', zhOnly(r.body.message), true);
  }

  function startReset(id) {
    a.resetting = id;
    $('acc-reset-card').hidden = false;
    $('acc-reset-title').textContent = t('new_pin_for', { id });
    $('acc-pin').value = '';
    say('acc-msg', '');
    $('acc-reset-card').scrollIntoView({ block: 'nearest' });
  }

  function show(on) {
    $('accounts').hidden = !on;
    if (on) load();
  }

  document.addEventListener('station:signedin', (e) => {
    a.me = e.detail;
    document.querySelector('#tabs [data-tab="accounts"]').hidden = a.me.role !== 'supervisor';
    show(false);
  });
  document.addEventListener('station:signedout', () => {
    a.me = null;
    a.list = [];
    show(false);
    $('acc-reset-card').hidden = true;
    $('acc-pin').value = '';
  });
  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => show(b.dataset.tab === 'accounts')));
    $('lang').addEventListener('click', applyLang);
    $('acc-refresh').addEventListener('click', load);
    $('acc-set').addEventListener('click', () => {
      const pin = $('acc-pin').value;
      if (!/^[0-9]{4,12}$/.test(pin)) return say('acc-msg', t('need_pin'));
      unlock(a.resetting, pin);
    });
    $('acc-cancel').addEventListener('click', () => { $('acc-reset-card').hidden = true; $('acc-pin').value = ''; });
    applyLang();
  });
})();
