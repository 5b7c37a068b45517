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
  const announcer = $('announce');
  let waitingForToken = null; // a question asked before the access key was given
  let busy = false;
  let lastTurn = null;

  // A card shows the answer first, then at most this many sources: past the third they are
  // mostly the plan's general pages (体系図, 財政基盤), and on a phone each one costs a screen.
  const MAX_SOURCES = 3;
  // A pasted page of text is echoed by its start: the card is for the answer.
  const MAX_ECHO_CHARS = 120;

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

  /** The question as echoed on its card: its start, and how long it was, when it is long. */
  function echoOf(question) {
    const chars = Array.from(question);
    return chars.length <= MAX_ECHO_CHARS ? question : `${chars.slice(0, MAX_ECHO_CHARS).join('')}…（全${chars.length}文字）`;
  }

  /**
   * Scrolls so that the turn's start (its question, then the answer's first line) is at the top
   * of what is visible. scrollIntoView({block:'nearest'}) left a new answer below the fixed
   * question box; on a phone the on-screen keyboard covers more, and only visualViewport knows
   * how much (MDN: VisualViewport).
   */
  function reveal(turn) {
    if (!turn || !turn.isConnected) return;
    const top = window.visualViewport ? window.visualViewport.offsetTop : 0;
    window.scrollBy({ top: turn.getBoundingClientRect().top - top - 8, behavior: 'auto' });
  }
  // The keyboard opening or closing changes the visible area: keep the latest answer's start in it.
  if (window.visualViewport) window.visualViewport.addEventListener('resize', () => { if (document.activeElement === input) reveal(lastTurn); });

  function newTurn(question) {
    const turn = el('article', 'turn');
    const echo = el('p', 'question', echoOf(question));
    if (echo.textContent !== question) echo.title = question;
    turn.append(echo);
    const body = el('div', 'answer');
    const text = el('p', 'answer-text pending', '考えています…');
    body.append(text);
    turn.append(body);
    log.append(turn);
    lastTurn = turn;
    reveal(turn);
    return { turn, body, text };
  }

  /**
   * The sources a card lists: one per 章・節 (a summary copy of a passage names another section
   * and stays), at most MAX_SOURCES. The extractive answer ends with its source line
   * 「（出典: 第1章 … > (9) …）」; when the list holds that section, the line goes and the list
   * marks the source instead, so that no source is shown twice.
   */
  function cardOf(result) {
    const sources = [];
    for (const source of result.sources) {
      if (sources.length < MAX_SOURCES && !sources.some((s) => s.section === source.section || s.text === source.text)) sources.push(source);
    }
    let answer = result.answer;
    let cited = -1;
    const line = /\n?（出典: ([^）\n]+)）\s*$/.exec(answer);
    if (line) {
      const last = line[1].split(' > ').pop();
      cited = sources.findIndex((s) => s.section.split(' > ').pop() === last);
      if (cited >= 0) answer = answer.slice(0, line.index).trimEnd();
    }
    return { answer, sources, cited };
  }

  function showAnswer({ turn, body, text }, result) {
    const card = cardOf(result);
    text.className = 'answer-text';
    text.textContent = card.answer;
    if (result.abstained) {
      const note = el('div', 'note-abstained');
      note.setAttribute('role', 'note');
      note.append(el('p', 'note-label', '計画には書かれていない内容です'), text);
      body.prepend(note);
    }
    if (card.sources.length) {
      const sources = el('section', 'sources');
      sources.append(el('h3', '', '根拠（計画の該当箇所）'));
      const list = el('ol');
      for (const [i, source] of card.sources.entries()) {
        const item = el('li');
        const details = el('details');
        details.append(el('summary', '', '引用を読む'), el('blockquote', '', source.text));
        const section = el('p', 'source-section', source.section);
        if (i === card.cited) section.append(el('span', 'cited', '回答の出典'));
        item.append(section, details);
        list.append(item);
      }
      sources.append(list);
      body.append(sources);
    }
    const how = result.abstained
      ? ''
      : result.mode === 'curated'
        ? '支援センターが登録した回答・'
        : result.mode === 'llm'
          ? 'AIが計画の該当箇所から要約・'
          : '計画本文からの抜粋・';
    // Milliseconds: an offline answer takes a few, which "0.0 秒" hid.
    body.append(el('p', 'meta', `${how}${Math.max(1, Math.round(result.ms))} ミリ秒`));
    reveal(turn);
    // Read once, complete: the answer, not its sources (the log itself is not a live region).
    announcer.textContent = `${result.abstained ? '計画には書かれていない内容です。' : '回答：'}${card.answer}`;
  }

  function showError({ turn, body, text }, message) {
    text.remove();
    const error = el('p', 'error', message);
    body.append(error);
    reveal(turn);
    announcer.textContent = message;
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
    const turn = newTurn(question);
    try {
      const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch('/api/ask/stream', { method: 'POST', headers, body: JSON.stringify({ question, conversationId }) });
      if (response.status === 401) {
        turn.turn.remove();
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
