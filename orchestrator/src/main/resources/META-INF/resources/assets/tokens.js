// The API tokens page: create one (its value is shown once, with a copy button), revoke one after a confirmation.
'use strict';
(function () {
  const form = document.getElementById('create-token');
  const name = document.getElementById('token-name');
  const expiry = document.getElementById('token-expiry');
  const createError = document.getElementById('create-error');
  const issued = document.getElementById('issued');
  const issuedToken = document.getElementById('issued-token');
  const copyState = document.getElementById('copy-state');
  const table = document.querySelector('#tokens tbody');
  const empty = document.getElementById('empty');
  const announce = document.getElementById('announce');

  function cell(text, wide) {
    const td = document.createElement('td');
    if (wide) td.className = 'wide';
    td.textContent = text;
    return td;
  }

  function minutes(iso) {
    return iso ? iso.substring(0, 16).replace('T', ' ') + ' UTC' : 'never';
  }

  function addRow(token) {
    const row = document.createElement('tr');
    row.dataset.id = token.id;
    row.dataset.name = token.name;
    const prefix = cell('', true);
    const code = document.createElement('code');
    code.textContent = token.prefix;
    prefix.append(code);
    const status = document.createElement('td');
    const badge = document.createElement('span');
    badge.className = 'badge token-active';
    badge.textContent = 'active';
    status.append(badge);
    const actions = document.createElement('td');
    actions.className = 'end';
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'button danger';
    revoke.dataset.revoke = token.id;
    revoke.textContent = 'Revoke';
    revoke.setAttribute('aria-label', 'Revoke ' + token.name);
    actions.append(revoke);
    row.append(cell(token.name), prefix, cell(minutes(new Date().toISOString()), true), cell('never', true),
      cell(minutes(token.expiresAt)), status, actions);
    table.prepend(row);
    empty.hidden = true;
    document.getElementById('tokens').hidden = false;
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    arcx.showError(createError, null);
    if (!name.value.trim()) {
      arcx.showError(createError, new Error('Give the token a name.'));
      name.focus();
      return;
    }
    const body = { name: name.value.trim() };
    if (expiry.value) body.expiresInDays = Number(expiry.value);
    const submit = document.getElementById('create-token-submit');
    submit.disabled = true;
    try {
      const token = await arcx.api('POST', '/api/tokens', body);
      document.getElementById('issued-name').textContent = '"' + token.name + '"';
      issuedToken.value = token.token;
      copyState.textContent = '';
      issued.hidden = false;
      addRow(token);
      name.value = '';
      announce.textContent = 'Token ' + token.name + ' created. Copy it now: it is shown only once.';
      issuedToken.focus();
      issuedToken.select();
    } catch (e) {
      arcx.showError(createError, e);
    } finally {
      submit.disabled = false;
    }
  });

  document.getElementById('copy-token').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(issuedToken.value);
      copyState.textContent = 'Copied to the clipboard.';
    } catch (e) {
      issuedToken.focus();
      issuedToken.select();
      copyState.textContent = 'Copying was not allowed: the token is selected, copy it with Ctrl+C or ⌘C.';
    }
  });

  // Revoking asks first (arcx.confirmFirst).
  table.addEventListener('click', event => {
    const button = event.target.closest('[data-revoke]');
    if (!button) return;
    const row = button.closest('tr');
    arcx.confirmFirst('Revoke token', 'Revoke the token "' + row.dataset.name
      + '"? Anything that uses it stops working at once. This cannot be undone.', 'Revoke', async () => {
      await arcx.api('DELETE', '/api/tokens/' + encodeURIComponent(button.dataset.revoke));
      const badge = row.querySelector('.badge');
      badge.className = 'badge token-revoked';
      badge.textContent = 'revoked';
      button.remove();
      announce.textContent = 'Token ' + row.dataset.name + ' revoked.';
    }, () => document.getElementById('tokens').focus()); // the dialog's opener is gone
  });
})();
