// Switchboard's chat on any site, with one tag:
//   <script src="https://chat.example.com/embed.js" data-name="Ana" data-locale="en" data-color="#2b59c3" async></script>
// or, with the visitor signed in by the site's backend:
//   Switchboard.boot({ identityToken: "<HS256 JWT from your backend>", color: "#0a7" });
// The launcher lives in a shadow root (the site's CSS cannot reach it, nor its CSS the site's); the chat itself is
// an iframe of chat-service's own origin (the site's scripts cannot read it). Which sites may embed it is chat-service's
// SWITCHBOARD_WIDGET_EMBED_ORIGINS (the widget page's frame-ancestors). The identity token goes to the chat by
// postMessage, to that origin only, never in a URL.
(() => {
  "use strict";
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const settings = {
    name: script.dataset.name,
    locale: script.dataset.locale,
    color: script.dataset.color || "#2b59c3",
    identityToken: script.dataset.identityToken,
  };
  const host = document.createElement("div");
  host.id = "switchboard-chat";
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<style>
    :host { all: initial; }
    .launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0;
      background: var(--switchboard-color); color: #fff; display: block; cursor: pointer;
      box-shadow: 0 4px 16px rgba(0,0,0,.25); z-index: 2147483647; padding: 0; }
    .launcher svg { display: block; margin: auto; }
    .panel { position: fixed; right: 20px; bottom: 88px; width: 370px; height: 560px; max-width: calc(100vw - 40px);
      max-height: calc(100vh - 110px); border: 0; border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.25);
      background: #fff; z-index: 2147483647; }
    .panel[hidden] { display: none; }
  </style>
  <button class="launcher" type="button" aria-label="Chat with us" aria-expanded="false"><svg viewBox="0 0 24 24" width="26"
    height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg></button>
  <iframe class="panel" title="Chat" hidden></iframe>`;
  const launcher = root.querySelector(".launcher");
  const panel = root.querySelector(".panel");

  function paint() {
    host.style.setProperty("--switchboard-color", settings.color);
  }

  function boot() {
    panel.contentWindow.postMessage({ type: "switchboard:boot", name: settings.name, locale: settings.locale,
      identityToken: settings.identityToken }, origin);
  }

  function open() {
    if (!panel.src) {
      panel.src = origin + "/widget.html?embed=1" + (settings.locale ? "&locale=" + encodeURIComponent(settings.locale) : "");
    }
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
  }

  // the chat page says when it is ready for its settings; only that frame, from that origin, is answered
  window.addEventListener("message", event => {
    if (event.origin === origin && event.source === panel.contentWindow && event.data && event.data.type === "switchboard:ready") boot();
  });
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));

  window.Switchboard = Object.assign(window.Switchboard || {}, {
    /** Settings from the page: identityToken, name, locale, color. Call it before the visitor opens the chat. */
    boot(options) {
      Object.assign(settings, options || {});
      paint();
      if (panel.src) boot();
    },
    open,
    close,
  });
  paint();
  (document.body ? Promise.resolve() : new Promise(r => document.addEventListener("DOMContentLoaded", r))).then(() => document.body.append(host));
})();
