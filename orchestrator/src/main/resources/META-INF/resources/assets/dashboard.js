// Shared by every dashboard page: calls of the JSON API with the session cookie, readable problems, the live
// status stream, and modal dialogs that keep the focus inside.
'use strict';
window.arcx = (function () {
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) return meta.content;
    const cookie = document.cookie.split('; ').find(c => c.startsWith('arc_csrf='));
    return cookie ? decodeURIComponent(cookie.substring('arc_csrf='.length)) : '';
  }

  /** A failed call: the API's problem detail as a sentence people can read. */
  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && (problem.detail || problem.title) ? sentence(problem) : 'The request failed (HTTP ' + status + ').');
      this.status = status;
      this.problem = problem;
    }
  }

  // Titles that only repeat the HTTP status add nothing to the detail.
  const GENERIC = ['Bad Request', 'Not Found', 'Conflict', 'Forbidden', 'Unauthorized', 'Invalid request', 'Error',
    'Server error', 'Too Many Requests'];

  function sentence(problem) {
    const detail = problem.detail
      ? problem.detail.split('; ').map(p => p.charAt(0).toUpperCase() + p.slice(1)).join('. ')
      : '';
    const ending = detail && !/[.!?]$/.test(detail) ? '.' : '';
    if (problem.title && !GENERIC.includes(problem.title)) {
      return problem.title + (detail ? ': ' + detail + ending : '.');
    }
    return detail ? detail + ending : problem.title + '.';
  }

  /** fetch with the cookie and the CSRF token; JSON in and out; throws ApiError with the problem's detail. */
  async function api(method, path, body, headers) {
    const init = { method, credentials: 'same-origin', headers: Object.assign({ 'Accept': 'application/json' }, headers || {}) };
    if (method !== 'GET') init.headers['X-CSRF-Token'] = csrfToken();
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, { detail: 'the server could not be reached; check your connection' });
    }
    if (response.status === 401 && !path.includes('/password') && !(headers && headers['X-Arcx-Workspace-Password'])
        && !(body && body.password)) {
      window.location.assign('/');
    }
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
    return data;
  }

  function showError(element, error) {
    if (!error) {
      element.hidden = true;
      element.textContent = '';
      return;
    }
    element.textContent = error.message;
    element.hidden = false;
  }

  function setBadge(badge, status) {
    badge.className = badge.className.split(' ').filter(c => !c.startsWith('status-')).concat('status-' + status).join(' ');
    badge.dataset.status = status;
    badge.textContent = status;
  }

  /** Status changes of the viewer's workspaces as they happen; onOpen runs on every (re)connection. */
  function liveStatus(onChange, onOpen) {
    const state = document.getElementById('live-state');
    const source = new EventSource('/events/workspaces');
    source.onopen = () => {
      if (state) state.textContent = 'Live';
      if (onOpen) onOpen();
    };
    source.onerror = () => { if (state) state.textContent = 'Reconnecting…'; };
    source.onmessage = message => onChange(JSON.parse(message.data));
    window.addEventListener('pagehide', () => source.close());
    return source;
  }

  /** Opens a dialog as a modal: Tab stays inside, Escape and [data-close] close it, focus returns afterwards. */
  function openModal(dialog, first) {
    const opener = document.activeElement;
    if (!dialog.dataset.trapped) {
      dialog.dataset.trapped = 'true';
      dialog.addEventListener('keydown', event => {
        if (event.key !== 'Tab') return;
        const focusable = Array.from(dialog.querySelectorAll('button, input, a[href], [tabindex]:not([tabindex="-1"])'))
          .filter(e => !e.disabled && e.offsetParent !== null);
        if (focusable.length === 0) return;
        const firstItem = focusable[0];
        const last = focusable[focusable.length - 1];
        if (event.shiftKey && document.activeElement === firstItem) {
          last.focus();
          event.preventDefault();
        } else if (!event.shiftKey && document.activeElement === last) {
          firstItem.focus();
          event.preventDefault();
        }
      });
      dialog.querySelectorAll('[data-close]').forEach(b => b.addEventListener('click', () => dialog.close()));
    }
    dialog.addEventListener('close', () => { if (opener && opener.focus) opener.focus(); }, { once: true });
    dialog.showModal();
    if (first) first.focus();
  }

  /**
   * Asks in the page's #confirm-dialog (templates/dashboard/confirm-dialog.html) before a change that cannot be
   * undone; {@code action} runs on OK, and its refusal stays in the dialog as a sentence. {@code after} (optional)
   * runs once the dialog closed after success: where the focus goes when the opener is gone.
   */
  let confirming = null;
  function confirmFirst(title, text, ok, action, after) {
    const dialog = document.getElementById('confirm-dialog');
    const error = document.getElementById('confirm-error');
    const button = document.getElementById('confirm-ok');
    if (!dialog.dataset.wired) {
      dialog.dataset.wired = 'true';
      document.getElementById('confirm-form').addEventListener('submit', async event => {
        event.preventDefault();
        button.disabled = true;
        try {
          await confirming.action();
          if (confirming.after) dialog.addEventListener('close', confirming.after, { once: true });
          if (dialog.open) dialog.close();
        } catch (e) {
          showError(error, e);
        } finally {
          button.disabled = false;
        }
      });
    }
    confirming = { action, after };
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    button.textContent = ok;
    showError(error, null);
    openModal(dialog, button);
  }

  /** A random password of 12 letters and digits, without look-alikes (0/O, 1/l/I). */
  function generatePassword() {
    const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const limit = 256 - (256 % alphabet.length);
    let out = '';
    while (out.length < 12) {
      const bytes = crypto.getRandomValues(new Uint8Array(24));
      for (const b of bytes) {
        if (b < limit && out.length < 12) out += alphabet[b % alphabet.length];
      }
    }
    return out;
  }

  return { api, ApiError, showError, setBadge, liveStatus, openModal, confirmFirst, generatePassword };
})();
