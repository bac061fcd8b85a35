// The workspace list: badges follow the live status stream; workspaces that appear elsewhere are added.
'use strict';
(function () {
  const table = document.querySelector('#workspaces tbody');
  const empty = document.getElementById('empty');
  const announce = document.getElementById('announce');

  function rowOf(id) {
    return table.querySelector('tr[data-id="' + CSS.escape(id) + '"]');
  }

  function addRow(w) {
    const row = document.createElement('tr');
    row.dataset.id = w.id;
    const name = document.createElement('td');
    const link = document.createElement('a');
    link.href = '/workspaces/' + encodeURIComponent(w.id);
    link.textContent = w.name;
    name.append(link);
    if (w.passwordProtected) {
      const lock = document.createElement('img');
      lock.className = 'lock';
      lock.src = '/assets/lock.svg';
      lock.alt = lock.title = 'password protected';
      name.append(' ', lock);
    }
    const status = document.createElement('td');
    const badge = document.createElement('span');
    badge.className = 'badge';
    status.append(badge);
    arcx.setBadge(badge, w.status);
    const selection = document.createElement('td');
    selection.className = 'wide';
    selection.textContent = [w.resourceTierId, w.flavorId].concat(w.addonIds || []).join(' · ');
    const resources = document.createElement('td');
    resources.className = 'wide';
    resources.textContent = w.resources ? w.resources.cpus + ' CPU · ' + w.resources.memory : '';
    row.append(name, status, selection, resources);
    table.append(row);
    empty.hidden = true;
    return row;
  }

  function apply(id, name, status) {
    let row = rowOf(id);
    if (status === 'deleted') {
      if (row) row.remove();
      empty.hidden = table.rows.length > 0;
      announce.textContent = name + ' was deleted';
      return;
    }
    if (!row) {
      arcx.api('GET', '/api/workspaces/' + encodeURIComponent(id)).then(addRow).catch(() => {});
      return;
    }
    const badge = row.querySelector('.badge');
    if (badge.dataset.status !== status) {
      arcx.setBadge(badge, status);
      announce.textContent = name + ' is ' + status;
    }
  }

  // On every (re)connection, catch up with what changed while the stream was not there.
  function resync() {
    arcx.api('GET', '/api/workspaces').then(list => {
      const ids = new Set(list.map(w => w.id));
      Array.from(table.rows).forEach(r => { if (!ids.has(r.dataset.id)) r.remove(); });
      list.forEach(w => rowOf(w.id) ? apply(w.id, w.name, w.status) : addRow(w));
      empty.hidden = table.rows.length > 0;
    }).catch(() => {});
  }

  arcx.liveStatus(change => apply(change.workspaceId, change.name,
    change.event === 'deleted' ? 'deleted' : change.status), resync);
})();
