// Reviewer console: plain JavaScript over the gateway's HTTP API (same origin).
// Every piece of data goes into the page with textContent or as an attribute value, never as markup:
// content written by agents (or by whoever they reply to) must show as text.
'use strict';

(function () {
  const TOKEN_KEY = 'engagement-console.token';
  const NAME_KEY = 'engagement-console.reviewer';
  // ?refresh=N on the page's address: refresh every N seconds (0: only after a decision or on "Refresh")
  const REFRESH_SECONDS = refreshSeconds(new URLSearchParams(window.location.search).get('refresh'));
  const RECENT_SHOWN = 10;

  const $ = (id) => document.getElementById(id);
  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;

  function refreshSeconds(param) {
    const n = param === null ? 15 : Number(param);
    return Number.isFinite(n) && n >= 0 ? n : 15;
  }

  // ------------------------------------------------------------------ API

  class ApiError extends Error {
    constructor(status, body) {
      const error = body && body.error ? body.error : null;
      super(error && error.message ? error.message : 'The gateway answered HTTP ' + status);
      this.status = status;
      this.body = body;
      this.code = error ? error.code : null;
    }
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, {
        method: method, headers: headers, cache: 'no-store', credentials: 'omit',
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, { error: { code: 'NETWORK', message: 'The gateway cannot be reached: ' + e.message } });
    }
    let json = null;
    const text = await response.text();
    if (text) {
      try { json = JSON.parse(text); } catch (e) { json = null; }
    }
    return { status: response.status, body: json };
  }

  /** A GET whose non-2xx answer is an error; 401 signs the reviewer out. */
  async function read(path) {
    const answer = await api('GET', path);
    if (answer.status === 401) {
      signOut('Your token was not accepted any more. Sign in again.');
      throw new ApiError(401, answer.body);
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new ApiError(answer.status, answer.body);
    }
    return answer.body;
  }

  // ------------------------------------------------------------------ small DOM helpers

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function timeElement(iso) {
    const t = el('time');
    t.dateTime = iso || '';
    const date = iso ? new Date(iso) : null;
    t.textContent = date && !isNaN(date) ? date.toLocaleString() : (iso || '');
    return t;
  }

  function confidenceText(value) {
    return typeof value === 'number' ? value.toFixed(2) : 'not scored';
  }

  function penaltyText(value) {
    if (typeof value !== 'number') {
      return '';
    }
    return value === 0 ? '±0.00' : '−' + Math.abs(value).toFixed(2);
  }

  function say(message) {
    $('status-line').textContent = message;
  }

  // ------------------------------------------------------------------ sign in / out

  async function signIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    const name = $('reviewer-name').value.trim();
    const error = $('sign-in-error');
    error.textContent = '';
    if (!token) {
      error.textContent = 'Enter your reviewer token.';
      $('token').focus();
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    let answer;
    try {
      answer = await api('GET', '/approvals?status=pending');
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      error.textContent = e.message;
      return;
    }
    if (answer.status === 401 || answer.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      error.textContent = answer.status === 401
        ? 'That token was not accepted.'
        : 'That is not a reviewer token (' + (answer.body && answer.body.error ? answer.body.error.message : 'forbidden') + ').';
      $('token').focus();
      return;
    }
    if (answer.status !== 200) {
      sessionStorage.removeItem(TOKEN_KEY);
      error.textContent = new ApiError(answer.status, answer.body).message;
      return;
    }
    sessionStorage.setItem(NAME_KEY, name);
    $('token').value = '';
    showConsole();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (refreshTimer) {
      clearInterval(refreshTimer);
      refreshTimer = null;
    }
    $('pending-list').replaceChildren();
    $('unknown-list').replaceChildren();
    $('recent-list').replaceChildren();
    $('stats-body').replaceChildren();
    $('console').hidden = true;
    $('session').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = typeof message === 'string' ? message : '';
    $('token').focus();
  }

  function reviewerName() {
    return sessionStorage.getItem(NAME_KEY) || '';
  }

  function showConsole() {
    $('sign-in').hidden = true;
    $('console').hidden = false;
    $('session').hidden = false;
    $('session-name').textContent = reviewerName() || 'an unnamed reviewer';
    $('main').focus();
    loadPlatforms();
    refresh();
    if (!refreshTimer && REFRESH_SECONDS > 0) {
      refreshTimer = setInterval(refresh, REFRESH_SECONDS * 1000);
    }
  }

  // ------------------------------------------------------------------ refresh

  // the queue comes a page at a time (GET /approvals answers {items, next_cursor}); "Show older" asks for one more
  const PAGE_SIZE = 50;
  let pagesWanted = 1;

  /** The queue's filters and order as query parameters (GET /approvals). */
  function filterQuery() {
    let q = '';
    for (const [name, id] of [['platform', 'filter-platform'], ['action', 'filter-action'], ['reason', 'filter-reason'],
      ['sort', 'filter-sort']]) {
      const v = $(id).value.trim();
      if (v) {
        q += '&' + name + '=' + encodeURIComponent(v);
      }
    }
    const age = $('filter-age').value;
    return age ? q + '&' + age : q;
  }

  // each platform's text limit and counting (GET /platforms), for the edit box's live count
  let platforms = {};

  async function loadPlatforms() {
    try {
      const answer = await read('/platforms');
      platforms = {};
      for (const p of answer.platforms || []) {
        platforms[p.platform] = { max: p.max_content_length, counting: p.length_counting };
      }
    } catch (e) {
      platforms = {};
    }
  }

  async function readPending() {
    let items = [];
    let cursor = null;
    for (let page = 0; page < pagesWanted; page++) {
      const answer = await read('/approvals?status=pending&limit=' + PAGE_SIZE + filterQuery()
        + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items = items.concat(answer.items || []);
      cursor = answer.next_cursor || null;
      if (!cursor) {
        break;
      }
    }
    return { items, more: cursor !== null };
  }

  async function refresh() {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      return;
    }
    if (refreshing) {
      // one more round when this one ends, so a decision made meanwhile is not shown stale
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      const [pending, unknown, recent, stats] = await Promise.all([
        readPending(),
        read('/approvals?status=outcome_unknown&limit=' + PAGE_SIZE),
        read('/engagements?limit=200'),
        read('/engagements/stats')
      ]);
      renderPending(pending.items);
      renderUnknown(unknown.items || []);
      $('pending-more').hidden = !pending.more;
      if (pending.more) {
        $('pending-count').textContent = '(' + pending.items.length + '+)';
      }
      renderRecent(recent.items || []);
      renderStats(stats);
      $('console').dataset.loaded = 'true';
      say('Updated ' + new Date().toLocaleTimeString() + '.');
    } catch (e) {
      if (e.status !== 401) {
        say('Could not refresh: ' + e.message);
      }
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    }
  }

  // ------------------------------------------------------------------ the queue

  /**
   * Updates the list in place, keyed by engagement id: a note being typed and the keyboard focus
   * survive a refresh, waiting items stay newest first, and an item decided here keeps its place and
   * its result until dismissed. Items someone else decided simply leave the list.
   */
  function renderPending(items) {
    const count = renderCards($('pending-list'), items, buildCard);
    $('pending-count').textContent = '(' + count + ')';
    $('pending-empty').hidden = $('pending-list').children.length > 0;
  }

  /** Engagements whose outcome a crash made unknown: shown only when there are some, settled after a check. */
  function renderUnknown(items) {
    const list = $('unknown-list');
    const count = renderCards(list, items, buildSettleCard);
    $('unknown-count').textContent = '(' + count + ')';
    $('unknown').hidden = list.children.length === 0;
  }

  /** Updates a list of cards in place (see renderPending); returns how many items wait. */
  function renderCards(list, items, makeCard) {
    // in the order the server answered: newest first unless the reviewer chose another order
    const sorted = items.slice();
    const wanted = new Set(sorted.map((i) => i.engagement_id));
    for (const card of Array.from(list.children)) {
      if (!wanted.has(card.dataset.id) && card.dataset.decided !== 'true') {
        card.remove();
      }
    }
    const existing = new Map(Array.from(list.children).map((c) => [c.dataset.id, c]));
    let previous = null;
    for (const item of sorted) {
      let card = existing.get(item.engagement_id);
      if (!card) {
        card = makeCard(item);
      }
      const anchor = previous ? previous.nextSibling : firstUndecided(list);
      if (card !== anchor) {
        list.insertBefore(card, anchor);
      }
      previous = card;
    }
    return sorted.length;
  }

  /** Where the newest waiting item goes: before the first card that still waits. */
  function firstUndecided(list) {
    return Array.from(list.children).find((c) => c.dataset.decided !== 'true') || null;
  }

  function buildCard(item) {
    const request = item.request || {};
    const id = item.engagement_id;
    const card = $('card-template').content.firstElementChild.cloneNode(true);
    card.dataset.id = id;
    const title = card.querySelector('.card-title');
    title.id = 'title-' + id;
    title.textContent = capitalise(request.action || 'engagement') + ' on ' + (request.platform || '?')
      + (request.target ? ' → ' + request.target : '');
    title.append(el('span', 'engagement-id', id));

    field(card, 'platform').textContent = request.platform || '';
    field(card, 'action').textContent = request.action || '';
    field(card, 'target').textContent = request.target || '';
    const confidence = field(card, 'confidence');
    confidence.textContent = confidenceText(item.confidence);
    if (typeof item.confidence === 'number') {
      const meter = el('meter');
      meter.min = 0;
      meter.max = 1;
      meter.low = 0.7;
      meter.high = 0.9;
      meter.optimum = 1;
      meter.value = item.confidence;
      meter.setAttribute('aria-label', 'Effective confidence ' + confidenceText(item.confidence));
      confidence.append(' ', meter);
    }
    const persona = field(card, 'persona');
    const constraints = request.persona_constraints || [];
    if (constraints.length === 0) {
      persona.textContent = 'none';
    } else {
      const tags = el('ul', 'tags');
      constraints.forEach((c) => tags.append(el('li', 'tag', c)));
      persona.append(tags);
    }
    const content = field(card, 'content');
    if (request.content === undefined || request.content === null || request.content === '') {
      content.textContent = '(no content: ' + (request.action || 'this action') + ' carries none)';
      content.classList.add('muted');
    } else {
      content.textContent = request.content;
    }
    const reasons = field(card, 'reasons');
    if (!item.reasons || item.reasons.length === 0) {
      reasons.textContent = 'No reasons recorded.';
    } else {
      const ul = el('ul', 'reasons');
      for (const r of item.reasons) {
        const li = el('li');
        li.append(el('code', 'rule', r.rule), ' ', el('span', 'penalty', penaltyText(r.penalty)));
        if (r.evidence) {
          li.append(' ', el('span', 'evidence', r.evidence));
        }
        ul.append(li);
      }
      reasons.append(ul);
    }
    field(card, 'created').append(timeElement(item.created_at));
    showContext(card, item.context || {});

    const select = card.querySelector('.select');
    select.id = 'select-' + id;
    select.setAttribute('aria-label', 'Select ' + title.firstChild.textContent);
    select.addEventListener('change', updateSelection);
    buildEditor(card, request);

    const note = card.querySelector('.note');
    note.id = 'note-' + id;
    card.querySelector('.note-label').htmlFor = note.id;
    const approve = card.querySelector('.approve');
    const reject = card.querySelector('.reject');
    for (const button of [approve, reject]) {
      button.setAttribute('aria-describedby', title.id);
    }
    approve.addEventListener('click', () => decide(card, 'approve'));
    reject.addEventListener('click', () => decide(card, 'reject'));
    card.querySelector('.result').id = 'result-' + id;
    return card;
  }

  /** What the item answers (the target as the platform showed it) and the account's recent engagements with its author. */
  function showContext(card, context) {
    if (context.target) {
      const answering = field(card, 'answering');
      answering.append(el('span', 'by', '@' + (context.target.author || context.author || '?')
        + (context.target.created_at ? ' · ' : '')));
      if (context.target.created_at) {
        answering.querySelector('.by').append(timeElement(context.target.created_at));
      }
      answering.append(el('span', 'target-text', context.target.text || ''));
      card.querySelector('[data-context="target"]').hidden = false;
    }
    const recent = context.recent || [];
    if (context.author) {
      const box = field(card, 'recent');
      if (recent.length === 0) {
        box.textContent = 'Nothing yet with @' + context.author + '.';
      } else {
        const ul = el('ul', 'recent-with');
        for (const r of recent) {
          const li = el('li', null, r.action + ' ' + r.target + ' · ' + r.status + ' · ');
          li.append(timeElement(r.created_at));
          if (r.content) {
            li.append(el('span', 'muted', ' “' + r.content + '”'));
          }
          ul.append(li);
        }
        box.append(ul);
      }
      card.querySelector('[data-context="recent"]').hidden = false;
    }
  }

  // ------------------------------------------------------------------ editing the text

  /**
   * The platform's own count (the gateway checks it exactly; this is the reviewer's live guide). X's weighted
   * count, as twitter-text counts: text in NFC, a URL 23, an emoji (a whole sequence: skin tone, ZWJ family,
   * flag, keycap) 2, a character of the Latin, Greek, Cyrillic... ranges 1, anything else (CJK) 2. Threads: one
   * per code point, but an emoji as many as its UTF-8 bytes. Others: code points.
   */
  function countText(text, counting) {
    if (counting === 'twitter-weighted') {
      let n = 0;
      const withoutUrls = text.normalize('NFC').replace(/https?:\/\/\S+/g, () => { n += 23; return ''; });
      for (const g of graphemes(withoutUrls)) {
        if (isEmoji(g)) {
          n += 2;
          continue;
        }
        for (const ch of g) {
          const c = ch.codePointAt(0);
          const light = (c <= 4351) || (c >= 8192 && c <= 8205) || (c >= 8208 && c <= 8223) || (c >= 8242 && c <= 8247);
          n += light ? 1 : 2;
        }
      }
      return n;
    }
    if (counting === 'emoji-utf8-bytes') {
      let n = 0;
      for (const g of graphemes(text)) {
        n += isEmoji(g) ? new TextEncoder().encode(g).length : Array.from(g).length;
      }
      return n;
    }
    return Array.from(text).length;
  }

  /** User-perceived characters: an emoji sequence stays one. */
  function graphemes(text) {
    if (typeof Intl === 'object' && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), s => s.segment);
    }
    return Array.from(text);
  }

  /** An emoji as twitter-text's pattern finds it: pictographs (but a bare ©, ® or ™), keycaps, flags, VS16. */
  function isEmoji(g) {
    return /\uFE0F|\u20E3|\p{Regional_Indicator}/u.test(g)
      || (/\p{Extended_Pictographic}/u.test(g) && !/^[\u00A9\u00AE\u2122]$/u.test(g));
  }

  /** Word-level differences between the agent's text and the edit: [{op: '=', '-', '+', text}]. */
  function diffWords(before, after) {
    const a = before.split(/(\s+)/);
    const b = after.split(/(\s+)/);
    const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        out.push({ op: '=', text: a[i++] }); j++;
      } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.push({ op: '+', text: b[j++] });
      } else {
        out.push({ op: '-', text: a[i++] });
      }
    }
    return grouped(out);
  }

  /** Each run of changes as one removal then one insertion ("for asking!" → "Ana!"), not word by word interleaved. */
  function grouped(parts) {
    const out = [];
    let removed = '';
    let added = '';
    const flush = () => {
      const space = removed && added ? (/\s+$/.exec(removed) || [''])[0] : '';
      const shared = space && added.endsWith(space) ? space : '';
      if (removed) out.push({ op: '-', text: removed.slice(0, removed.length - shared.length) });
      if (added) out.push({ op: '+', text: added.slice(0, added.length - shared.length) });
      if (shared) out.push({ op: '=', text: shared });
      removed = '';
      added = '';
    };
    parts.forEach((part, k) => {
      // a lone space between two changes belongs to the run
      const inRun = part.op === '=' && /^\s+$/.test(part.text) && (removed || added)
        && k + 1 < parts.length && parts[k + 1].op !== '=';
      if (part.op === '-' || inRun) removed += part.text;
      if (part.op === '+' || inRun) added += part.text;
      if (part.op === '=' && !inRun) {
        flush();
        out.push(part);
      }
    });
    flush();
    return out;
  }

  function buildEditor(card, request) {
    const id = card.dataset.id;
    const area = card.querySelector('.edit-area');
    const edit = card.querySelector('.edit');
    const toggle = card.querySelector('.edit-toggle');
    const original = request.content || '';
    const platform = platforms[request.platform] || {};
    edit.id = 'edit-' + id;
    card.querySelector('.edit-label').htmlFor = edit.id;
    card.querySelector('.override').setAttribute('aria-label', 'Approve this text although the policy would refuse it');
    toggle.setAttribute('aria-describedby', 'title-' + id);
    toggle.setAttribute('aria-expanded', 'false');
    const update = () => {
      const p = platforms[request.platform] || platform;
      const n = countText(edit.value, p.counting);
      const counter = card.querySelector('.char-count');
      counter.textContent = n + (p.max ? ' / ' + p.max : '') + ' characters'
        + (p.counting === 'twitter-weighted' ? ' (as X counts them)'
          : p.counting === 'emoji-utf8-bytes' ? ' (as Threads counts them: an emoji by its bytes)' : '');
      counter.classList.toggle('over', Boolean(p.max) && n > p.max);
      const diff = card.querySelector('.diff');
      diff.replaceChildren();
      for (const part of diffWords(original, edit.value)) {
        diff.append(part.op === '=' ? document.createTextNode(part.text) : el(part.op === '+' ? 'ins' : 'del', null, part.text));
      }
    };
    edit.addEventListener('input', update);
    toggle.addEventListener('click', () => openEditor(card));
    card.openEditor = () => {
      if (area.hidden) {
        area.hidden = false;
        toggle.setAttribute('aria-expanded', 'true');
        edit.value = original;
        update();
      }
      edit.focus();
    };
  }

  function openEditor(card) {
    card.openEditor();
  }

  /** The edited text when the reviewer changed it, else null (the agent's text stands). */
  function editedText(card) {
    const area = card.querySelector('.edit-area');
    if (!area || area.hidden) {
      return null;
    }
    const text = card.querySelector('.edit').value;
    const original = (card.querySelector('[data-field="content"]').classList.contains('muted'))
      ? '' : card.querySelector('[data-field="content"]').textContent;
    return text === original ? null : text;
  }

  // ------------------------------------------------------------------ selecting several

  function selectedCards() {
    return Array.from(document.querySelectorAll('#pending-list li.card'))
      .filter((c) => c.dataset.decided !== 'true' && c.querySelector('.select').checked);
  }

  function updateSelection() {
    const n = selectedCards().length;
    $('selected-count').textContent = n + ' selected';
    $('approve-selected').disabled = n === 0;
    $('reject-selected').disabled = n === 0;
  }

  /** POST /approvals/decisions: the selected items in one call; each answer shows in its own card. */
  async function decideSelected(verb) {
    const cards = selectedCards();
    if (cards.length === 0) {
      return;
    }
    $('approve-selected').disabled = true;
    $('reject-selected').disabled = true;
    const decisions = cards.map((card) => {
      const d = { engagement_id: card.dataset.id, decision: verb };
      const note = card.querySelector('.note').value.trim();
      if (note) {
        d.note = note;
      }
      const text = verb === 'approve' ? editedText(card) : null;
      if (text !== null) {
        d.content = text;
      }
      card.querySelectorAll('.decision button, .decision textarea').forEach((b) => { b.disabled = true; });
      return d;
    });
    say((verb === 'approve' ? 'Approving ' : 'Rejecting ') + cards.length + ' items…');
    const answer = await api('POST', '/approvals/decisions', { reviewer: reviewerName() || 'console reviewer', decisions: decisions });
    if (answer.status === 401) {
      signOut('Your token was not accepted any more. Sign in again.');
      return;
    }
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      say('The selected items were not decided: ' + (answer.body && answer.body.error ? answer.body.error.message
        : 'HTTP ' + answer.status));
      cards.forEach((card) => card.querySelectorAll('.decision button, .decision textarea').forEach((b) => { b.disabled = false; }));
      updateSelection();
      return;
    }
    answer.body.forEach((result, i) => {
      const code = result.error ? result.error.code : null;
      showResult(cards[i], verb, { status: code === 'CONFLICT' ? 409 : 200, body: result }, true);
    });
    say('Decided ' + cards.length + ' items.');
    updateSelection();
    refresh();
  }

  // ------------------------------------------------------------------ keyboard

  /** j/k move between the waiting items, a approves, r rejects, e edits, x selects: never while typing. */
  function onKey(event) {
    const t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)
      || $('console').hidden) {
      return;
    }
    const cards = Array.from(document.querySelectorAll('#pending-list li.card')).filter((c) => c.dataset.decided !== 'true');
    if (cards.length === 0) {
      return;
    }
    const current = document.querySelector('#pending-list li.card.current');
    let index = cards.indexOf(current);
    const key = event.key;
    if (key === 'j' || key === 'k') {
      index = index < 0 ? 0 : Math.min(cards.length - 1, Math.max(0, index + (key === 'j' ? 1 : -1)));
      if (current) {
        current.classList.remove('current');
      }
      cards[index].classList.add('current');
      cards[index].focus();
      cards[index].scrollIntoView({ block: 'nearest' });
    } else if (index >= 0 && (key === 'a' || key === 'r')) {
      decide(cards[index], key === 'a' ? 'approve' : 'reject');
    } else if (index >= 0 && key === 'e') {
      openEditor(cards[index]);
    } else if (index >= 0 && key === 'x') {
      const box = cards[index].querySelector('.select');
      box.checked = !box.checked;
      updateSelection();
    } else {
      return;
    }
    event.preventDefault();
  }

  /** A card whose buttons settle it: the reviewer found the action on the platform, or did not. */
  function buildSettleCard(item) {
    const card = buildCard(item);
    const executed = card.querySelector('.approve');
    const notExecuted = card.querySelector('.reject');
    const replaced = [executed, notExecuted].map((b) => {
      const copy = b.cloneNode(false); // without the approve/reject listeners
      b.replaceWith(copy);
      return copy;
    });
    replaced[0].textContent = 'It was executed';
    replaced[0].className = 'settle-succeeded';
    replaced[1].textContent = 'It was not executed';
    replaced[1].className = 'settle-failed secondary';
    replaced[0].addEventListener('click', () => decide(card, 'settle', { outcome: 'succeeded' }));
    replaced[1].addEventListener('click', () => decide(card, 'settle', { outcome: 'failed' }));
    card.querySelector('.edit-toggle').remove();
    card.querySelector('.select').remove();
    const why = card.querySelector('[data-field="reasons"]');
    why.replaceChildren('The gateway stopped before the platform answered; the platform\'s server may act twice if asked'
      + ' again, so it was not asked again.');
    return card;
  }

  function field(card, name) {
    return card.querySelector('[data-field="' + name + '"]');
  }

  function capitalise(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // ------------------------------------------------------------------ decisions

  async function decide(card, verb, extra) {
    const id = card.dataset.id;
    const buttons = card.querySelectorAll('.decision button, .decision textarea');
    buttons.forEach((b) => { b.disabled = true; });
    const result = card.querySelector('.result');
    result.className = 'result working';
    result.textContent = verb === 'approve' ? 'Approving… (the platform is called now)'
      : verb === 'reject' ? 'Rejecting…' : 'Recording what you found…';
    const body = Object.assign({ reviewer: reviewerName() || 'console reviewer' }, extra || {});
    const note = card.querySelector('.note').value.trim();
    if (note) {
      body.note = note;
    }
    const text = verb === 'approve' ? editedText(card) : null;
    if (text !== null) {
      body.content = text;
      if (card.querySelector('.override').checked) {
        body.override = true;
      }
    }
    let answer;
    try {
      answer = await api('POST', '/approvals/' + encodeURIComponent(id) + '/' + verb, body);
    } catch (e) {
      answer = { status: 0, body: e.body };
    }
    if (answer.status === 401) {
      signOut('Your token was not accepted any more. Sign in again.');
      return;
    }
    if (answer.status === 0) {
      // No answer at all: say so and let the reviewer try again (a decision is taken at most once anyway).
      result.className = 'result failure';
      result.textContent = (answer.body && answer.body.error ? answer.body.error.message : 'No answer from the gateway')
        + '. Try again.';
      buttons.forEach((b) => { b.disabled = false; });
      return;
    }
    if (text !== null && (answer.status === 400 || answer.status === 422)) {
      // the edit was refused, nothing was decided: say why and let the reviewer change it (or override)
      const error = (answer.body && answer.body.error) || {};
      result.className = 'result failure';
      result.textContent = 'Not approved (' + error.code + '): ' + error.message;
      if (error.code === 'REJECTED_BY_POLICY') {
        card.querySelector('.override-label').hidden = false;
      }
      buttons.forEach((b) => { b.disabled = false; });
      return;
    }
    showResult(card, verb, answer);
    refresh();
  }

  /** Shows the decision's answer (the output contract) in the card, in words and in full. */
  function showResult(card, verb, answer, many) {
    const result = card.querySelector('.result');
    const body = answer.body || {};
    const error = body.error || null;
    let kind;
    let headline;
    if (answer.status === 409) {
      kind = 'conflict';
      headline = 'Already decided by someone else (409): ' + (error ? error.message : 'this engagement is no longer pending');
    } else if (verb === 'settle' && answer.status === 200) {
      kind = body.status === 'success' ? 'success' : 'rejected';
      headline = body.status === 'success' ? 'Settled: recorded as executed.' : 'Settled: recorded as not executed.';
    } else if (body.status === 'success') {
      kind = 'success';
      headline = 'Approved and executed on ' + (card.querySelector('[data-field="platform"]').textContent || 'the platform') + '.';
    } else if (error && error.code === 'REJECTED_BY_REVIEWER') {
      kind = 'rejected';
      headline = 'Rejected. The engagement was not executed.';
    } else if (error) {
      kind = 'failure';
      headline = (verb === 'approve' ? 'Approval failed' : verb === 'reject' ? 'Rejection failed' : 'Settling failed')
        + ' (HTTP ' + answer.status + ', '
        + error.code + (error.retryable ? ', retryable' : '') + '): ' + error.message;
    } else {
      kind = 'failure';
      headline = 'Unexpected answer (HTTP ' + answer.status + ').';
    }
    result.className = 'result ' + kind;
    result.dataset.outcome = kind;
    result.replaceChildren(el('p', 'headline', headline));
    if (body.platform_response) {
      const details = el('details');
      details.open = kind === 'success';
      details.append(el('summary', null, 'Platform response'), el('pre', null, JSON.stringify(body.platform_response, null, 2)));
      result.append(details);
    }
    if (error && kind !== 'conflict') {
      result.append(el('p', 'error-code', 'Code: ' + error.code));
    }
    card.dataset.decided = 'true';
    card.classList.add('decided', kind);
    card.querySelector('.decision').hidden = true;
    const select = card.querySelector('.select');
    if (select) {
      select.checked = false;
      select.hidden = true;
    }
    const editor = card.querySelector('.edit-area');
    if (editor) {
      editor.hidden = true;
    }
    const dismiss = el('button', 'secondary dismiss', 'Dismiss');
    dismiss.type = 'button';
    dismiss.setAttribute('aria-describedby', 'title-' + card.dataset.id);
    dismiss.addEventListener('click', () => {
      const next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      $('pending-empty').hidden = $('pending-list').children.length > 0;
      $('unknown').hidden = $('unknown-list').children.length === 0;
      (next ? next.querySelector('button') : $('main')).focus();
    });
    result.append(dismiss);
    card.classList.remove('current');
    if (!many) {
      dismiss.focus();
    }
  }

  // ------------------------------------------------------------------ recent decisions and counts

  function renderRecent(items) {
    const decided = items.filter((i) => i.decided_by).slice(0, RECENT_SHOWN);
    const list = $('recent-list');
    list.replaceChildren();
    for (const item of decided) {
      const request = item.request || {};
      const li = el('li', 'recent-item ' + (item.status || ''));
      li.dataset.id = item.engagement_id;
      const head = el('p', 'recent-head');
      head.append(el('span', 'badge ' + (item.status || ''), item.decision || item.status),
        ' ', el('strong', null, (request.action || '') + ' on ' + (request.platform || '')),
        ' ', el('span', 'target', request.target || ''));
      li.append(head);
      const meta = el('p', 'recent-meta');
      meta.append('by ', el('span', 'who', item.decided_by), ' · ', timeElement(item.updated_at),
        ' · ', el('span', 'outcome', outcomeText(item)));
      li.append(meta);
      list.append(li);
    }
    $('recent-empty').hidden = decided.length > 0;
  }

  function outcomeText(item) {
    const result = item.result || {};
    if (result.status === 'success') {
      return 'executed';
    }
    if (result.error) {
      return result.error.code;
    }
    return item.state || item.status || '';
  }

  function renderStats(stats) {
    const rows = new Map();
    for (const c of stats.counts || []) {
      const row = rows.get(c.platform) || { success: 0, pending: 0, failed: 0 };
      row[c.status] = (row[c.status] || 0) + c.count;
      rows.set(c.platform, row);
    }
    const body = $('stats-body');
    body.replaceChildren();
    const totals = { success: 0, pending: 0, failed: 0 };
    for (const platform of Array.from(rows.keys()).sort()) {
      const row = rows.get(platform);
      body.append(statsRow(platform, row, 'td'));
      Object.keys(totals).forEach((k) => { totals[k] += row[k] || 0; });
    }
    const total = statsRow('All', totals, 'td');
    total.className = 'total';
    body.append(total);
  }

  function statsRow(label, row, cell) {
    const tr = el('tr');
    const th = el('th', null, label);
    th.scope = 'row';
    tr.append(th);
    let sum = 0;
    for (const k of ['success', 'pending', 'failed']) {
      const n = row[k] || 0;
      sum += n;
      tr.append(el(cell, 'num ' + k, n));
    }
    tr.append(el(cell, 'num', sum));
    return tr;
  }

  // ------------------------------------------------------------------ start

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut('Signed out.'));
    $('refresh').addEventListener('click', refresh);
    $('approve-selected').addEventListener('click', () => decideSelected('approve'));
    $('reject-selected').addEventListener('click', () => decideSelected('reject'));
    $('filters').addEventListener('change', () => {
      pagesWanted = 1;
      // another filter is another list, rebuilt in its own order (results shown so far go with the old one)
      $('pending-list').replaceChildren();
      updateSelection();
      refresh();
    });
    $('filters').addEventListener('submit', (event) => event.preventDefault());
    document.addEventListener('keydown', onKey);
    $('pending-more').addEventListener('click', () => {
      pagesWanted++;
      refresh();
    });
    $('reviewer-name').value = sessionStorage.getItem(NAME_KEY) || '';
    $('refresh-hint').textContent = REFRESH_SECONDS > 0
      ? 'Newest first. The list refreshes by itself every ' + REFRESH_SECONDS + ' seconds.'
      : 'Newest first. The list refreshes after each decision and when you press Refresh.';
    if (sessionStorage.getItem(TOKEN_KEY)) {
      showConsole();
    } else {
      $('token').focus();
    }
  });
}());
