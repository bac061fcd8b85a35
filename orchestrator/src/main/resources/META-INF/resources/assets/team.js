// A team's page: owners invite by login, revoke invitations, change roles, remove members and delete the team;
// anyone leaves. Each change goes through the JSON API; its problems are shown as sentences, its results announced.
'use strict';
(function () {
  const root = document.getElementById('team');
  const base = '/api/teams/' + encodeURIComponent(root.dataset.id);
  const announce = document.getElementById('announce');
  const actionError = document.getElementById('action-error');

  function say(text) {
    announce.textContent = text;
  }

  // Removing, leaving and deleting ask first (arcx.confirmFirst); the answer's problem stays in the dialog.
  const confirm = arcx.confirmFirst;

  // Invitations.
  const pendingList = document.getElementById('pending');
  const noPending = document.getElementById('no-pending');

  function revokeButton(id, login) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.dataset.revoke = id;
    button.textContent = 'Revoke';
    button.setAttribute('aria-label', 'Revoke the invitation of ' + login);
    return button;
  }

  pendingList.addEventListener('click', async event => {
    const button = event.target.closest('[data-revoke]');
    if (!button) return;
    arcx.showError(actionError, null);
    const item = button.closest('[data-invite]');
    try {
      await arcx.api('DELETE', base + '/invites/' + encodeURIComponent(button.dataset.revoke));
      item.remove();
      noPending.hidden = pendingList.children.length > 0;
      say('Invitation revoked.');
    } catch (e) {
      arcx.showError(actionError, e);
    }
  });

  const invite = document.getElementById('invite');
  if (invite) {
    const login = document.getElementById('invite-login');
    const inviteError = document.getElementById('invite-error');
    invite.addEventListener('submit', async event => {
      event.preventDefault();
      arcx.showError(inviteError, null);
      if (!login.value.trim()) {
        arcx.showError(inviteError, new Error('Enter the GitHub login of the person to invite.'));
        login.focus();
        return;
      }
      try {
        const sent = await arcx.api('POST', base + '/invites', { login: login.value.trim() });
        const item = document.createElement('li');
        item.className = 'item';
        item.dataset.invite = sent.id;
        const who = document.createElement('span');
        who.className = 'grow';
        who.textContent = sent.login + ' ';
        const when = document.createElement('span');
        when.className = 'help';
        when.textContent = 'invited just now';
        who.append(when);
        item.append(who, revokeButton(sent.id, sent.login));
        pendingList.append(item);
        noPending.hidden = true;
        login.value = '';
        say('Invited ' + sent.login + '.');
      } catch (e) {
        arcx.showError(inviteError, e);
        login.focus();
      }
    });
  }

  // Members: roles and removal (owners), leaving (anyone).
  document.querySelectorAll('select.role').forEach(select => select.addEventListener('change', async () => {
    arcx.showError(actionError, null);
    const row = select.closest('tr');
    try {
      await arcx.api('PATCH', base + '/members/' + encodeURIComponent(select.dataset.user), { role: select.value });
      select.dataset.current = select.value;
      say(row.dataset.login + ' is now ' + (select.value === 'owner' ? 'an owner' : 'a member') + '.');
    } catch (e) {
      select.value = select.dataset.current;
      arcx.showError(actionError, e);
    }
  }));

  document.querySelectorAll('[data-remove]').forEach(button => button.addEventListener('click', () => {
    const row = button.closest('tr');
    confirm('Remove member', 'Remove ' + row.dataset.login + ' from ' + root.dataset.name
      + '? They lose access to the team\'s workspaces at once.', 'Remove', async () => {
      await arcx.api('DELETE', base + '/members/' + encodeURIComponent(button.dataset.remove));
      row.remove();
      say(row.dataset.login + ' was removed from the team.');
    }, () => document.getElementById('members').focus()); // the dialog's opener is gone with its row
  }));

  // Owners rename the team; the heading and the page title follow.
  const rename = document.getElementById('rename');
  if (rename) {
    rename.addEventListener('submit', async event => {
      event.preventDefault();
      const error = document.getElementById('rename-error');
      const button = document.getElementById('rename-submit');
      arcx.showError(error, null);
      button.disabled = true;
      try {
        const team = await arcx.api('PATCH', base, { name: document.getElementById('rename-name').value });
        root.dataset.name = team.name;
        document.querySelector('#team h1').textContent = team.name;
        document.title = team.name + ' · arcx';
        document.getElementById('rename-name').value = team.name;
        say('The team is now called ' + team.name + '.');
      } catch (e) {
        arcx.showError(error, e);
      } finally {
        button.disabled = false;
      }
    });
  }

  document.getElementById('leave').addEventListener('click', () => {
    confirm('Leave team', 'Leave ' + root.dataset.name + '? You lose access to its workspaces at once.', 'Leave',
      async () => {
        await arcx.api('DELETE', base + '/members/' + encodeURIComponent(root.dataset.self));
        window.location.assign('/teams');
      });
  });

  const remove = document.getElementById('delete-team');
  if (remove) {
    remove.addEventListener('click', () => {
      confirm('Delete team', 'Delete ' + root.dataset.name + ' with its members and invitations? This cannot be undone.',
        'Delete team', async () => {
          await arcx.api('DELETE', base);
          window.location.assign('/teams');
        });
    });
  }
})();
