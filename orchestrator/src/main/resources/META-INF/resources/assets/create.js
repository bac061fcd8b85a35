// The create form: totals and the image name follow the choices; the catalog's rules (a add-on's minimum tier,
// add-ons that exclude each other) are checked before anything is sent; the API's problems are shown as sentences.
'use strict';
(function () {
  const form = document.getElementById('create');
  const totals = document.getElementById('totals');
  const image = document.getElementById('image');
  const problems = document.getElementById('problems');
  const formError = document.getElementById('form-error');
  const protect = document.getElementById('protect');
  const passwordField = document.getElementById('password-field');
  const password = document.getElementById('password');
  const owner = document.getElementById('owner');
  const UNITS = [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

  function memory(bytes) {
    for (const [unit, size] of UNITS) {
      if (bytes !== 0 && bytes % size === 0) return (bytes / size) + unit;
    }
    return String(bytes);
  }

  function selection() {
    const tier = form.querySelector('input[name=tier]:checked');
    const flavor = form.querySelector('input[name=flavor]:checked');
    const addons = Array.from(form.querySelectorAll('input[name=addon]:checked'));
    return { tier, flavor, addons };
  }

  function check(s) {
    const found = [];
    s.addons.forEach(a => {
      if (s.tier && a.dataset.requires && Number(s.tier.dataset.rank) < Number(a.dataset.rank)) {
        found.push('The ' + a.value + ' add-on needs the ' + a.dataset.requires + ' tier or higher.');
      }
    });
    for (let i = 0; i < s.addons.length; i++) {
      for (let j = i + 1; j < s.addons.length; j++) {
        const a = s.addons[i];
        const b = s.addons[j];
        if (a.dataset.incompatible.split(' ').includes(b.value) || b.dataset.incompatible.split(' ').includes(a.value)) {
          found.push('The ' + a.value + ' and ' + b.value + ' add-ons cannot be combined.');
        }
      }
    }
    return found;
  }

  function update() {
    const s = selection();
    // Thousandths of a CPU as integers, so 0.5 + 0.25 adds up exactly.
    let cpuThousandths = s.tier ? Math.round(Number(s.tier.dataset.cpus) * 1000) : 0;
    let bytes = s.tier ? Number(s.tier.dataset.memory) : 0;
    s.addons.forEach(a => {
      cpuThousandths += Math.round(Number(a.dataset.cpus) * 1000);
      bytes += Number(a.dataset.memory);
    });
    totals.textContent = (cpuThousandths / 1000) + ' CPU · ' + memory(bytes) + ' memory · '
      + (s.tier ? s.tier.dataset.storage : '?') + ' GB disk';
    const suffixes = s.addons.map(a => a.dataset.suffix).sort();
    image.textContent = (s.flavor ? s.flavor.dataset.image : '?') + suffixes.join('') + ':' + form.dataset.imageVersion;
    const found = check(s);
    problems.replaceChildren(...found.map(text => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }));
    return found;
  }

  form.addEventListener('change', update);
  protect.addEventListener('change', () => {
    passwordField.hidden = !protect.checked;
    if (protect.checked) password.focus();
  });
  document.getElementById('generate').addEventListener('click', () => {
    password.value = arcx.generatePassword();
    password.type = 'text';
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    arcx.showError(formError, null);
    const name = document.getElementById('name');
    if (!name.checkValidity()) {
      arcx.showError(formError, new Error('Give the workspace a name: lower-case letters, digits and inner hyphens.'));
      name.focus();
      return;
    }
    if (update().length > 0) {
      arcx.showError(formError, new Error('Fix the problems in the summary first.'));
      return;
    }
    const s = selection();
    const body = { name: name.value, resourceTierId: s.tier.value, flavorId: s.flavor.value, addonIds: s.addons.map(a => a.value) };
    if (owner.value) body.teamId = owner.value;
    if (protect.checked) {
      body.passwordProtected = true;
      body.password = password.value;
    }
    const submit = document.getElementById('submit');
    submit.disabled = true;
    try {
      await arcx.api('POST', '/api/workspaces', body);
      window.location.assign('/workspaces');
    } catch (e) {
      arcx.showError(formError, e);
      submit.disabled = false;
    }
  });
  update();

  // The Owner choice appears when the user is in a team; /workspaces/new?team=<id> chooses that team.
  arcx.api('GET', '/api/teams').then(teams => {
    if (teams.length === 0) return;
    teams.forEach(t => owner.append(new Option(t.name, t.id)));
    const wanted = new URLSearchParams(window.location.search).get('team');
    if (wanted && teams.some(t => t.id === wanted)) owner.value = wanted;
    document.getElementById('owner-field').hidden = false;
  }).catch(() => {});
})();
