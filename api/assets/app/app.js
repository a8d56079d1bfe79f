// Berguru web app: small enhancements over pages that work without it.
// A token for writing is kept in sessionStorage only (this tab's session)
// and sent straight to /graphql; the server never stores it.
(function () {
  'use strict';
  var TOKEN_KEY = 'berguru.token';

  // Search: a filter checkbox or the sort applies at once.
  var filters = document.querySelector('form.filters');
  if (filters) {
    filters.addEventListener('change', function (e) {
      if (e.target.matches('input[type=checkbox], select')) filters.submit();
    });
  }

  // Copy the address of the current results (filters live in the URL).
  var copy = document.querySelector('button.copy');
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(location.href).then(function () {
        copy.textContent = copy.dataset.done;
      });
    });
  }

  // Plan: save as scheduled visits with the saveVisitPlan mutation.
  var form = document.getElementById('save-plan');
  var data = document.getElementById('plan-input');
  if (!form || !data) return;
  form.hidden = false;
  var tokenInput = document.getElementById('token');
  var result = document.getElementById('save-result');
  var stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored) tokenInput.placeholder = '••••••••';
  document.getElementById('forget-token').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN_KEY);
    tokenInput.value = '';
    tokenInput.placeholder = '';
  });
  function say(text) { result.textContent = text; }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var token = tokenInput.value.trim() || sessionStorage.getItem(TOKEN_KEY) || '';
    if (tokenInput.value.trim()) {
      sessionStorage.setItem(TOKEN_KEY, token);
      tokenInput.value = '';
      tokenInput.placeholder = '••••••••';
    }
    var query = 'mutation SavePlan($input: SaveVisitPlanInput!) { saveVisitPlan(input: $input) ' +
      '{ visits { id startsOn host { name } } } }';
    fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: { input: JSON.parse(data.textContent) } })
    }).then(function (r) { return r.json(); }).then(function (body) {
      if (body.errors && body.errors.length) {
        var err = body.errors[0];
        say(form.dataset.failed + ' ' + err.message + ' (' + ((err.extensions || {}).code || '') + ')');
        return;
      }
      var visits = body.data.saveVisitPlan.visits.map(function (v) {
        return v.host.name + ' ' + v.startsOn;
      });
      say(form.dataset.saved + ' ' + visits.join(', '));
    }).catch(function (err) { say(form.dataset.failed + ' ' + err); });
  });
})();
