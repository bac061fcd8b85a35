// The admin pages' actions, through the JSON API (/api/admin/...): each row changes in place from the API's answer,
// success is announced to screen readers, and a refusal is shown as the API's sentence.
'use strict';
(function () {
  const status = document.getElementById('admin-status');
  const error = document.getElementById('admin-error');

  function announce(text) {
    arcx.showError(error, null);
    status.textContent = text;
  }

  function failed(e) {
    status.textContent = '';
    arcx.showError(error, e);
  }

  /** Runs an action of a button, which stays disabled meanwhile so it is not sent twice. */
  async function busy(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (e) {
      failed(e);
    } finally {
      button.disabled = false;
    }
  }

  // --- Users -------------------------------------------------------------------------------------------------
  const users = document.getElementById('users');
  if (users) {
    const dialog = document.getElementById('suspend-dialog');
    const reason = document.getElementById('suspend-reason');
    const dialogError = document.getElementById('suspend-error');
    let suspending = null;

    /** Shows the user as the API answered: plan, admin role, suspension. */
    function fill(row, user) {
      const select = row.querySelector('select[name=plan]');
      select.value = user.plan;
      select.dataset.current = user.plan;
      row.dataset.admin = String(user.admin);
      row.querySelector('.admin-state').textContent = user.admin ? 'yes' : 'no';
      row.querySelector('[data-action=admin]').firstChild.textContent = user.admin ? 'Revoke admin' : 'Grant admin';
      const suspended = user.suspendedAt !== null;
      const badge = row.querySelector('.state');
      badge.textContent = suspended ? 'suspended' : 'active';
      badge.classList.toggle('status-failed', suspended);
      badge.classList.toggle('status-running', !suspended);
      row.querySelector('.suspension').textContent = suspended
        ? 'since ' + user.suspendedAt.substring(0, 10) + (user.suspensionReason ? ': ' + user.suspensionReason : '')
        : '';
      row.querySelector('[data-action=suspend]').hidden = suspended;
      row.querySelector('[data-action=unsuspend]').hidden = !suspended;
    }

    function path(row, action) {
      return '/api/admin/users/' + encodeURIComponent(row.dataset.id) + (action ? '/' + action : '');
    }

    users.addEventListener('submit', event => {
      const form = event.target.closest('.plan-form');
      if (!form) return;
      event.preventDefault();
      const row = form.closest('tr');
      const select = form.querySelector('select');
      busy(form.querySelector('button'), async () => {
        const user = await arcx.api('PATCH', path(row), { plan: select.value });
        fill(row, user);
        announce(user.login + ' is now on the ' + select.options[select.selectedIndex].text + ' plan.');
      });
    });

    users.addEventListener('click', event => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      const row = button.closest('tr');
      const login = row.dataset.login;
      if (button.dataset.action === 'admin') {
        const grant = row.dataset.admin !== 'true';
        busy(button, async () => {
          fill(row, await arcx.api('PATCH', path(row), { admin: grant }));
          announce(grant ? login + ' is now an administrator.' : login + ' is no longer an administrator.');
        });
      } else if (button.dataset.action === 'unsuspend') {
        busy(button, async () => {
          fill(row, await arcx.api('POST', path(row, 'unsuspend')));
          row.querySelector('[data-action=suspend]').focus();
          announce(login + ' is no longer suspended.');
        });
      } else if (button.dataset.action === 'suspend') {
        suspending = row;
        document.getElementById('suspend-login').textContent = login;
        reason.value = '';
        arcx.showError(dialogError, null);
        arcx.openModal(dialog, reason);
      }
    });

    document.getElementById('suspend-form').addEventListener('submit', event => {
      event.preventDefault();
      const row = suspending;
      const ok = document.getElementById('suspend-ok');
      if (!reason.value.trim()) {
        arcx.showError(dialogError, new Error('Say why: the reason is shown to them when they try to sign in.'));
        reason.focus();
        return;
      }
      ok.disabled = true;
      arcx.api('POST', path(row, 'suspend'), { reason: reason.value.trim() }).then(user => {
        fill(row, user);
        dialog.close();
        row.querySelector('[data-action=unsuspend]').focus();
        announce(user.login + ' is suspended; their sessions ended and their workspaces are stopping.');
      }, e => arcx.showError(dialogError, e)).finally(() => { ok.disabled = false; });
    });
  }

  // --- Invites -----------------------------------------------------------------------------------------------
  const invites = document.getElementById('invites');
  if (invites) {
    const form = document.getElementById('invite-form');
    const created = document.getElementById('invite-created');

    function cell(row, label, content) {
      const td = document.createElement(label === 'Code' ? 'th' : 'td');
      if (label === 'Code') td.scope = 'row';
      td.dataset.label = label;
      if (content instanceof Node) td.appendChild(content); else td.textContent = content;
      row.appendChild(td);
      return td;
    }

    function element(tag, className, text) {
      const e = document.createElement(tag);
      if (className) e.className = className;
      if (text !== undefined) e.textContent = text;
      return e;
    }

    function utc(iso) {
      return iso ? iso.substring(0, 16).replace('T', ' ') : 'never';
    }

    /** The row of a created invite, like the server renders them. */
    function row(invite) {
      const tr = document.createElement('tr');
      tr.dataset.id = invite.id;
      tr.dataset.code = invite.code;
      cell(tr, 'Code', element('code', '', invite.code));
      cell(tr, 'Status', element('span', 'badge invite-' + invite.status, invite.status));
      cell(tr, 'Uses', invite.uses + ' of ' + invite.maxUses);
      cell(tr, 'Expires', utc(invite.expiresAt));
      cell(tr, 'Note', invite.note || '');
      cell(tr, 'Created', utc(invite.createdAt));
      const revoke = element('button', 'button danger', 'Revoke');
      revoke.type = 'button';
      revoke.dataset.action = 'revoke';
      revoke.appendChild(element('span', 'sr-only', ' ' + invite.code));
      cell(tr, '', revoke);
      return tr;
    }

    form.addEventListener('submit', event => {
      event.preventDefault();
      const body = { maxUses: Number(document.getElementById('invite-uses').value) };
      const code = document.getElementById('invite-code').value.trim();
      const expires = document.getElementById('invite-expires').value;
      const note = document.getElementById('invite-note').value.trim();
      if (code) body.code = code;
      // datetime-local is the browser's local time; the API takes an instant.
      if (expires) body.expiresAt = new Date(expires).toISOString();
      if (note) body.note = note;
      busy(document.getElementById('invite-create'), async () => {
        const invite = await arcx.api('POST', '/api/admin/invites', body);
        invites.tBodies[0].prepend(row(invite));
        document.getElementById('empty').hidden = true;
        created.textContent = 'Created invite code ' + invite.code + '.';
        created.hidden = false;
        form.reset();
        announce('Created invite code ' + invite.code + '.');
      });
    });

    invites.addEventListener('click', event => {
      const button = event.target.closest('button[data-action=revoke]');
      if (!button) return;
      const tr = button.closest('tr');
      arcx.confirmFirst('Revoke invite code', 'Revoke ' + tr.dataset.code + '? Nobody can sign up with it any more.'
        + ' This cannot be undone.', 'Revoke', async () => {
        await arcx.api('DELETE', '/api/admin/invites/' + encodeURIComponent(tr.dataset.id));
        const badge = tr.querySelector('.badge');
        badge.className = 'badge invite-revoked';
        badge.textContent = 'revoked';
        announce('Revoked invite code ' + tr.dataset.code + '.');
        button.remove();
      }, () => document.getElementById('main').focus()); // the dialog's opener is gone
    });
  }

  // --- Teams -------------------------------------------------------------------------------------------------
  const teams = document.getElementById('teams');
  if (teams) {
    teams.addEventListener('submit', event => {
      const form = event.target.closest('.plan-form');
      if (!form) return;
      event.preventDefault();
      const row = form.closest('tr');
      const select = form.querySelector('select');
      busy(form.querySelector('button'), async () => {
        const team = await arcx.api('PATCH', '/api/admin/teams/' + encodeURIComponent(row.dataset.id),
          { plan: select.value });
        select.value = team.planId;
        announce(team.name + ' is now on the ' + select.options[select.selectedIndex].text + ' plan.');
      });
    });
  }

  // --- Waitlist ----------------------------------------------------------------------------------------------
  const waitlist = document.getElementById('waitlist');
  if (waitlist) {
    waitlist.addEventListener('click', event => {
      const button = event.target.closest('button[data-action=approve]');
      if (!button) return;
      const tr = button.closest('tr');
      busy(button, async () => {
        const approved = await arcx.api('POST', '/api/admin/waitlist/' + encodeURIComponent(tr.dataset.id) + '/approve');
        const cell = tr.querySelector('.approval');
        cell.textContent = 'approved: invite ';
        const code = document.createElement('code');
        code.textContent = approved.invite.code;
        cell.appendChild(code);
        announce('Approved ' + tr.dataset.login + '; their next sign-in uses invite ' + approved.invite.code + '.');
        document.getElementById('main').focus();
      });
    });
  }
})();
