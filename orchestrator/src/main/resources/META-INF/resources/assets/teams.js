// The list of teams: create a team (then its page opens), accept or decline the invitations addressed to the viewer.
'use strict';
(function () {
  const announce = document.getElementById('announce');
  const form = document.getElementById('create-team');
  const name = document.getElementById('team-name');
  const createError = document.getElementById('create-error');
  const inviteError = document.getElementById('invite-error');

  form.addEventListener('submit', async event => {
    event.preventDefault();
    arcx.showError(createError, null);
    if (!name.value.trim()) {
      arcx.showError(createError, new Error('Give the team a name.'));
      name.focus();
      return;
    }
    const submit = document.getElementById('create-team-submit');
    submit.disabled = true;
    try {
      const team = await arcx.api('POST', '/api/teams', { name: name.value });
      window.location.assign('/teams/' + encodeURIComponent(team.id));
    } catch (e) {
      arcx.showError(createError, e);
      submit.disabled = false;
      name.focus();
    }
  });

  function answered(item) {
    item.remove();
    const section = document.getElementById('invitations');
    if (!section.querySelector('[data-invite]')) section.hidden = true;
  }

  document.querySelectorAll('[data-accept]').forEach(button => button.addEventListener('click', async () => {
    arcx.showError(inviteError, null);
    button.disabled = true;
    try {
      const team = await arcx.api('POST', '/api/team-invites/' + encodeURIComponent(button.dataset.accept) + '/accept');
      window.location.assign('/teams/' + encodeURIComponent(team.id));
    } catch (e) {
      arcx.showError(inviteError, e);
      button.disabled = false;
    }
  }));

  document.querySelectorAll('[data-decline]').forEach(button => button.addEventListener('click', async () => {
    arcx.showError(inviteError, null);
    const item = button.closest('[data-invite]');
    try {
      await arcx.api('POST', '/api/team-invites/' + encodeURIComponent(button.dataset.decline) + '/decline');
      announce.textContent = 'Invitation declined.';
      answered(item);
      name.focus();
    } catch (e) {
      arcx.showError(inviteError, e);
    }
  }));
})();
