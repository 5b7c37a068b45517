// The chat page's script: asks POST /api/ask/stream and shows the answer as it streams,
// then the final answer with its sources. No framework, nothing loaded from elsewhere.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const askForm = $('ask-form');
  const input = $('question');
  const send = $('send');
  const log = $('log');
  const tokenForm = $('token-form');
  const TOKEN_KEY = 'kenmin-bot-token';
  const CONVERSATION_KEY = 'kenmin-bot-conversation';
  let waitingForToken = null; // a question asked before the access key was given
  let busy = false;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // sessionStorage: the key lives as long as the tab, and throws in some private modes.
  const readToken = () => { try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; } };
  const saveToken = (t) => { try { t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY); } catch { /* kept for this page only */ } };
  let token = readToken();

  // One conversation per tab: the server keeps its turns under this id, so that a follow-up
  // (「それはいつから？」) is read against the questions before it. getRandomValues works on plain
  // http too, where crypto.randomUUID does not.
  const conversationId = (() => {
    try {
      const kept = sessionStorage.getItem(CONVERSATION_KEY);
      if (kept) return kept;
    } catch { /* a fresh id for this page only */ }
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    try { sessionStorage.setItem(CONVERSATION_KEY, id); } catch { /* kept for this page only */ }
    return id;
  })();

  function askForToken(wrongKey) {
    $('token-error').hidden = !wrongKey;
    tokenForm.hidden = false;
    $('token').focus();
  }

  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    saveToken(token);
    tokenForm.hidden = true;
    const question = waitingForToken;
    waitingForToken = null;
    if (question) ask(question); else input.focus();
  });

  async function showPlanVersion(attempt = 0) {
    const target = $('plan-version');
    try {
      const response = await fetch('/readyz', { cache: 'no-store' });
      if (response.ok) {
        const info = await response.json();
        // The plan names itself (its title and revision come from the live index).
        const plan = info.plan && info.plan.title ? `${info.plan.title}${info.plan.revision ? `（${info.plan.revision}）` : ''}` : '';
        if (plan) $('plan-name').textContent = plan;
        target.textContent = `使用中の計画データ: ${plan ? `${plan} ・ ` : ''}${info.planVersion}`;
        target.title = `build ${info.build}`;
        return;
      }
      target.textContent = '計画データを読み込み中です…';
    } catch {
      target.textContent = 'サーバーに接続できません。';
    }
    if (attempt < 40) setTimeout(() => showPlanVersion(attempt + 1), 3000);
  }

  function newTurn(question) {
    const turn = el('article', 'turn');
    turn.append(el('p', 'question', question));
    const body = el('div', 'answer');
    const text = el('p', 'answer-text pending', '考えています…');
    body.append(text);
    turn.append(body);
    log.append(turn);
    turn.scrollIntoView({ block: 'nearest' });
    return { body, text };
  }

  function showAnswer({ body, text }, result) {
    text.className = 'answer-text';
    text.textContent = result.answer;
    if (result.abstained) {
      const note = el('div', 'note-abstained');
      note.setAttribute('role', 'note');
      note.append(el('p', 'note-label', '計画には書かれていない内容です'), text);
      body.prepend(note);
    }
    if (result.sources.length) {
      const sources = el('section', 'sources');
      sources.append(el('h3', '', '根拠（計画の該当箇所）'));
      const list = el('ol');
      for (const source of result.sources) {
        const item = el('li');
        const details = el('details');
        details.append(el('summary', '', '引用を読む'), el('blockquote', '', source.text));
        item.append(el('p', 'source-section', source.section), details);
        list.append(item);
      }
      sources.append(list);
      body.append(sources);
    }
    const how = result.abstained ? '' : result.mode === 'llm' ? 'AIが計画の該当箇所から要約・' : '計画本文からの抜粋・';
    body.append(el('p', 'meta', `${how}${(result.ms / 1000).toFixed(1)} 秒`));
  }

  function showError({ body, text }, message) {
    text.remove();
    const error = el('p', 'error', message);
    body.append(error);
  }

  // Server-sent events over fetch (EventSource cannot POST or send a header): blocks end with a blank line.
  async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5);
        }
        if (data) onEvent(event, JSON.parse(data));
      }
    }
  }

  async function ask(question) {
    if (busy) return;
    if (document.body.dataset.token === 'required' && !token) {
      waitingForToken = question;
      return askForToken(false);
    }
    busy = true;
    send.disabled = true;
    log.setAttribute('aria-busy', 'true'); // screen readers read the answer once, when complete
    const turn = newTurn(question);
    try {
      const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch('/api/ask/stream', { method: 'POST', headers, body: JSON.stringify({ question, conversationId }) });
      if (response.status === 401) {
        turn.body.parentElement.remove();
        const wrongKey = Boolean(token);
        token = '';
        saveToken('');
        waitingForToken = question;
        return askForToken(wrongKey);
      }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        return showError(turn, problem.message || `エラーが起きました（${response.status}）。`);
      }
      let streamed = '';
      let finished = false;
      await readEvents(response, (event, data) => {
        if (event === 'delta') {
          streamed += data;
          turn.text.className = 'answer-text';
          turn.text.textContent = streamed;
        } else if (event === 'done') {
          finished = true;
          showAnswer(turn, data); // the final text replaces the deltas: it may differ after a fallback
        } else if (event === 'error') {
          finished = true;
          showError(turn, data.message);
        }
      });
      if (!finished) showError(turn, '回答が途中で途切れました。もう一度お試しください。');
    } catch {
      showError(turn, 'サーバーに接続できませんでした。通信状態を確かめて、もう一度お試しください。');
    } finally {
      busy = false;
      send.disabled = false;
      log.setAttribute('aria-busy', 'false');
    }
  }

  askForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || busy) return;
    input.value = '';
    ask(question);
  });

  for (const button of document.querySelectorAll('button.example')) {
    button.addEventListener('click', () => ask(button.textContent));
  }

  if (document.body.dataset.token === 'required' && !token) askForToken(false);
  showPlanVersion();
})();
