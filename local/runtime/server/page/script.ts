/**
 * Inline script of the run-history page. Plain browser JavaScript, no framework.
 * Every value from the API is put on the page with textContent / setAttribute, never innerHTML,
 * because run data (ticket text, error messages) comes from outside.
 */
export const RUN_HISTORY_SCRIPT = String.raw`
'use strict';
var API = '/runtime/webhooks/workflow/api/management';
var app = document.getElementById('app');

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  if (attrs) for (var k in attrs) { if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k])); }
  (children || []).forEach(function (c) {
    if (c === undefined || c === null || c === false) return;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  });
  return node;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function api(path) {
  return fetch(API + path, { headers: { accept: 'application/json' } }).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (body) {
      if (!res.ok) throw new Error((body && body.error && (body.error.code + ': ' + body.error.message)) || ('HTTP ' + res.status));
      return body;
    });
  });
}
function enc(s) { return encodeURIComponent(s); }
function runHref(wf, run) { return '/runs/' + enc(wf) + '/' + enc(run); }
function badge(status) { return el('span', { 'class': 'badge s-' + (status || 'Skipped'), 'data-testid': 'status' }, [status || 'Unknown']); }
function fmtTime(iso) {
  if (!iso) return '';
  var d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  function p(n, w) { return String(n).padStart(w || 2, '0'); }
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()) + '.' + p(d.getMilliseconds(), 3);
}
function fmtDuration(start, end) {
  if (!start) return '';
  var ms = (end ? Date.parse(end) : Date.now()) - Date.parse(start);
  if (isNaN(ms) || ms < 0) return '';
  var text = ms < 1000 ? ms + ' ms' : ms < 60000 ? (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s' : Math.floor(ms / 60000) + 'm ' + Math.round((ms % 60000) / 1000) + 's';
  return end ? text : text + ' (running)';
}
function isSecure(v) { return v && typeof v === 'object' && v.$secure === true; }
function content(label, value) {
  if (value === undefined) return null;
  if (isSecure(value)) return el('div', null, [el('div', { 'class': 'section-title' }, [label]), el('div', { 'class': 'secure', 'data-testid': 'secure' }, [String(value.message || 'Content not shown due to security configuration.')])]);
  var text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return el('details', { 'data-testid': label.toLowerCase() }, [el('summary', null, ['Show ' + label.toLowerCase()]), el('pre', { 'class': 'mono' }, [text])]);
}
function errorBox(error) {
  if (!error) return null;
  return el('div', { 'class': 'error', 'data-testid': 'error' }, [el('b', null, [String(error.code || 'Error')]), String(error.message || '')]);
}
function kv(pairs) {
  var dl = el('dl', { 'class': 'kv' });
  pairs.forEach(function (p) { dl.appendChild(el('dt', null, [p[0]])); dl.appendChild(el('dd', { 'class': 'mono' }, [typeof p[1] === 'string' ? p[1] : JSON.stringify(p[1])])); });
  return dl;
}
/** Redraws the current view from the API (runs still in progress change while you look). */
function refreshButton() {
  var b = el('button', { type: 'button', 'class': 'secondary', 'data-testid': 'refresh' }, ['Refresh']);
  b.addEventListener('click', function () { route(); });
  return b;
}
function navigate(href) { history.pushState(null, '', href); route(); }
function link(href, text, attrs) {
  var a = el('a', Object.assign({ href: href }, attrs || {}), [text]);
  a.addEventListener('click', function (e) { if (e.button === 0 && !e.ctrlKey && !e.metaKey) { e.preventDefault(); navigate(href); } });
  return a;
}

/* ---------------- list view ---------------- */
var workflowsCache = null;
function workflows() {
  if (workflowsCache) return Promise.resolve(workflowsCache);
  return api('/workflows').then(function (b) { workflowsCache = b.value || []; return workflowsCache; });
}
// Every workflow puts intent, ticket, target and outcome as tracked properties on this action
// (docs/workflow-design.md, "Run outcome"). Azure's run list cannot filter on tracked properties,
// so the page reads them per run from the action and filters here.
var TRACKING_ACTION = 'Track_run_outcome';
var OUTCOMES = ['success', 'partial_success', 'failed'];
function trackedFor(wf, run) {
  return api('/workflows/' + enc(wf) + '/runs/' + enc(run) + '/actions/' + TRACKING_ACTION)
    .then(function (b) { return (b.properties && b.properties.trackedProperties) || {}; })
    .catch(function () { return {}; });
}
function buildFilter(q) {
  var parts = [];
  if (q.status) parts.push("status eq '" + q.status + "'");
  if (q.from) parts.push('startTime ge ' + new Date(q.from).toISOString());
  if (q.to) parts.push('startTime le ' + new Date(q.to).toISOString());
  if (q.q) parts.push("ClientTrackingId eq '" + q.q.replace(/'/g, "''") + "'");
  return parts.join(' and ');
}
function listView() {
  var params = new URLSearchParams(location.search);
  var q = { workflow: params.get('workflow') || '', status: params.get('status') || '', from: params.get('from') || '', to: params.get('to') || '', q: params.get('q') || '', intent: params.get('intent') || '', outcome: params.get('outcome') || '' };
  document.title = 'Run history';
  clear(app);
  var wfSelect = el('select', { id: 'f-workflow', name: 'workflow' }, [el('option', { value: '' }, ['All workflows'])]);
  var statusSelect = el('select', { id: 'f-status', name: 'status' }, [el('option', { value: '' }, ['Any status'])].concat(
    ['Running', 'Waiting', 'Succeeded', 'Failed', 'Cancelled'].map(function (s) { return el('option', { value: s }, [s]); })));
  statusSelect.value = q.status;
  var from = el('input', { id: 'f-from', name: 'from', type: 'datetime-local', value: q.from });
  var to = el('input', { id: 'f-to', name: 'to', type: 'datetime-local', value: q.to });
  var intentSelect = el('select', { id: 'f-intent', name: 'intent' }, [el('option', { value: '' }, ['Any intent'])]);
  var outcomeSelect = el('select', { id: 'f-outcome', name: 'outcome' }, [el('option', { value: '' }, ['Any outcome'])].concat(
    OUTCOMES.map(function (s) { return el('option', { value: s }, [s]); })));
  outcomeSelect.value = q.outcome;
  function addIntentOption(name) {
    for (var i = 0; i < intentSelect.options.length; i++) if (intentSelect.options[i].value === name) return;
    intentSelect.appendChild(el('option', { value: name }, [name]));
  }
  var search = el('input', { id: 'f-search', name: 'q', type: 'search', placeholder: 'Client tracking id (ticket id)', value: q.q });
  var form = el('form', { 'class': 'filters card', id: 'filters' }, [
    el('label', null, ['Search', search]), el('label', null, ['Workflow', wfSelect]), el('label', null, ['Status', statusSelect]),
    el('label', null, ['Intent', intentSelect]), el('label', null, ['Outcome', outcomeSelect]),
    el('label', null, ['Started after', from]), el('label', null, ['Started before', to]),
    el('button', { type: 'submit', id: 'f-apply' }, ['Apply']), el('button', { type: 'button', 'class': 'secondary', id: 'f-reset' }, ['Reset']),
    refreshButton(),
  ]);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var next = new URLSearchParams();
    [['workflow', wfSelect.value], ['status', statusSelect.value], ['from', from.value], ['to', to.value], ['q', search.value.trim()], ['intent', intentSelect.value], ['outcome', outcomeSelect.value]].forEach(function (p) { if (p[1]) next.set(p[0], p[1]); });
    var s = next.toString();
    navigate('/runs' + (s ? '?' + s : ''));
  });
  form.querySelector('#f-reset').addEventListener('click', function () { navigate('/runs'); });
  var count = el('div', { 'class': 'count', id: 'run-count' }, ['Loading runs...']);
  var tbody = el('tbody', { id: 'runs' });
  var table = el('table', null, [el('thead', null, [el('tr', null, ['Status', 'Workflow', 'Intent', 'Outcome', 'Start', 'Duration', 'Client tracking id', 'Run id'].map(function (h) { return el('th', null, [h]); }))]), tbody]);
  var more = el('button', { type: 'button', 'class': 'secondary', id: 'load-more', style: 'display:none;margin-top:10px' }, ['Load more']);
  app.appendChild(form);
  app.appendChild(el('div', { 'class': 'card' }, [count, table, more]));

  workflows().then(function (wfs) {
    wfs.forEach(function (w) { wfSelect.appendChild(el('option', { value: w.name }, [w.name])); });
    wfSelect.value = q.workflow;
    // Intent ids are the child workflows' names; the router runs every intent.
    wfs.forEach(function (w) { if (w.name !== 'thread-webhook') addIntentOption(w.name); });
    if (q.intent) addIntentOption(q.intent);
    intentSelect.value = q.intent;
    var names = q.workflow ? [q.workflow] : wfs.map(function (w) { return w.name; });
    var filter = buildFilter(q);
    var query = '?$top=50' + (filter ? '&$filter=' + enc(filter) : '');
    var nexts = {};
    var shown = [];
    function withTracked(runs) {
      return Promise.all(runs.map(function (r) {
        return trackedFor(r.id.split('/')[1], r.name).then(function (t) { r.tracked = t; return r; });
      })).then(function (rs) {
        rs.forEach(function (r) { if (typeof r.tracked.intent === 'string' && r.tracked.intent) addIntentOption(r.tracked.intent); });
        return rs.filter(function (r) { return (!q.intent || r.tracked.intent === q.intent) && (!q.outcome || r.tracked.outcome === q.outcome); });
      });
    }
    function render(runs) {
      runs.forEach(function (r) {
        var wf = r.id.split('/')[1];
        var p = r.properties || {};
        var t = r.tracked || {};
        var tr = el('tr', { 'class': 'run-row', 'data-testid': 'run-row', 'data-run': r.name }, [
          el('td', null, [badge(p.status)]),
          el('td', null, [wf]),
          el('td', { 'data-testid': 'intent' }, [typeof t.intent === 'string' ? t.intent : '']),
          el('td', { 'data-testid': 'outcome' }, [typeof t.outcome === 'string' ? t.outcome : '']),
          el('td', { title: p.startTime || '' }, [fmtTime(p.startTime)]),
          el('td', null, [fmtDuration(p.startTime, p.endTime)]),
          el('td', { 'class': 'mono' }, [(p.correlation && p.correlation.clientTrackingId) || '']),
          el('td', { 'class': 'mono' }, [link(runHref(wf, r.name), r.name, { 'data-testid': 'run-link' })]),
        ]);
        tr.addEventListener('click', function (e) { if (e.target.tagName !== 'A') navigate(runHref(wf, r.name)); });
        tbody.appendChild(tr);
      });
      shown = shown.concat(runs);
      count.textContent = shown.length ? shown.length + ' run' + (shown.length === 1 ? '' : 's') + (Object.keys(nexts).length ? ' (more available)' : '') : '';
      if (!shown.length) { clear(tbody); tbody.appendChild(el('tr', null, [el('td', { colspan: 8, 'class': 'empty' }, ['No runs match these filters.'])])); }
      more.style.display = Object.keys(nexts).length ? '' : 'none';
    }
    function fetchPages(paths) {
      return Promise.all(paths.map(function (pp) {
        return api(pp.path).then(function (b) { if (b.nextLink) nexts[pp.wf] = b.nextLink; else delete nexts[pp.wf]; return b.value || []; });
      })).then(function (lists) {
        var all = [].concat.apply([], lists);
        all.sort(function (a, b) { return a.properties.startTime < b.properties.startTime ? 1 : a.properties.startTime > b.properties.startTime ? -1 : 0; });
        return all;
      });
    }
    more.addEventListener('click', function () {
      var paths = Object.keys(nexts).map(function (wf) { var u = new URL(nexts[wf]); return { wf: wf, path: u.pathname.slice(API.length) + u.search }; });
      fetchPages(paths).then(withTracked).then(render);
    });
    return fetchPages(names.map(function (n) { return { wf: n, path: '/workflows/' + enc(n) + '/runs' + query }; })).then(withTracked).then(render);
  }).catch(function (err) { count.textContent = 'Could not load runs: ' + err.message; });
}

/* ---------------- run view ---------------- */
/** Maps each action to its enclosing Scope/If/Switch/Foreach/Until from the definition. */
function parents(definition) {
  var out = {}; var types = {};
  function walk(actions, parent) {
    Object.keys(actions || {}).forEach(function (name) {
      var a = actions[name] || {};
      types[name] = a.type;
      if (parent) out[name] = parent;
      walk(a.actions, name);
      if (a.else) walk(a.else.actions, name);
      if (a.default) walk(a.default.actions, name);
      Object.keys(a.cases || {}).forEach(function (c) { walk((a.cases[c] || {}).actions, name); });
    });
  }
  walk((definition || {}).actions, null);
  return { parent: out, type: types };
}
/** Actions inside a Foreach/Until run once per repetition; Azure keeps each as actions/{name}/repetitions/{n}. */
function insideLoop(tree, name) {
  for (var p = tree.parent[name]; p; p = tree.parent[p]) { if (tree.type[p] === 'Foreach' || tree.type[p] === 'Until') return true; }
  return false;
}
function repetitionsBlock(wf, run, action) {
  var holder = el('div');
  var btn = el('button', { type: 'button', 'class': 'secondary', 'data-testid': 'show-repetitions', style: 'margin-top:8px' }, ['Show repetitions']);
  btn.addEventListener('click', function () {
    btn.disabled = true;
    api('/workflows/' + enc(wf) + '/runs/' + enc(run) + '/actions/' + enc(action) + '/repetitions').then(function (b) {
      var rows = (b.value || []).map(function (rep) {
        var p = rep.properties || {};
        var idx = (p.repetitionIndexes || []).map(function (i) { return i.scopeName + '[' + i.itemIndex + ']'; }).join(', ');
        return el('tr', { 'data-testid': 'repetition' }, [el('td', { 'class': 'mono' }, [rep.name]), el('td', null, [idx]), el('td', null, [badge(p.status)]), el('td', null, [p.code || '']),
          el('td', null, [fmtDuration(p.startTime, p.endTime)]), el('td', null, [errorBox(p.error), content('Inputs', p.inputs), content('Outputs', p.outputs)])]);
      });
      btn.remove();
      holder.appendChild(el('table', { 'class': 'sub-table' }, [el('thead', null, [el('tr', null, ['#', 'Index', 'Status', 'Code', 'Duration', 'Details'].map(function (h) { return el('th', null, [h]); }))]), el('tbody', null, rows)]));
    }).catch(function (err) { btn.disabled = false; holder.appendChild(errorBox({ code: 'LoadFailed', message: err.message })); });
  });
  holder.appendChild(btn);
  return holder;
}
function stepCard(opts) {
  var p = opts.props || {};
  var head = el('div', { 'class': 'step-head' }, [
    el('span', { 'class': 'name', 'data-testid': 'step-name' }, [opts.name]),
    opts.type ? el('span', { 'class': 'type' }, [opts.type]) : null,
    badge(p.status),
    p.code ? el('span', { 'class': 'meta mono' }, [p.code]) : null,
    el('span', { 'class': 'meta' }, [fmtDuration(p.startTime, p.endTime)]),
    p.repetitionCount !== undefined ? el('span', { 'class': 'meta' }, [p.repetitionCount + ' repetitions']) : null,
    p.iterationCount !== undefined ? el('span', { 'class': 'meta' }, [p.iterationCount + ' iterations']) : null,
  ]);
  var card = el('div', { 'class': 'step b-' + (p.status || ''), 'data-testid': opts.testid, 'data-name': opts.name, 'data-status': p.status || '' }, [head, errorBox(p.error)]);
  if (p.childRun) card.appendChild(el('div', { style: 'margin-top:6px' }, ['Child run: ', link(runHref(p.childRun.workflow, p.childRun.name), p.childRun.workflow + ' / ' + p.childRun.name, { 'data-testid': 'child-run-link' })]));
  if (p.retryHistory && p.retryHistory.length) {
    card.appendChild(el('div', { 'class': 'section-title' }, ['Retry history']));
    card.appendChild(el('table', { 'class': 'sub-table', 'data-testid': 'retry-history' }, [
      el('thead', null, [el('tr', null, ['Attempt', 'Start', 'End', 'Code', 'Error'].map(function (h) { return el('th', null, [h]); }))]),
      el('tbody', null, p.retryHistory.map(function (r, i) {
        return el('tr', null, [el('td', null, [String(i + 1)]), el('td', null, [fmtTime(r.startTime)]), el('td', null, [fmtTime(r.endTime)]), el('td', { 'class': 'mono' }, [r.code || '']), el('td', null, [r.error ? (r.error.code + ': ' + r.error.message) : ''])]);
      })),
    ]));
  }
  if (p.trackedProperties && Object.keys(p.trackedProperties).length) {
    card.appendChild(el('div', { 'class': 'section-title' }, ['Tracked properties']));
    card.appendChild(kv(Object.keys(p.trackedProperties).map(function (k) { return [k, p.trackedProperties[k]]; })));
  }
  if (opts.repetitions) card.appendChild(opts.repetitions);
  [content('Inputs', p.inputs), content('Outputs', p.outputs)].forEach(function (n) { if (n) card.appendChild(n); });
  return card;
}
function runView(wf, runName) {
  document.title = 'Run ' + runName;
  clear(app);
  var base = '/workflows/' + enc(wf) + '/runs/' + enc(runName);
  app.appendChild(el('p', { style: 'display:flex;gap:16px;align-items:center' }, [link('/runs', '\u2190 All runs', { 'data-testid': 'back' }), refreshButton()]));
  var status = el('div', { 'class': 'count' }, ['Loading run...']);
  app.appendChild(status);
  Promise.all([api(base), api(base + '/actions'), api('/workflows/' + enc(wf)).catch(function () { return {}; })]).then(function (res) {
    status.remove();
    var run = res[0]; var actions = res[1].value || []; var def = ((res[2] || {}).properties || {}).definition;
    var p = run.properties || {};
    var tree = parents(def);
    var summary = el('div', { 'class': 'card', 'data-testid': 'run-summary' }, [
      el('div', { 'class': 'step-head', style: 'margin-bottom:10px' }, [el('span', { 'class': 'name', style: 'font-size:17px' }, [wf]), badge(p.status), p.code ? el('span', { 'class': 'meta mono' }, [p.code]) : null]),
      el('div', { 'class': 'summary' }, [
        el('div', null, [el('b', null, ['Run id']), el('span', { 'class': 'mono', 'data-testid': 'run-id' }, [run.name])]),
        el('div', null, [el('b', null, ['Client tracking id']), el('span', { 'class': 'mono' }, [(p.correlation && p.correlation.clientTrackingId) || ''])]),
        el('div', null, [el('b', null, ['Start']), fmtTime(p.startTime)]),
        el('div', null, [el('b', null, ['Duration']), fmtDuration(p.startTime, p.endTime)]),
        el('div', null, [el('b', null, ['Version']), el('span', { 'class': 'mono' }, [(p.workflow && p.workflow.name) || ''])]),
        p.response ? el('div', null, [el('b', null, ['Response']), String(p.response.statusCode)]) : null,
        p.parentRun ? el('div', null, [el('b', null, ['Parent run']), link(runHref(p.parentRun.workflow, p.parentRun.name), p.parentRun.workflow + ' / ' + p.parentRun.name, { 'data-testid': 'parent-run-link' })]) : null,
      ]),
      errorBox(p.error),
    ]);
    app.appendChild(summary);
    var steps = el('div', { 'class': 'card', id: 'steps' }, [el('div', { 'class': 'section-title', style: 'margin:0 0 4px' }, ['Trigger'])]);
    if (p.trigger) steps.appendChild(stepCard({ name: p.trigger.name, type: 'Trigger', props: p.trigger, testid: 'trigger' }));
    steps.appendChild(el('div', { 'class': 'section-title', style: 'margin-top:14px' }, ['Actions (in execution order)']));
    var holders = {};
    var top = el('div', { id: 'actions' });
    steps.appendChild(top);
    actions.forEach(function (a) {
      var ap = a.properties || {};
      var card = stepCard({ name: a.name, type: tree.type[a.name], props: ap, testid: 'action',
        repetitions: insideLoop(tree, a.name) ? repetitionsBlock(wf, runName, a.name) : null });
      var children = el('div', { 'class': 'children' });
      holders[a.name] = children;
      card.appendChild(children);
      var parent = tree.parent[a.name];
      (parent && holders[parent] ? holders[parent] : top).appendChild(card);
    });
    Object.keys(holders).forEach(function (k) { if (!holders[k].firstChild) holders[k].remove(); });
    if (!actions.length) top.appendChild(el('div', { 'class': 'empty' }, ['No actions ran.']));
    app.appendChild(steps);
  }).catch(function (err) { status.textContent = 'Could not load the run: ' + err.message; });
}

function route() {
  var m = /^\/runs\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
  if (m) runView(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
  else listView();
}
window.addEventListener('popstate', route);
route();
`;
