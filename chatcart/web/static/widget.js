/*
 * chatcart web chat widget
 * ========================
 *
 * Embed with:
 *   <script src="https://shop.example/static/widget.js" data-workspace="demo" defer></script>
 * The full contract (attributes and WebSocket protocol) is in docs/widget.md.
 *
 * Why it is built this way:
 * - One plain ES2020 file, no build step and no dependencies: integrators paste a
 *   script tag into any site, and we can read and debug exactly what ships.
 * - Everything lives in an OPEN shadow root on a single <div id="chatcart-widget">:
 *   the host page's CSS cannot break the widget and ours cannot leak into the page,
 *   while tests (Playwright) can still pierce it with CSS selectors.
 * - The server base URL is the origin of this script's own src, so the widget talks
 *   to the chatcart server that served it, even when embedded on another site.
 * - All user-facing strings come from the server's config endpoint (translated
 *   there). The English strings below are only a fallback if that fetch fails.
 * - Message content is untrusted: it is only ever written with textContent, and
 *   links/images are limited to http(s) URLs. No innerHTML anywhere.
 * - The server is the source of truth. Nothing but the visitor id, its session
 *   token and the last seen seq is stored in the browser; the history is rebuilt
 *   from the server's replay.
 * - The server says who the visitor is: it mints the visitor id with a signed
 *   session token (POST /session), and every socket proves itself by sending that
 *   token in its first frame. Nothing identifying travels in a URL.
 *   The customer's own messages are rendered from the server's echo (so other tabs
 *   and replays agree); while a typed message is not echoed yet it shows as a faded
 *   "pending" bubble, matched to its echo by the frame id the echo carries.
 * - Delivery is at-least-once: every client frame has a uuid and stays in an
 *   in-memory outbox until acknowledged; it is resent with the same id after a
 *   reconnect and the server drops duplicates.
 *
 * - The file is pure ASCII (non-ASCII characters are written as \u escapes), so it
 *   decodes correctly even when a host page or CDN serves it without a charset.
 *
 * Layout of this file: constants, small pure helpers, storage, config loading,
 * the connection (socket + outbox + back-off), DOM building, message rendering,
 * and finally the widget controller that wires them together.
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------
  // Constants
  // ---------------------------------------------------------------------------

  const HOST_ID = 'chatcart-widget';
  const CONFIG_PATH = '/channels/webchat/config';
  const SOCKET_PATH = '/channels/webchat/ws';
  const SESSION_PATH = '/channels/webchat/session';
  const CLOSE_NO_SESSION = 4401; // the server did not accept our session token
  const CONFIG_TIMEOUT_MS = 5000;
  const RETRY_INITIAL_MS = 500;
  const RETRY_MAX_MS = 10000;
  const STABLE_CONNECTION_MS = 3000; // a connection that lived this long resets the back-off
  const ACK_TIMEOUT_MS = 15000; // no ack at all for this long: assume a dead socket, reconnect
  const TYPING_TIMEOUT_MS = 30000; // hide a typing indicator the server forgot to turn off
  const NEAR_BOTTOM_PX = 80;

  // Used only when the config endpoint cannot be reached.
  const FALLBACK_STRINGS = {
    title: 'Chat',
    placeholder: 'Type a message\u2026',
    invite: 'Questions? Chat with us!',
    send: 'Send',
    open: 'Open chat',
    close: 'Close chat',
    offline: 'Connection lost. Reconnecting\u2026',
    person: 'Talk to a person',
  };
  const STRING_KEYS = Object.keys(FALLBACK_STRINGS);
  const RTL_LANG = /^(ar|arc|ckb|dv|fa|he|ps|sd|ug|ur|yi)\b/i;

  // ---------------------------------------------------------------------------
  // Small pure helpers
  // ---------------------------------------------------------------------------

  /** Create an element: el('a', {class: 'x', href, text: 'hi', onclick: fn}, [children]). */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of [].concat(children)) if (child) node.append(child);
    return node;
  }

  /** A tiny inline SVG icon built from path data (no innerHTML). */
  function icon(pathData, { stroke = false } = {}) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '24');
    svg.setAttribute('height', '24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', pathData);
    if (stroke) {
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '2');
      path.setAttribute('stroke-linecap', 'round');
    } else {
      path.setAttribute('fill', 'currentColor');
    }
    svg.append(path);
    return svg;
  }
  const ICON_CHAT = 'M5 4h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-4 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
  const ICON_SEND = 'M3 20l18-8L3 4v6l12 2-12 2z';

  /** A v4 uuid. crypto.randomUUID exists only in secure contexts, so fall back. */
  function newId() {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Resolve a URL from a message; only http(s) is allowed (no javascript:, data:, ...). */
  function safeUrl(value, base) {
    if (typeof value !== 'string' || value.trim() === '') return null;
    try {
      const url = new URL(value, base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function asList(value) {
    return Array.isArray(value) ? value.filter((item) => item && typeof item === 'object') : [];
  }

  function hasText(value) {
    return typeof value === 'string' && value.trim() !== '';
  }

  function formatPrice(price, currency, lang) {
    if (price == null || price === '') return '';
    const amount = Number(price);
    if (!Number.isFinite(amount) || !currency) return [price, currency].filter(Boolean).join(' ');
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount);
    } catch {
      return `${price} ${currency}`;
    }
  }

  function parseFrame(data) {
    if (typeof data !== 'string') return null;
    try {
      const frame = JSON.parse(data);
      return frame && typeof frame === 'object' && typeof frame.type === 'string' ? frame : null;
    } catch {
      return null;
    }
  }

  function isRtl(lang) {
    return RTL_LANG.test(lang || '');
  }

  // ---------------------------------------------------------------------------
  // Storage (localStorage/sessionStorage may throw: blocked cookies, sandboxed iframes)
  // ---------------------------------------------------------------------------

  function makeStore(getArea) {
    const memory = new Map();
    return {
      get(key) {
        try {
          return getArea().getItem(key);
        } catch {
          return memory.has(key) ? memory.get(key) : null;
        }
      },
      set(key, value) {
        try {
          getArea().setItem(key, String(value));
        } catch {
          memory.set(key, String(value));
        }
      },
      remove(key) {
        memory.delete(key);
        try {
          getArea().removeItem(key);
        } catch {
          /* memory only */
        }
      },
    };
  }
  const localStore = makeStore(() => window.localStorage);
  const sessionStore = makeStore(() => window.sessionStorage);

  function visitorKey(workspace) {
    return `chatcart.visitor.${workspace}`;
  }
  function seqKey(workspace) {
    return `chatcart.seq.${workspace}`;
  }
  function inviteDismissedKey(workspace) {
    return `chatcart.invite-dismissed.${workspace}`;
  }

  function tokenKey(workspace) {
    return `chatcart.token.${workspace}`;
  }

  /** The stored {visitor, token}, or null: a visitor id without its token proves nothing. */
  function loadSession(workspace) {
    const visitor = localStore.get(visitorKey(workspace));
    const token = localStore.get(tokenKey(workspace));
    return visitor && token ? { visitor, token } : null;
  }

  function forgetSession(workspace) {
    localStore.remove(visitorKey(workspace));
    localStore.remove(tokenKey(workspace));
    localStore.remove(seqKey(workspace)); // the seq belonged to the forgotten visitor
  }

  /**
   * Ask the server for a new visitor id and its session token, and keep them.
   * Rejects with {fatal: true} when retrying cannot help (unknown workspace).
   */
  async function requestSession(base, workspace) {
    const url = new URL(SESSION_PATH, base);
    url.searchParams.set('workspace', workspace);
    // No body and no custom header: a "simple" cross-origin request, no preflight.
    const response = await fetch(url, { method: 'POST', credentials: 'omit' });
    if (response.status === 404) throw Object.assign(new Error('unknown workspace'), { fatal: true });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    if (!hasText(data.visitor) || !hasText(data.token)) throw new Error('malformed session');
    forgetSession(workspace);
    localStore.set(visitorKey(workspace), data.visitor);
    localStore.set(tokenKey(workspace), data.token);
    return { visitor: data.visitor, token: data.token };
  }

  function readStoredSeq(workspace) {
    const seq = Number(localStore.get(seqKey(workspace)));
    return Number.isFinite(seq) && seq > 0 ? seq : 0;
  }

  function storeSeq(workspace, seq) {
    // Another tab may have stored a higher seq meanwhile: never go backwards.
    if (seq > readStoredSeq(workspace)) localStore.set(seqKey(workspace), seq);
  }

  // ---------------------------------------------------------------------------
  // Settings and config
  // ---------------------------------------------------------------------------

  function findOwnScript() {
    return (
      document.currentScript ||
      document.querySelector('script[data-workspace][src*="widget.js"]')
    );
  }

  function readSettings(script) {
    const data = script.dataset;
    const inviteAfter = data.inviteAfter == null || data.inviteAfter === '' ? NaN : Number(data.inviteAfter);
    let base = window.location.origin;
    try {
      if (script.src) base = new URL(script.src, window.location.href).origin;
    } catch {
      /* keep the page origin */
    }
    return {
      workspace: (data.workspace || '').trim(),
      lang: (data.lang || navigator.language || 'en').trim(),
      inviteAfter: Number.isFinite(inviteAfter) && inviteAfter >= 0 ? inviteAfter : null,
      product: (data.contextProduct || '').trim() || null,
      base,
    };
  }

  /** Fetch the translated UI strings; resolves with fallbacks instead of failing. */
  async function loadConfig(settings) {
    const url = new URL(CONFIG_PATH, settings.base);
    url.searchParams.set('workspace', settings.workspace);
    url.searchParams.set('lang', settings.lang);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), CONFIG_TIMEOUT_MS);
    try {
      const response = await fetch(url, { signal: controller.signal, credentials: 'omit' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      const strings = {};
      for (const key of STRING_KEYS) strings[key] = hasText(data[key]) ? data[key] : FALLBACK_STRINGS[key];
      const lang = hasText(data.lang) ? data.lang : settings.lang;
      return { strings, uiLang: lang, lang };
    } catch (err) {
      console.warn('[chatcart] could not load widget config, using fallback strings:', err);
      // The UI is in English, but the server still gets the visitor's language.
      return { strings: { ...FALLBACK_STRINGS }, uiLang: 'en', lang: settings.lang };
    } finally {
      clearTimeout(timer);
    }
  }

  function whenBodyReady() {
    if (document.body) return Promise.resolve();
    return new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  }

  // ---------------------------------------------------------------------------
  // Connection: one WebSocket, an outbox of unacknowledged frames, back-off
  // ---------------------------------------------------------------------------

  /**
   * createConnection({buildUrl, hello, onRefused, onFrame, onOnline, onOffline}) ->
   *   {ensure(), send(frame), reconnectNow()}
   * buildUrl() is called on every (re)connect so it can carry the latest `after`.
   * hello() resolves with the socket's first frame (the session token); it rejects
   * with {fatal: true} when no session can ever be had.
   * onRefused(code) is asked about a 4400-4499 close: true means "retry anyway".
   */
  function createConnection({ buildUrl, hello, onRefused, onFrame, onOnline, onOffline }) {
    const outbox = new Map(); // id -> frame; Map keeps insertion order for resending
    let socket = null;
    let wanted = false;
    let stopped = false; // the server refused us for good (close code 4400-4499)
    let attempt = 0;
    let retryTimer = null;
    let ackTimer = null;
    let openedAt = 0;
    let preparing = false; // waiting for hello() before opening a socket

    function isOpen() {
      return socket !== null && socket.readyState === WebSocket.OPEN;
    }

    function ensure() {
      wanted = true;
      if (!socket && !retryTimer && !stopped && !preparing) connect();
    }

    async function connect() {
      clearTimeout(retryTimer);
      retryTimer = null;
      preparing = true;
      let first;
      try {
        first = await hello();
      } catch (err) {
        preparing = false;
        console.warn('[chatcart] cannot start a chat session:', err);
        onOffline();
        if (err && err.fatal) stopped = true;
        else scheduleRetry();
        return;
      }
      preparing = false;
      let ws;
      try {
        ws = new WebSocket(buildUrl());
      } catch (err) {
        console.warn('[chatcart] cannot open WebSocket:', err);
        scheduleRetry();
        return;
      }
      socket = ws;
      ws.onopen = () => handleOpen(ws, first);
      ws.onmessage = (event) => handleMessage(event.data);
      ws.onclose = (event) => handleClose(ws, event.code);
      // 'error' is always followed by 'close'; reconnection is handled there.
    }

    function handleOpen(ws, first) {
      if (socket !== ws) return;
      openedAt = Date.now();
      onOnline();
      ws.send(JSON.stringify(first)); // the session token, before anything else
      for (const frame of outbox.values()) transmit(frame);
    }

    function handleMessage(data) {
      const frame = parseFrame(data);
      if (!frame) return;
      if ((frame.type === 'ack' || frame.type === 'error') && frame.id != null) {
        // An error carrying an id means the server rejected that frame for good.
        outbox.delete(frame.id);
        restartAckWatchdog();
      }
      onFrame(frame);
    }

    function handleClose(ws, code) {
      if (socket !== ws) return;
      socket = null;
      clearTimeout(ackTimer);
      ackTimer = null;
      if (openedAt && Date.now() - openedAt >= STABLE_CONNECTION_MS) attempt = 0;
      openedAt = 0;
      onOffline();
      if (code >= 4400 && code < 4500 && !onRefused(code)) {
        stopped = true; // e.g. unknown workspace: retrying cannot help
        return;
      }
      if (wanted) scheduleRetry();
    }

    function scheduleRetry() {
      const base = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** attempt);
      const delay = Math.min(RETRY_MAX_MS, base * (0.75 + Math.random() * 0.5)); // +/-25 % jitter
      attempt += 1;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, delay);
    }

    /** Skip the back-off wait (browser came back online, tab became visible). */
    function reconnectNow() {
      if (!wanted || stopped || socket || preparing) return;
      attempt = 0;
      connect();
    }

    function transmit(frame) {
      socket.send(JSON.stringify(frame));
      if (!ackTimer) restartAckWatchdog();
    }

    /** If frames stay unacknowledged too long, the socket is probably half-dead. */
    function restartAckWatchdog() {
      clearTimeout(ackTimer);
      ackTimer = null;
      if (outbox.size === 0 || !isOpen()) return;
      ackTimer = setTimeout(() => {
        ackTimer = null;
        if (outbox.size > 0 && isOpen()) socket.close(4000, 'ack timeout');
      }, ACK_TIMEOUT_MS);
    }

    function send(frame) {
      outbox.set(frame.id, frame);
      if (isOpen()) transmit(frame);
      else ensure();
    }

    return { ensure, send, reconnectNow };
  }

  // ---------------------------------------------------------------------------
  // Styles (scoped by the shadow root)
  // ---------------------------------------------------------------------------

  const STYLES = `
    :host { all: initial; }
    *, *::before, *::after { box-sizing: border-box; }
    [hidden] { display: none !important; }
    .root {
      --accent: var(--chatcart-accent, #2563eb);
      --accent-text: var(--chatcart-accent-text, #ffffff);
      --surface: #ffffff;
      --muted: #f3f4f6;
      --border: #e5e7eb;
      --text: #111827;
      --subtle: #6b7280;
      font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang TC",
        "Microsoft JhengHei", "Hiragino Sans", sans-serif;
      color: var(--text);
    }
    button, textarea { font: inherit; color: inherit; }
    button { cursor: pointer; }
    :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

    .launcher {
      position: fixed; right: 20px; bottom: calc(20px + env(safe-area-inset-bottom, 0px));
      z-index: 2147483000; width: 56px; height: 56px; border: 0; border-radius: 50%;
      display: grid; place-items: center;
      background: var(--accent); color: var(--accent-text);
      box-shadow: 0 6px 20px rgba(0, 0, 0, .22);
    }
    .unread {
      position: absolute; top: 4px; right: 4px; width: 14px; height: 14px; border-radius: 50%;
      background: #ef4444; border: 2px solid #ffffff;
    }

    .invite {
      position: fixed; right: 20px; bottom: calc(88px + env(safe-area-inset-bottom, 0px));
      z-index: 2147483000; max-width: min(280px, calc(100vw - 40px));
      padding-block: 10px; padding-inline: 14px 34px; border-radius: 14px; cursor: pointer;
      background: var(--surface); box-shadow: 0 6px 24px rgba(0, 0, 0, .18);
    }
    .invite-text { border: 0; padding: 0; background: none; text-align: start; }
    .invite-close {
      position: absolute; top: 4px; inset-inline-end: 4px; width: 26px; height: 26px;
      border: 0; border-radius: 50%; background: none; color: var(--subtle); font-size: 18px; line-height: 1;
    }

    .panel {
      position: fixed; right: 20px; bottom: calc(88px + env(safe-area-inset-bottom, 0px));
      z-index: 2147483001; width: 370px; height: 560px; max-height: calc(100vh - 108px);
      display: flex; flex-direction: column; overflow: hidden;
      background: var(--surface); border-radius: 16px; box-shadow: 0 12px 40px rgba(0, 0, 0, .25);
    }
    @media (max-width: 479.98px) {
      .panel { inset: 0; width: 100%; height: 100%; max-height: none; border-radius: 0; }
    }
    .header {
      display: flex; align-items: center; gap: 8px; padding: 12px 8px 12px 16px;
      background: var(--accent); color: var(--accent-text);
    }
    .title { flex: 1; margin: 0; font-size: 16px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .icon-button {
      width: 36px; height: 36px; border: 0; border-radius: 50%; display: grid; place-items: center;
      background: transparent; color: inherit;
    }
    .person-button {
      border: 1px solid currentColor; border-radius: 999px; padding: 4px 10px; font: inherit; font-size: 13px;
      background: transparent; color: inherit; cursor: pointer; white-space: nowrap;
    }
    .status { padding: 4px 12px; font-size: 12px; text-align: center; background: #fef3c7; color: #92400e; }

    .scroller { flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 12px; }
    .log, .pending-box { display: flex; flex-direction: column; gap: 6px; }
    .pending-box:not(:empty) { margin-top: 6px; }

    .msg { max-width: 82%; align-self: flex-start; display: flex; flex-direction: column; gap: 6px; }
    .msg.in { align-self: flex-end; align-items: flex-end; }
    .msg.wide { max-width: 100%; align-self: stretch; }
    .msg.wide > .text { align-self: flex-start; max-width: 82%; }
    .text {
      padding: 8px 12px; border-radius: 16px; background: var(--muted);
      white-space: pre-wrap; overflow-wrap: anywhere;
    }
    .msg.in .text { background: var(--accent); color: var(--accent-text); }
    .msg.pending .text { opacity: .55; }
    .image { display: block; max-width: 100%; max-height: 260px; border-radius: 12px; }
    .system { align-self: center; max-width: 90%; font-size: 12px; color: var(--subtle); text-align: center; }

    .buttons { display: flex; flex-direction: column; gap: 4px; }
    .btn {
      display: block; padding: 7px 12px; border: 1px solid var(--accent); border-radius: 10px;
      background: var(--surface); color: var(--accent); text-align: center; text-decoration: none;
    }
    .btn:disabled { opacity: .5; cursor: default; }

    .cards {
      display: flex; gap: 8px; overflow-x: auto; padding-bottom: 4px;
      scroll-snap-type: x mandatory; overscroll-behavior-x: contain;
    }
    .card {
      flex: 0 0 72%; scroll-snap-align: start; display: flex; flex-direction: column;
      border: 1px solid var(--border); border-radius: 12px; overflow: hidden; background: var(--surface);
    }
    .card-image { display: block; }
    .card-image img { display: block; width: 100%; aspect-ratio: 4 / 3; object-fit: cover; background: var(--muted); }
    .card-info { display: flex; flex-direction: column; gap: 4px; padding: 8px 10px 10px; flex: 1; }
    .card-title { font-weight: 600; color: inherit; text-decoration: none; }
    a.card-title:hover { text-decoration: underline; }
    .card-subtitle { font-size: 13px; color: var(--subtle); }
    .card-price { font-weight: 600; }
    .card .buttons { margin-top: auto; padding-top: 4px; }

    .chips { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 6px; }
    .chips:not(:empty) { margin-top: 8px; }
    .chip {
      padding: 6px 12px; border: 1px solid var(--accent); border-radius: 999px;
      background: var(--surface); color: var(--accent);
    }

    .typing {
      display: inline-flex; gap: 4px; margin-top: 6px; padding: 10px 12px;
      border-radius: 16px; background: var(--muted);
    }
    .typing span { width: 7px; height: 7px; border-radius: 50%; background: var(--subtle); animation: chatcart-dot 1.2s infinite ease-in-out; }
    .typing span:nth-child(2) { animation-delay: .15s; }
    .typing span:nth-child(3) { animation-delay: .3s; }
    @keyframes chatcart-dot { 0%, 60%, 100% { opacity: .3; transform: translateY(0); } 30% { opacity: 1; transform: translateY(-3px); } }
    @media (prefers-reduced-motion: reduce) { .typing span { animation: none; opacity: .6; } }

    .composer {
      display: flex; align-items: flex-end; gap: 8px; padding: 8px 8px 8px 12px;
      padding-bottom: calc(8px + env(safe-area-inset-bottom, 0px));
      border-top: 1px solid var(--border);
    }
    .input {
      flex: 1; resize: none; max-height: 120px; padding: 8px 10px; border: 1px solid var(--border);
      border-radius: 12px; background: var(--surface); line-height: 1.4;
      font-size: 16px; /* 16px stops iOS from zooming the page on focus */
    }
    .send {
      width: 40px; height: 40px; flex: none; border: 0; border-radius: 50%; display: grid; place-items: center;
      background: var(--accent); color: var(--accent-text);
    }
    .root[dir="rtl"] .send svg { transform: scaleX(-1); }
  `;

  // ---------------------------------------------------------------------------
  // DOM building
  // ---------------------------------------------------------------------------

  /** Build the whole widget inside a shadow root; returns references to its parts. */
  function buildDom(strings, uiLang) {
    const host = el('div', { id: HOST_ID });
    const shadow = host.attachShadow({ mode: 'open' });
    const dir = isRtl(uiLang) ? 'rtl' : 'ltr';

    const unread = el('span', { class: 'unread', 'data-testid': 'chatcart-unread', hidden: true });
    const launcherIcon = el('span', {}, [icon(ICON_CHAT)]);
    const launcher = el(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'data-testid': 'chatcart-launcher',
        'aria-label': strings.open,
        title: strings.open,
        'aria-expanded': 'false',
        'aria-controls': 'chatcart-panel',
      },
      [launcherIcon, unread],
    );

    const inviteText = el('button', { type: 'button', class: 'invite-text', text: strings.invite });
    const inviteClose = el('button', {
      type: 'button',
      class: 'invite-close',
      'data-testid': 'chatcart-invite-close',
      'aria-label': strings.close,
      text: '\u00d7' /* multiplication sign */,
    });
    const invite = el('div', { class: 'invite', 'data-testid': 'chatcart-invite', lang: uiLang, dir, hidden: true }, [
      inviteText,
      inviteClose,
    ]);

    const closeButton = el(
      'button',
      { type: 'button', class: 'icon-button', 'aria-label': strings.close, title: strings.close },
      [icon(ICON_CLOSE, { stroke: true })],
    );
    // A person is always one tap away, whatever the bot last said.
    const personButton = el('button', {
      type: 'button', class: 'person-button', 'data-testid': 'chatcart-person', text: strings.person,
    });
    const header = el('div', { class: 'header' }, [
      el('h2', { class: 'title', text: strings.title }), personButton, closeButton,
    ]);
    const status = el('div', { class: 'status', 'data-testid': 'chatcart-status', role: 'status', hidden: true });

    const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite' });
    const chips = el('div', { class: 'chips' });
    const pendingBox = el('div', { class: 'pending-box' });
    const typing = el('div', { class: 'typing', 'data-testid': 'chatcart-typing', 'aria-hidden': 'true', hidden: true }, [
      el('span'),
      el('span'),
      el('span'),
    ]);
    const scroller = el('div', { class: 'scroller' }, [log, chips, pendingBox, typing]);

    const input = el('textarea', {
      class: 'input',
      rows: 1,
      'data-testid': 'chatcart-input',
      placeholder: strings.placeholder,
      'aria-label': strings.placeholder,
      enterkeyhint: 'send',
    });
    const sendButton = el(
      'button',
      { type: 'submit', class: 'send', 'data-testid': 'chatcart-send', 'aria-label': strings.send, title: strings.send },
      [icon(ICON_SEND)],
    );
    const composer = el('form', { class: 'composer' }, [input, sendButton]);

    const panel = el(
      'div',
      {
        id: 'chatcart-panel',
        class: 'panel',
        'data-testid': 'chatcart-panel',
        role: 'dialog',
        'aria-label': strings.title,
        lang: uiLang,
        dir,
        hidden: true,
      },
      [header, status, scroller, composer],
    );

    const root = el('div', { class: 'root', dir }, [panel, invite, launcher]);
    shadow.append(el('style', { text: STYLES }), root);

    return {
      host, launcher, launcherIcon, unread, invite, inviteClose, panel, closeButton, personButton, status,
      scroller, log, chips, pendingBox, typing, composer, input, sendButton,
    };
  }

  // ---------------------------------------------------------------------------
  // Message rendering (pure DOM construction; actions are passed in)
  // ---------------------------------------------------------------------------

  /**
   * createRenderer({base, lang, onPostback, onQuickReply, onMediaLoad})
   *   -> {message(direction, m, seq), pending(text), quickReplies(list), system(text)}
   * onPostback(payload, title) runs when a button with a payload is tapped,
   * onQuickReply(reply) when a chip is tapped, onMediaLoad when an image has loaded.
   */
  function createRenderer({ base, lang, onPostback, onQuickReply, onMediaLoad }) {
    function linkOrBox(child, href, className) {
      if (!href) return el('div', { class: className }, [child]);
      return el('a', { class: className, href, target: '_blank', rel: 'noopener' }, [child]);
    }

    function image(src, alt) {
      const hideBroken = (event) => {
        event.target.hidden = true;
      };
      return el('img', { src, alt: alt || '', loading: 'lazy', onload: onMediaLoad, onerror: hideBroken });
    }

    function button(spec, testId) {
      const title = String(spec.title ?? '');
      const href = safeUrl(spec.url, base);
      if (href) {
        return el('a', { class: 'btn', href, target: '_blank', rel: 'noopener', 'data-testid': testId, text: title });
      }
      const node = el('button', { type: 'button', class: 'btn', 'data-testid': testId, text: title });
      if (spec.payload != null && spec.payload !== '') {
        node.addEventListener('click', () => onPostback(String(spec.payload), title));
      } else {
        node.disabled = true; // neither a link nor a postback: nothing to do
      }
      return node;
    }

    function buttons(list, testId) {
      return el('div', { class: 'buttons' }, list.map((spec) => button(spec, testId)));
    }

    function card(spec) {
      const href = safeUrl(spec.url, base);
      const node = el('div', { class: 'card', 'data-testid': 'chatcart-card', 'data-product-id': spec.product_id ?? '' });
      const src = safeUrl(spec.image_url, base);
      if (src) {
        const imageLink = linkOrBox(image(src, spec.title), href, 'card-image');
        if (href) imageLink.setAttribute('tabindex', '-1'); // the title link is the keyboard stop
        node.append(imageLink);
      }
      const info = el('div', { class: 'card-info' });
      if (hasText(spec.title)) info.append(linkOrBox(document.createTextNode(spec.title), href, 'card-title'));
      if (hasText(spec.subtitle)) info.append(el('div', { class: 'card-subtitle', text: spec.subtitle }));
      const price = hasText(spec.price_text) ? spec.price_text : formatPrice(spec.price, spec.currency, lang);
      if (price) info.append(el('div', { class: 'card-price', text: price }));
      const cardButtons = asList(spec.buttons);
      if (cardButtons.length) info.append(buttons(cardButtons, 'chatcart-card-button'));
      node.append(info);
      return node;
    }

    /** One bubble for one conversation message; renders whatever parts M carries. */
    function message(direction, m, seq) {
      const node = el('div', {
        class: `msg ${direction}`,
        'data-testid': 'chatcart-msg',
        'data-direction': direction,
        'data-seq': seq,
      });
      if (hasText(m.text)) node.append(el('div', { class: 'text', text: m.text }));
      const src = safeUrl(m.image_url, base);
      if (src) node.append(el('a', { href: src, target: '_blank', rel: 'noopener' }, [image(src, '')]));
      const cards = asList(m.cards);
      if (cards.length) {
        node.classList.add('wide');
        node.append(el('div', { class: 'cards' }, cards.map(card)));
      }
      const messageButtons = asList(m.buttons);
      if (messageButtons.length) node.append(buttons(messageButtons, 'chatcart-button'));
      return node;
    }

    function pending(text) {
      return el('div', { class: 'msg in pending', 'data-testid': 'chatcart-pending', 'data-direction': 'in' }, [
        el('div', { class: 'text', text }),
      ]);
    }

    function quickReplies(list) {
      return asList(list)
        .filter((reply) => hasText(reply.title))
        .map((reply) =>
          el('button', {
            type: 'button',
            class: 'chip',
            'data-testid': 'chatcart-quick-reply',
            text: reply.title,
            onclick: () => onQuickReply(reply),
          }),
        );
    }

    function system(text) {
      return el('div', { class: 'system', 'data-testid': 'chatcart-system', text });
    }

    return { message, pending, quickReplies, system };
  }

  // ---------------------------------------------------------------------------
  // The widget controller
  // ---------------------------------------------------------------------------

  function startWidget(settings, config) {
    const { workspace, product, base } = settings;
    const { strings, uiLang, lang } = config;
    let session = loadSession(workspace);
    let sessionMintedHere = false;
    const dom = buildDom(strings, uiLang);

    const state = {
      isOpen: false,
      openedOnThisPage: false,
      greetingQueued: false,
      renderedSeq: 0, // highest seq rendered on this page; `after` for reconnects
      pending: [], // [{id, text, node, timer}] typed messages not echoed yet
      typingTimer: null,
    };

    const render = createRenderer({
      base,
      lang: uiLang,
      onPostback: sendPostback,
      onQuickReply: (reply) =>
        reply.payload != null && reply.payload !== '' ? sendPostback(String(reply.payload), reply.title) : sendText(reply.title),
      onMediaLoad: () => keepPinnedToBottom(),
    });

    const connection = createConnection({
      buildUrl: socketUrl,
      hello: helloFrame,
      onRefused: retryAfterRefusal,
      onFrame: handleFrame,
      onOnline: () => setStatus(null),
      onOffline: () => {
        setStatus(strings.offline);
        setTyping(false);
      },
    });

    // --- connection -----------------------------------------------------------

    function socketUrl() {
      const url = new URL(SOCKET_PATH, base);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('workspace', workspace);
      url.searchParams.set('lang', lang);
      // First connection on a page: after=0, so the server replays the history we
      // render. Later reconnects only ask for what this page has not rendered yet.
      url.searchParams.set('after', String(state.renderedSeq));
      return url.href;
    }

    /** The socket's first frame; mints a session first if this browser has none. */
    async function helloFrame() {
      // Another tab of this browser may have minted one meanwhile: share it.
      if (!session && !sessionMintedHere) session = loadSession(workspace);
      if (!session) {
        session = await requestSession(base, workspace);
        sessionMintedHere = true;
      }
      return { type: 'hello', token: session.token };
    }

    /**
     * A stored token the server no longer accepts (e.g. its secret changed) is
     * forgotten and a new session minted, once per page; any other 44xx is final.
     */
    function retryAfterRefusal(code) {
      if (code !== CLOSE_NO_SESSION || sessionMintedHere) return false;
      forgetSession(workspace);
      session = null;
      return true;
    }

    function handleFrame(frame) {
      switch (frame.type) {
        case 'ack':
          break; // the outbox already dropped it; the pending bubble waits for its echo
        case 'typing':
          setTyping(frame.on === true);
          break;
        case 'message':
          receiveMessage(frame);
          break;
        case 'error':
          if (frame.id != null) dropPending(frame.id);
          if (hasText(frame.message)) appendToLog(render.system(frame.message));
          break;
        default:
          break; // unknown frame types are ignored so the server can add new ones
      }
    }

    // --- incoming messages ----------------------------------------------------

    function receiveMessage(frame) {
      const seq = Number(frame.seq);
      if (!Number.isFinite(seq) || seq <= state.renderedSeq) return; // replays can overlap
      const m = frame.message && typeof frame.message === 'object' ? frame.message : {};
      const direction = frame.direction === 'in' ? 'in' : 'out';
      const isNew = seq > readStoredSeq(workspace); // not seen on any earlier page view
      state.renderedSeq = seq;
      storeSeq(workspace, seq);

      if (direction === 'in') dropPending(frame.id);
      else setTyping(false);

      const pinned = isNearBottom();
      dom.log.append(render.message(direction, m, seq));
      dom.chips.replaceChildren(...(direction === 'out' ? render.quickReplies(m.quick_replies) : []));
      if (pinned || direction === 'in') scrollToBottom();

      if (direction === 'out' && isNew && !state.isOpen) dom.unread.hidden = false;
    }

    function appendToLog(node) {
      const pinned = isNearBottom();
      dom.log.append(node);
      if (pinned) scrollToBottom();
    }

    function setTyping(on) {
      clearTimeout(state.typingTimer);
      state.typingTimer = on ? setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS) : null;
      const pinned = isNearBottom();
      dom.typing.hidden = !on;
      if (on && pinned) scrollToBottom();
    }

    function setStatus(text) {
      dom.status.textContent = text || '';
      dom.status.hidden = !text;
    }

    // --- scrolling ------------------------------------------------------------

    function isNearBottom() {
      const s = dom.scroller;
      return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
    }

    function scrollToBottom() {
      dom.scroller.scrollTop = dom.scroller.scrollHeight;
    }

    function keepPinnedToBottom() {
      // An image finished loading and grew the log: follow it if we were at the end.
      if (dom.scroller.scrollHeight - dom.scroller.scrollTop - dom.scroller.clientHeight < NEAR_BOTTOM_PX * 4) {
        scrollToBottom();
      }
    }

    // --- outgoing -------------------------------------------------------------

    function sendText(rawText) {
      const text = String(rawText ?? '').trim();
      if (!text) return false;
      const id = newId();
      dom.chips.replaceChildren(); // quick replies vanish once the customer sends anything
      const node = render.pending(text);
      state.pending.push({ id, text, node });
      dom.pendingBox.append(node);
      scrollToBottom();
      connection.send({ type: 'message', id, text });
      return true;
    }

    function sendPostback(payload, title) {
      dom.chips.replaceChildren();
      // Nothing is echoed locally: the server's echo of `title` arrives as an "in" message.
      connection.send({ type: 'postback', id: newId(), payload, title: String(title ?? '') });
    }

    /** The bot greets a brand-new visitor: sent once, on the first open, before any message exists. */
    function maybeSendGreeting() {
      if (state.greetingQueued || state.renderedSeq > 0 || readStoredSeq(workspace) > 0) return;
      state.greetingQueued = true;
      const frame = { type: 'open', id: newId() };
      if (product) frame.product = product;
      connection.send(frame);
    }

    // --- pending bubbles (typed text waiting for the server's echo) ----------

    function dropPending(id) {
      const index = state.pending.findIndex((p) => p.id === id);
      if (index >= 0) dropPendingAt(index);
    }

    function dropPendingAt(index) {
      const [entry] = state.pending.splice(index, 1);
      entry.node.remove();
    }

    // --- panel ----------------------------------------------------------------

    function openPanel() {
      if (state.isOpen) return;
      state.isOpen = true;
      state.openedOnThisPage = true;
      dom.panel.hidden = false;
      dom.unread.hidden = true;
      hideInvite();
      setLauncher(strings.close, ICON_CLOSE, true);
      maybeSendGreeting();
      connection.ensure();
      scrollToBottom();
      requestAnimationFrame(() => dom.input.focus({ preventScroll: true }));
    }

    function closePanel() {
      if (!state.isOpen) return;
      const hadFocus = dom.panel.contains(dom.panel.getRootNode().activeElement);
      state.isOpen = false;
      dom.panel.hidden = true;
      setLauncher(strings.open, ICON_CHAT, false);
      if (hadFocus) dom.launcher.focus();
    }

    function setLauncher(label, iconPath, expanded) {
      dom.launcher.setAttribute('aria-label', label);
      dom.launcher.title = label;
      dom.launcher.setAttribute('aria-expanded', String(expanded));
      dom.launcherIcon.replaceChildren(icon(iconPath, { stroke: iconPath === ICON_CLOSE }));
    }

    function togglePanel() {
      if (state.isOpen) closePanel();
      else openPanel();
    }

    // --- composer -------------------------------------------------------------

    function submitInput() {
      if (sendText(dom.input.value)) {
        dom.input.value = '';
        autosizeInput();
      }
      dom.input.focus();
    }

    function autosizeInput() {
      dom.input.style.height = 'auto';
      dom.input.style.height = `${Math.min(dom.input.scrollHeight + 2, 120)}px`;
    }

    function handleInputKey(event) {
      // Enter sends, Shift+Enter is a new line; never send while an IME (e.g. zhuyin) composes.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      submitInput();
    }

    // --- proactive invitation ---------------------------------------------------

    function scheduleInvite() {
      if (settings.inviteAfter == null || !hasText(strings.invite)) return;
      if (sessionStore.get(inviteDismissedKey(workspace))) return;
      setTimeout(() => {
        if (state.openedOnThisPage || sessionStore.get(inviteDismissedKey(workspace))) return;
        dom.invite.hidden = false;
      }, settings.inviteAfter * 1000);
    }

    function hideInvite() {
      dom.invite.hidden = true;
    }

    function dismissInvite(event) {
      event.stopPropagation(); // the bubble itself opens the panel
      sessionStore.set(inviteDismissedKey(workspace), '1');
      hideInvite();
    }

    // --- wiring ---------------------------------------------------------------

    function wireEvents() {
      dom.launcher.addEventListener('click', togglePanel);
      dom.closeButton.addEventListener('click', closePanel);
      dom.personButton.addEventListener('click', () => sendPostback('HUMAN', strings.person));
      dom.invite.addEventListener('click', openPanel);
      dom.inviteClose.addEventListener('click', dismissInvite);
      dom.composer.addEventListener('submit', (event) => {
        event.preventDefault();
        submitInput();
      });
      dom.input.addEventListener('keydown', handleInputKey);
      dom.input.addEventListener('input', autosizeInput);
      dom.panel.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') closePanel();
      });
      window.addEventListener('online', () => connection.reconnectNow());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') connection.reconnectNow();
      });
    }

    document.body.append(dom.host);
    wireEvents();
    scheduleInvite();
    // A returning visitor connects right away so pushed messages (e.g. a payment
    // confirmation) arrive and light the unread dot; new visitors connect on open.
    if (readStoredSeq(workspace) > 0) connection.ensure();

    return { open: openPanel, close: closePanel, send: (text) => sendText(text) };
  }

  // ---------------------------------------------------------------------------
  // Boot: expose the API at once (calls are queued until the widget is built)
  // ---------------------------------------------------------------------------

  function installApi() {
    const queue = [];
    let widget = null;
    const call = (name) => (...args) => {
      if (widget) return widget[name](...args);
      queue.push([name, args]);
      return undefined;
    };
    window.chatcart = Object.freeze({ open: call('open'), close: call('close'), send: call('send') });
    return function attach(instance) {
      widget = instance;
      for (const [name, args] of queue.splice(0)) widget[name](...args);
    };
  }

  async function boot() {
    if (window.chatcart || document.getElementById(HOST_ID)) return; // included twice
    const script = findOwnScript();
    if (!script) return;
    const settings = readSettings(script);
    if (!settings.workspace) {
      console.error('[chatcart] widget.js needs a data-workspace attribute on its <script> tag.');
      return;
    }
    const attach = installApi();
    const [config] = await Promise.all([loadConfig(settings), whenBodyReady()]);
    attach(startWidget(settings, config));
  }

  boot().catch((err) => console.error('[chatcart] widget failed to start:', err));
})();
