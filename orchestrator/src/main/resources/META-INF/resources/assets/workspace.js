// A workspace's page: lifecycle actions through the JSON API, the password dialog, a password prompt for stop and
// delete of a protected workspace, logs, CPU and memory, and the status as it changes.
'use strict';
(function () {
  const root = document.getElementById('workspace');
  const id = root.dataset.id;
  const base = '/api/workspaces/' + encodeURIComponent(id);
  const status = document.getElementById('status');
  const reason = document.getElementById('reason');
  const lock = document.getElementById('lock');
  const actionError = document.getElementById('action-error');
  let isProtected = root.dataset.protected === 'true';

  function show(view) {
    arcx.setBadge(status, view.status);
    reason.textContent = view.statusReason || '';
    reason.hidden = !view.statusReason;
    isProtected = view.passwordProtected;
    root.dataset.protected = String(isProtected);
    lock.hidden = !isProtected;
    enableActions(view.status);
  }

  function enableActions(current) {
    const allowed = {
      start: ['stopped', 'failed'],
      stop: ['running', 'starting', 'creating', 'building-image'],
      restart: ['running'],
      delete: ['running', 'stopped', 'failed', 'creating', 'starting', 'building-image', 'stopping']
    };
    root.querySelectorAll('[data-action]').forEach(b => { b.disabled = !allowed[b.dataset.action].includes(current); });
    const open = document.getElementById('open');
    open.setAttribute('aria-disabled', String(current !== 'running'));
    if (current === 'running') open.removeAttribute('tabindex'); else open.tabIndex = -1;
  }

  async function act(action, password) {
    arcx.showError(actionError, null);
    const headers = password ? { 'X-Arcx-Workspace-Password': password } : undefined;
    const path = action === 'delete' ? base : base + '/' + action;
    const view = await arcx.api(action === 'delete' ? 'DELETE' : 'POST', path, undefined, headers);
    show(view);
    return view;
  }

  // Stop and delete ask first; with a password when the workspace has one.
  const confirmDialog = document.getElementById('confirm-dialog');
  const confirmPassword = document.getElementById('confirm-password');
  const confirmError = document.getElementById('confirm-error');
  let pending = null;

  function confirmAction(action) {
    pending = action;
    document.getElementById('confirm-title').textContent = action === 'delete' ? 'Delete workspace' : 'Stop workspace';
    document.getElementById('confirm-text').textContent = action === 'delete'
      ? 'Delete this workspace and its files? This cannot be undone.'
      : 'Stop this workspace? Its files are kept.';
    document.getElementById('confirm-ok').textContent = action === 'delete' ? 'Delete' : 'Stop';
    document.getElementById('confirm-password-field').hidden = !isProtected;
    confirmPassword.value = '';
    arcx.showError(confirmError, null);
    arcx.openModal(confirmDialog, isProtected ? confirmPassword : document.getElementById('confirm-ok'));
  }

  document.getElementById('confirm-form').addEventListener('submit', async event => {
    event.preventDefault();
    if (isProtected && !confirmPassword.value) {
      arcx.showError(confirmError, new Error('Enter the workspace password.'));
      confirmPassword.focus();
      return;
    }
    try {
      await act(pending, isProtected ? confirmPassword.value : null);
      confirmDialog.close();
      if (pending === 'delete') window.location.assign('/workspaces');
    } catch (e) {
      arcx.showError(confirmError, e);
    }
  });

  root.querySelectorAll('[data-action]').forEach(button => button.addEventListener('click', async () => {
    const action = button.dataset.action;
    if (action === 'stop' || action === 'delete') {
      confirmAction(action);
      return;
    }
    try {
      await act(action);
    } catch (e) {
      arcx.showError(actionError, e);
    }
  }));

  // The password dialog: set (unprotected), change or remove (protected), with a generator.
  const passwordDialog = document.getElementById('password-dialog');
  const passwordForm = document.getElementById('password-form');
  const current = document.getElementById('current-password');
  const fresh = document.getElementById('new-password');
  const passwordError = document.getElementById('password-error');
  const generated = document.getElementById('generated');

  function mode() {
    const checked = passwordForm.querySelector('input[name=mode]:checked');
    return checked ? checked.value : null;
  }

  function layout() {
    document.getElementById('current-field').hidden = mode() === 'set';
    document.getElementById('new-field').hidden = mode() === 'remove';
    document.getElementById('password-save').textContent = mode() === 'remove' ? 'Remove password' : 'Save password';
  }

  document.getElementById('password-button').addEventListener('click', () => {
    passwordForm.querySelectorAll('[data-when]').forEach(label => {
      label.hidden = label.dataset.when !== (isProtected ? 'protected' : 'unprotected');
    });
    passwordForm.querySelector('input[name=mode][value=' + (isProtected ? 'update' : 'set') + ']').checked = true;
    current.value = '';
    fresh.value = '';
    fresh.type = 'password';
    generated.textContent = '';
    arcx.showError(passwordError, null);
    layout();
    arcx.openModal(passwordDialog, isProtected ? current : fresh);
  });
  passwordForm.addEventListener('change', layout);
  document.getElementById('generate-password').addEventListener('click', () => {
    fresh.value = arcx.generatePassword();
    fresh.type = 'text';
    generated.textContent = 'Generated a 12-character password: copy it now, it is not shown again.';
  });
  passwordForm.addEventListener('submit', async event => {
    event.preventDefault();
    const body = mode() === 'set' ? { newPassword: fresh.value }
      : mode() === 'update' ? { currentPassword: current.value, newPassword: fresh.value }
        : { currentPassword: current.value, removePassword: true };
    try {
      show(await arcx.api('PUT', base + '/password', body));
      passwordDialog.close();
    } catch (e) {
      arcx.showError(passwordError, e);
    }
  });

  // Clones.
  document.getElementById('clone').addEventListener('submit', async event => {
    event.preventDefault();
    arcx.showError(actionError, null);
    const count = Number(document.getElementById('clone-count').value);
    try {
      const clones = await arcx.api('POST', base + '/clone', { count });
      const list = document.getElementById('clones');
      clones.forEach(c => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = '/workspaces/' + encodeURIComponent(c.id);
        link.textContent = c.name;
        item.append(link);
        list.append(item);
      });
    } catch (e) {
      arcx.showError(actionError, e);
    }
  });

  // Logs and usage: read on load, on Refresh and when the status changes.
  async function refresh() {
    const logs = document.getElementById('logs');
    try {
      logs.textContent = (await arcx.api('GET', base + '/logs?tail=200', undefined, { 'Accept': 'text/plain' })) || '(no output yet)';
    } catch (e) {
      logs.textContent = e.message;
    }
    try {
      const stats = await arcx.api('GET', base + '/stats');
      document.getElementById('cpu').textContent = stats.cpuPercent.toFixed(1) + ' % of one CPU';
      document.getElementById('memory').textContent = mib(stats.memoryBytes) + ' of ' + mib(stats.memoryLimitBytes);
    } catch (e) {
      document.getElementById('cpu').textContent = '–';
      document.getElementById('memory').textContent = '–';
    }
  }

  function mib(value) {
    return (value / 2 ** 20).toFixed(0) + ' MiB';
  }

  document.getElementById('refresh').addEventListener('click', refresh);
  arcx.liveStatus(change => {
    if (change.workspaceId !== id) return;
    if (change.event === 'deleted') {
      window.location.assign('/workspaces');
      return;
    }
    arcx.api('GET', base).then(view => { show(view); refresh(); }).catch(() => {});
  });
  enableActions(root.dataset.status);
  refresh();
})();
