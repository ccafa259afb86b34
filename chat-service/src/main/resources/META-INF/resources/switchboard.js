// Shared by the pages: settings, the REST calls, and a notifier socket that reconnects and resumes.
"use strict";
const Switchboard = (() => {
  let configPromise;
  function config() {
    configPromise ??= fetch("/pages/config").then(r => r.json()).then(c => ({
      workflowUrl: c.workflow_url || "",
      aiUrl: c.ai_url || "",
      notifierUrl: c.notifier_url || (location.protocol === "https:" ? "wss://" : "ws://") + location.host,
    }));
    return configPromise;
  }

  /** Calls a service; resolves with the JSON body, rejects with {status, error, field}. */
  async function call(base, path, { method = "GET", token, body } = {}) {
    const headers = {};
    if (token) headers.Authorization = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw { status: 0, error: "cannot reach the service: " + e.message };
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw { status: response.status, error: (json && json.error) || response.statusText, field: json && json.field };
    return json;
  }

  /**
   * A notifier socket that reconnects by itself (1 s, 2 s, ... 15 s) and asks for what it missed with the last event
   * id it saw. onFrame gets every frame; onResync is called when the gap could not be filled (reload over REST).
   */
  function socket(path, token, { onFrame, onStatus, onResync, onTyping }) {
    let lastEventId = null, ws = null, retry = 0, closed = false;
    async function open() {
      const base = (await config()).notifierUrl;
      let url = base + path;
      if (lastEventId) url += "?last_event_id=" + encodeURIComponent(lastEventId);
      // the token travels as a subprotocol, never in the URL (URLs end up in proxies' access logs)
      ws = new WebSocket(url, ["switchboard.v1", token]);
      ws.onmessage = event => {
        const frame = JSON.parse(event.data);
        if (frame.type === "ready") { retry = 0; onStatus && onStatus(true); return; }
        if (frame.type === "resync") { onResync && onResync(); return; }
        if (frame.type === "pong") return;
        // typing signals are live only: no id, nothing to resume from
        if (frame.type === "typing") { onTyping && onTyping(frame); return; }
        if (frame.id) lastEventId = frame.id;
        onFrame(frame);
      };
      ws.onclose = () => {
        onStatus && onStatus(false);
        if (closed) return;
        const wait = Math.min(15000, 1000 * 2 ** retry++);
        setTimeout(open, wait);
      };
    }
    open();
    return {
      close() { closed = true; ws && ws.close(); },
      /** Sends a small frame (a typing signal) if the socket is open; dropped otherwise, as such signals may be. */
      send(frame) { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame)); },
    };
  }

  const WHO = { customer: "You", ai: "AI assistant", agent: "Agent", workflow: "Automated" };

  /** A message bubble; the sender is named so that a reader knows who (or what) answered. */
  function bubble(message, { customerName = "Customer", forAgent = false } = {}) {
    const div = document.createElement("div");
    div.className = "msg " + message.sender_type + (message.private ? " note" : "");
    div.dataset.id = message.id;
    const who = document.createElement("span");
    who.className = "who";
    let label = message.sender_type === "customer" && forAgent ? customerName
      : message.sender_type === "agent" && message.sender_name ? message.sender_name
      : (WHO[message.sender_type] || message.sender_type);
    if (message.private) label = "Private note · " + (message.sender_name || "agent");
    if (message.sender_type === "workflow" && message.metadata && message.metadata.workflow_name) {
      label += " · " + message.metadata.workflow_name;
    }
    if (forAgent && message.delivery_status) label += " · " + message.delivery_status;
    if (forAgent && message.delivery_status === "failed" && message.delivery_error) label += " (" + message.delivery_error + ")";
    if (message.edited_at) label += " · edited";
    if (forAgent && message.metadata && message.metadata.read) label += " · read";
    if (forAgent && message.metadata && message.metadata.reaction) label += " · " + message.metadata.reaction;
    who.textContent = label;
    div.append(who, document.createTextNode(message.content));
    return div;
  }

  /**
   * A search hit's snippet with the words found in <mark>: built from text nodes, so nothing a customer wrote is ever
   * read as HTML. ranges are [start, end) character offsets into the snippet.
   */
  function highlighted(snippet, ranges) {
    const span = document.createElement("span");
    let at = 0;
    for (const [start, end] of ranges || []) {
      if (start < at) continue;
      span.append(document.createTextNode(snippet.slice(at, start)));
      const mark = document.createElement("mark");
      mark.textContent = snippet.slice(start, end);
      span.append(mark);
      at = end;
    }
    span.append(document.createTextNode(snippet.slice(at)));
    return span;
  }

  /**
   * Calls send() at most once per interval while the user keeps typing: the notifier drops more anyway, and this keeps
   * the socket quiet.
   */
  function throttle(send, intervalMs = 2000) {
    let last = 0;
    return () => {
      const now = Date.now();
      if (now - last >= intervalMs) { last = now; send(); }
    };
  }

  /** The sign-in form of the agent pages (the same on each). */
  const LOGIN_FORM = `
    <label for="login-email">Email</label><input id="login-email" name="email" type="email" autocomplete="username">
    <label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password">
    <details><summary>Use an API token instead</summary>
      <label for="login-token">API token</label><input id="login-token" name="api-token" type="password" autocomplete="off">
    </details>
    <div class="error"></div>
    <p><button type="submit" id="login-button">Sign in</button></p>`;

  /**
   * The agent pages' sign-in: the access token of this browser tab (sessionStorage: gone when the tab closes), or a
   * new one from the #login form (email and password, or an API token such as the bootstrap admin token).
   * open(token, me) loads the page and throws {status} when the services refuse the token; then the form asks again.
   * me is {id, name, role}. A "Sign out" button in the header forgets the token.
   */
  function agentPage(open) {
    const KEY = "switchboard.access-token";
    const form = document.getElementById("login");
    form.innerHTML = LOGIN_FORM;
    const error = form.querySelector(".error");
    async function attempt(token) {
      try {
        const me = await call("", "/api/auth/me", { token });
        sessionStorage.setItem(KEY, token);
        await open(token, me);
        form.hidden = true;
        showSignedIn(me);
      } catch (e) {
        sessionStorage.removeItem(KEY);
        form.hidden = false;
        error.textContent = e.status === 401 ? "Sign-in expired or not valid: sign in again." : e.error;
      }
    }
    function showSignedIn(me) {
      const header = document.querySelector("header.top");
      let who = document.getElementById("signed-in");
      if (!who) {
        who = document.createElement("span");
        who.id = "signed-in";
        who.className = "muted";
        const out = document.createElement("button");
        out.id = "sign-out"; out.type = "button"; out.className = "ghost"; out.textContent = "Sign out";
        out.addEventListener("click", () => { sessionStorage.removeItem(KEY); location.reload(); });
        header.append(who, out);
      }
      who.textContent = (me.name || "API token") + " · " + me.role;
    }
    form.addEventListener("submit", async event => {
      event.preventDefault();
      error.textContent = "";
      const apiToken = form.querySelector("[name=api-token]").value.trim();
      if (apiToken) return attempt(apiToken);
      try {
        const signedIn = await call("", "/api/auth/login", { method: "POST", body: {
          email: form.querySelector("[name=email]").value.trim(), password: form.querySelector("[name=password]").value } });
        form.querySelector("[name=password]").value = "";
        attempt(signedIn.access_token);
      } catch (e) {
        error.textContent = e.error;
      }
    });
    const saved = sessionStorage.getItem(KEY);
    if (saved) attempt(saved); else form.hidden = false;
  }


  return { config, call, socket, bubble, agentPage, highlighted, throttle };
})();
