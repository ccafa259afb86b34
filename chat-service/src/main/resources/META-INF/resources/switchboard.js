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
  function socket(path, token, { onFrame, onStatus, onResync }) {
    let lastEventId = null, ws = null, retry = 0, closed = false;
    async function open() {
      const base = (await config()).notifierUrl;
      let url = base + path + "?token=" + encodeURIComponent(token);
      if (lastEventId) url += "&last_event_id=" + encodeURIComponent(lastEventId);
      ws = new WebSocket(url);
      ws.onmessage = event => {
        const frame = JSON.parse(event.data);
        if (frame.type === "ready") { retry = 0; onStatus && onStatus(true); return; }
        if (frame.type === "resync") { onResync && onResync(); return; }
        if (frame.type === "pong") return;
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
    return { close() { closed = true; ws && ws.close(); } };
  }

  const WHO = { customer: "You", ai: "AI assistant", agent: "Agent", workflow: "Automated" };

  /** A message bubble; the sender is named so that a reader knows who (or what) answered. */
  function bubble(message, { customerName = "Customer", forAgent = false } = {}) {
    const div = document.createElement("div");
    div.className = "msg " + message.sender_type;
    div.dataset.id = message.id;
    const who = document.createElement("span");
    who.className = "who";
    let label = message.sender_type === "customer" && forAgent ? customerName : (WHO[message.sender_type] || message.sender_type);
    if (message.sender_type === "workflow" && message.metadata && message.metadata.workflow_name) {
      label += " · " + message.metadata.workflow_name;
    }
    if (forAgent && message.delivery_status) label += " · " + message.delivery_status;
    who.textContent = label;
    div.append(who, document.createTextNode(message.content));
    return div;
  }

  /**
   * The agent pages' sign-in: the token saved in this browser, or the one typed into the #login form. open(token)
   * loads the page and throws {status} when the services refuse the token; then the form asks again.
   */
  function agentPage(open) {
    const KEY = "switchboard.agent-token";
    const form = document.getElementById("login");
    async function attempt(token) {
      try {
        await open(token);
        form.hidden = true;
      } catch (e) {
        localStorage.removeItem(KEY);
        form.hidden = false;
        form.querySelector(".error").textContent = e.status === 401 || e.status === 403 ? "That token is not the agent token." : e.error;
      }
    }
    form.addEventListener("submit", event => {
      event.preventDefault();
      const token = form.querySelector("input").value.trim();
      localStorage.setItem(KEY, token);
      attempt(token);
    });
    const saved = localStorage.getItem(KEY);
    if (saved) attempt(saved); else form.hidden = false;
  }

  return { config, call, socket, bubble, agentPage };
})();
